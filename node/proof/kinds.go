package proof

import (
	"bytes"
	"fmt"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
)

// Kinds of bundle. A kind fixes how the proven value decodes and how the
// key must relate to the subject, so that a valid proof of one thing cannot
// be passed off as a proof of another.
const (
	// KindRetirement proves the retirement record with id Subject
	// ("JCR-00000001"): membership of creditstypes.RetirementStoreKey(id).
	KindRetirement = "retirement"
	// KindSerial proves the state of one credit, Subject being its serial
	// ("JC-00000001-RE-2024-0000000007"): membership of the range holding
	// it (its owner, status and retirement id), whose key is
	// creditstypes.RangeStoreKey(batch, range start). A serial that was never
	// issued is proven by the batch key instead: absent (no such batch) or
	// present with fewer credits issued than the serial's number.
	KindSerial = "serial"
	// KindAccount proves an account (public fields), Subject one of its
	// key's addresses or its number. The proven value is the account record
	// at accountstypes.AccountStoreKey(number), which names the account's
	// current address: for an address subject the verifier requires that
	// address to be the record's. That an address is no account's key is
	// proven by the absence of accountstypes.KeyRefStoreKey(address); that
	// a number is no account's, by the absence of its record key. Bundles
	// made before the v2 upgrade prove accountstypes.V1AccountStoreKey
	// (state version 1 keyed accounts by address); their proofs of
	// presence still verify.
	KindAccount = "account"
	// KindBatch proves a batch and its supply counters, Subject its id
	// ("JC-00000001").
	KindBatch = "batch"
)

// Kinds lists the known kinds.
func Kinds() []string { return []string{KindRetirement, KindSerial, KindAccount, KindBatch} }

type kind struct {
	// check verifies that Key and Record answer Subject and that Record is
	// Value decoded.
	check func(b *Bundle) error
}

var kinds = map[string]kind{
	KindRetirement: {check: checkRetirement},
	KindSerial:     {check: checkSerial},
	KindAccount:    {check: checkAccount},
	KindBatch:      {check: checkBatch},
}

// decodeRecord decodes Value into m and checks that Record says the same.
func decodeRecord(b *Bundle, m proto.Message) error {
	if err := proto.Unmarshal(b.Value, m); err != nil {
		return fmt.Errorf("value does not decode as %s: %v", m.ProtoReflect().Descriptor().FullName(), err)
	}
	if len(b.Record) == 0 {
		return fmt.Errorf("the bundle has no human-readable record")
	}
	shown := m.ProtoReflect().New().Interface()
	if err := protojson.Unmarshal(b.Record, shown); err != nil {
		return fmt.Errorf("record is not a %s: %v", m.ProtoReflect().Descriptor().FullName(), err)
	}
	if !proto.Equal(shown, m) {
		return fmt.Errorf("the record does not say what the proven value says (record altered)")
	}
	return nil
}

func requireKey(b *Bundle, want []byte, what string) error {
	if !bytes.Equal(b.Key, want) {
		return fmt.Errorf("key %X is not the key of %s (%X)", []byte(b.Key), what, want)
	}
	return nil
}

func requireAbsent(b *Bundle) error {
	if len(b.Record) != 0 && string(b.Record) != "null" {
		return fmt.Errorf("a proof of absence carries no record")
	}
	return nil
}

func errBlock(s string) error {
	return fmt.Errorf("%s is a block of serials; a serial proof is about one credit", s)
}

// RecordJSON renders a stored value for a bundle's record.
func RecordJSON(m proto.Message) ([]byte, error) {
	return protojson.MarshalOptions{UseProtoNames: true}.Marshal(m)
}

func checkRetirement(b *Bundle) error {
	if err := requireKey(b, creditstypes.RetirementStoreKey(b.Subject), "retirement "+b.Subject); err != nil {
		return err
	}
	if !b.Exists {
		return requireAbsent(b)
	}
	var r creditsv1.Retirement
	if err := decodeRecord(b, &r); err != nil {
		return err
	}
	if r.Id != b.Subject {
		return fmt.Errorf("the record is retirement %q, not %q", r.Id, b.Subject)
	}
	return nil
}

func checkAccount(b *Bundle) error {
	addr, number, err := accountstypes.ParseAccountArg(b.Subject)
	if err != nil {
		return err
	}
	if number == 0 && b.Subject != addr.Hex() {
		return fmt.Errorf("subject %q is not written as the checksummed address %s", b.Subject, addr.Hex())
	}
	if !b.Exists {
		// Absence: no key with the address, or no account with the number.
		want := accountstypes.AccountStoreKey(number)
		if number == 0 {
			want = accountstypes.KeyRefStoreKey(addr)
		}
		if err := requireKey(b, want, "account "+b.Subject); err != nil {
			return err
		}
		return requireAbsent(b)
	}
	if number == 0 && bytes.Equal(b.Key, accountstypes.V1AccountStoreKey(addr)) {
		// A bundle made before the v2 upgrade: the record was keyed by
		// its address.
		var a accountsv1.Account
		if err := decodeRecord(b, &a); err != nil {
			return err
		}
		if a.Address != addr.Hex() {
			return fmt.Errorf("the record is account %s, not %s", a.Address, b.Subject)
		}
		return nil
	}
	n, ok := accountstypes.AccountNumberOfStoreKey(b.Key)
	if !ok || (number != 0 && n != number) {
		return fmt.Errorf("key %X is not the record key of account %s", []byte(b.Key), b.Subject)
	}
	var a accountsv1.Account
	if err := decodeRecord(b, &a); err != nil {
		return err
	}
	if a.Number != n {
		return fmt.Errorf("the record is account %d, stored under the key of account %d", a.Number, n)
	}
	if number == 0 && a.Address != addr.Hex() {
		return fmt.Errorf("the record is account %d with key %s, not %s", a.Number, a.Address, b.Subject)
	}
	return nil
}

func checkBatch(b *Bundle) error {
	n, err := creditstypes.ParseBatchID(b.Subject)
	if err != nil {
		return err
	}
	if err := requireKey(b, creditstypes.BatchStoreKey(n), "batch "+b.Subject); err != nil {
		return err
	}
	if !b.Exists {
		return requireAbsent(b)
	}
	var bt creditsv1.Batch
	if err := decodeRecord(b, &bt); err != nil {
		return err
	}
	if bt.Number != n || bt.Id != b.Subject {
		return fmt.Errorf("the record is batch %s, not %s", bt.Id, b.Subject)
	}
	return nil
}

// checkSerial accepts the three answers about one credit: the range that
// holds it, the absence of its batch, or its batch with fewer credits
// issued. Ranges never overlap (an invariant of x/credits), so the range
// starting at or before the serial and reaching it is the only one.
func checkSerial(b *Bundle) error {
	s, err := creditstypes.ParseSerial(b.Subject)
	if err != nil {
		return err
	}
	if s.Start != s.End {
		return errBlock(b.Subject)
	}
	batch, n := s.Batch, s.Start
	batchID := creditstypes.BatchID(batch)
	batchKey := creditstypes.BatchStoreKey(batch)
	if bytes.Equal(b.Key, batchKey) {
		if !b.Exists {
			return requireAbsent(b)
		}
		var bt creditsv1.Batch
		if err := decodeRecord(b, &bt); err != nil {
			return err
		}
		if bt.Number != batch {
			return fmt.Errorf("the record is batch %s, not %s", bt.Id, batchID)
		}
		if bt.Issued >= n {
			return fmt.Errorf("batch %s has issued %d credits, so %s exists: its range must be proven", bt.Id, bt.Issued, b.Subject)
		}
		return nil
	}
	if !b.Exists {
		return fmt.Errorf("a proof of absence of a serial must be about its batch key %X", batchKey)
	}
	var r creditsv1.Range
	if err := decodeRecord(b, &r); err != nil {
		return err
	}
	if err := requireKey(b, creditstypes.RangeStoreKey(batch, r.Start), "the range of "+batchID+" starting at the record's start"); err != nil {
		return err
	}
	if r.BatchId != batchID || r.Start > n || r.End < n {
		return fmt.Errorf("range %s %d-%d does not hold %s", r.BatchId, r.Start, r.End, b.Subject)
	}
	return nil
}
