package proof

import (
	"bytes"
	"fmt"
	"strconv"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

// Kinds of bundle. A kind fixes how the proven value decodes and how the
// key must relate to the subject, so that a valid proof of one thing cannot
// be passed off as a proof of another. The keys and ids are those of the
// storage-free packages x/accounts/types and x/credits/types, which the
// chain, the node and the WebAssembly verifier all import; where the state
// layout changed (state version 1 to 2), the header's version.app says
// which layout the proven state has.
const (
	// KindRetirement proves the retirement record with id Subject
	// ("JCR-00000001"), creditstypes.RetirementStoreKey(id), or its
	// absence.
	KindRetirement = "retirement"
	// KindSerial proves the state of one credit, Subject being its serial
	// ("JC-00000001-RE-2024-0000000007"): the range holding it (its owner,
	// status and retirement id), creditstypes.RangeStoreKey(batch, range
	// start), with its batch beside it (which holds the category and
	// vintage the serial names). A serial that was never issued is proven
	// by the batch key instead: absent (no such batch) or present with
	// fewer credits issued than the serial's number.
	KindSerial = "serial"
	// KindAccount proves an account (public fields), Subject one of its
	// key's addresses or, from state version 2, its number. In state
	// version 2 the proven value is the account record at
	// accountstypes.AccountStoreKey(number), which names the account's
	// current address: for an address subject the verifier requires that
	// address to be the record's. That an address is no account's key is
	// proven by the absence of accountstypes.KeyRefStoreKey(address); that
	// a number is no account's, by the absence of its record key. In state
	// version 1 accounts were keyed by address
	// (accountstypes.V1AccountStoreKey), present or absent.
	KindAccount = "account"
	// KindBatch proves a batch and its supply counters, Subject its id
	// ("JC-00000001"), or its absence.
	KindBatch = "batch"
	// KindCancellation proves the cancellation record with id Subject
	// ("JCX-00000001"), creditstypes.CancellationStoreKey(id), or its
	// absence.
	KindCancellation = "cancellation"
	// KindTotal proves one statistic or account total that state keeps
	// (x/credits: stats.go), Subject its one spelling
	// (creditstypes.Total: "retired,use=re100,fiscal_year=2025",
	// "retired,account=12,fiscal_year=2025", "issued,category=RE"): the
	// Counter at creditstypes.Total.StoreKey(), or its absence, which
	// proves 0 (a counter at 0 is deleted). From state version 2; an
	// account is named by its number. A subject that starts with
	// "projects" counts projects by status instead (project_total.go:
	// "projects,status=registered", x/projects' counter of that status;
	// "projects", every status's counter).
	KindTotal = "total"
)

// Kinds lists the known kinds.
func Kinds() []string {
	return []string{KindRetirement, KindSerial, KindAccount, KindBatch, KindCancellation, KindTotal, KindGxEts}
}

type kind struct {
	// check verifies that the keys and records answer Subject in a state
	// of the given state version, and that each record is its value.
	check func(b *Bundle, stateVersion uint64) error
}

var kinds = map[string]kind{
	KindRetirement:   {check: checkRetirement},
	KindSerial:       {check: checkSerial},
	KindAccount:      {check: checkAccount},
	KindBatch:        {check: checkBatch},
	KindCancellation: {check: checkCancellation},
	KindTotal:        {check: checkTotal},
	KindGxEts:        {check: checkGxEts}, // gx.go
}

// decodeRecord decodes Value into m and checks that Record is exactly the
// value's protobuf JSON as jcreditd writes it (proto field names, enum
// names, 64-bit integers as strings): the same fields and values, no other
// spelling, so that the text a person reads is the proven value.
func decodeRecord(b *Bundle, m proto.Message) error {
	return decodeEntry(b.primary(), m)
}

func decodeEntry(e Entry, m proto.Message) error {
	if err := proto.Unmarshal(e.Value, m); err != nil {
		return fmt.Errorf("value does not decode as %s: %v", m.ProtoReflect().Descriptor().FullName(), err)
	}
	if len(e.Record) == 0 {
		return fmt.Errorf("the bundle has no human-readable record")
	}
	want, err := RecordJSON(m)
	if err != nil {
		return err
	}
	if !sameJSON(e.Record, want) {
		return fmt.Errorf("the record does not say exactly what the proven value says (altered, or spelt otherwise than protobuf JSON with proto field names and enum names)")
	}
	return nil
}

// requireNoAlso: the kinds that prove one key carry no other.
func requireNoAlso(b *Bundle) error {
	if len(b.Also) != 0 {
		return fmt.Errorf("a %s bundle proves one key; it has %d more", b.Kind, len(b.Also))
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
	if len(b.Record) != 0 || len(b.Value) != 0 {
		return fmt.Errorf("a proof of absence carries no value and no record")
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

func checkRetirement(b *Bundle, _ uint64) error {
	if err := requireNoAlso(b); err != nil {
		return err
	}
	if _, ok := creditstypes.ParseRetirementID(b.Subject); !ok {
		return fmt.Errorf("%q is not a retirement id: JCR- and 8 digits (more once they run out), like JCR-00000001", b.Subject)
	}
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

func checkCancellation(b *Bundle, _ uint64) error {
	if err := requireNoAlso(b); err != nil {
		return err
	}
	if _, ok := creditstypes.ParseCancellationID(b.Subject); !ok {
		return fmt.Errorf("%q is not a cancellation id: JCX- and 8 digits (more once they run out), like JCX-00000001", b.Subject)
	}
	if err := requireKey(b, creditstypes.CancellationStoreKey(b.Subject), "cancellation "+b.Subject); err != nil {
		return err
	}
	if !b.Exists {
		return requireAbsent(b)
	}
	var c creditsv1.Cancellation
	if err := decodeRecord(b, &c); err != nil {
		return err
	}
	if c.Id != b.Subject {
		return fmt.Errorf("the record is cancellation %q, not %q", c.Id, b.Subject)
	}
	return nil
}

func checkAccount(b *Bundle, stateVersion uint64) error {
	if err := requireNoAlso(b); err != nil {
		return err
	}
	addr, number, err := accountstypes.ParseAccountArg(b.Subject)
	if err != nil {
		return err
	}
	if number == 0 && b.Subject != addr.Hex() {
		return fmt.Errorf("subject %q is not written as the checksummed address %s", b.Subject, addr.Hex())
	}
	if stateVersion == 1 {
		// State version 1 (v0.2.0) kept accounts by address and had no
		// account numbers.
		if number != 0 {
			return fmt.Errorf("accounts have numbers from state version 2; this state is version 1")
		}
		if err := requireKey(b, accountstypes.V1AccountStoreKey(addr), "account "+b.Subject+" (state version 1)"); err != nil {
			return err
		}
		if !b.Exists {
			return requireAbsent(b)
		}
		var a accountsv1.Account
		if err := decodeRecord(b, &a); err != nil {
			return err
		}
		if a.Address != addr.Hex() {
			return fmt.Errorf("the record is account %s, not %s", a.Address, b.Subject)
		}
		return nil
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
	if number != 0 && b.Subject != strconv.FormatUint(n, 10) {
		return fmt.Errorf("account number %q is written %d", b.Subject, n)
	}
	return nil
}

func checkBatch(b *Bundle, _ uint64) error {
	if err := requireNoAlso(b); err != nil {
		return err
	}
	n, err := creditstypes.ParseBatchID(b.Subject)
	if err != nil {
		return err
	}
	if creditstypes.BatchID(n) != b.Subject {
		return fmt.Errorf("batch %s is written %s", b.Subject, creditstypes.BatchID(n))
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
// holds it (with its batch), the absence of its batch, or its batch with
// fewer credits issued. Ranges never overlap (an invariant of x/credits),
// so the range starting at or before the serial and reaching it is the
// only one.
func checkSerial(b *Bundle, _ uint64) error {
	s, err := creditstypes.ParseSerial(b.Subject)
	if err != nil {
		return err
	}
	if s.Start != s.End {
		return errBlock(b.Subject)
	}
	if s.String() != b.Subject {
		return fmt.Errorf("serial %s is written %s", b.Subject, s.String())
	}
	batch, n := s.Batch, s.Start
	batchID := creditstypes.BatchID(batch)
	batchKey := creditstypes.BatchStoreKey(batch)
	if bytes.Equal(b.Key, batchKey) {
		if err := requireNoAlso(b); err != nil {
			return err
		}
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
		return bindSerial(s, &bt)
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
	if b.Format == FormatV1 {
		// A v1 bundle proves the range only: nothing binds the category
		// and vintage year the serial names (issue 11, finding 1).
		return fmt.Errorf("this %s serial bundle proves the range holding credit %d of batch %s, but not the category and vintage year that %s names; fetch a new bundle (%s proves the batch too)",
			FormatV1, n, batchID, b.Subject, FormatV2)
	}
	// v2: the batch, proven beside the range, holds what the serial names.
	if len(b.Also) != 1 || !bytes.Equal(b.Also[0].Key, batchKey) || !b.Also[0].Exists {
		return fmt.Errorf("a serial's range must come with its batch %s, proven present", batchID)
	}
	var bt creditsv1.Batch
	if err := decodeEntry(b.Also[0], &bt); err != nil {
		return fmt.Errorf("batch %s: %w", batchID, err)
	}
	if bt.Number != batch || bt.Id != batchID {
		return fmt.Errorf("the proven batch is %s, not %s", bt.Id, batchID)
	}
	if bt.Issued < n {
		return fmt.Errorf("batch %s has issued %d credits; it cannot have a range holding credit %d", batchID, bt.Issued, n)
	}
	return bindSerial(s, &bt)
}

// bindSerial checks that every part of a serial's text is what the proven
// batch says: the batch number, the category code and the vintage year
// (the year the monitoring period starts). A serial has one spelling, so
// the subject must be exactly the serial formatted from the batch.
func bindSerial(s creditstypes.Serial, bt *creditsv1.Batch) error {
	want := creditstypes.SerialOf(bt, s.Start, s.End)
	if want != s {
		return fmt.Errorf("the proven batch %s is %s, vintage %s: its credit %d is %s, not %s",
			bt.Id, enumName(bt.Category.String(), "CATEGORY_"), bt.VintageStart, s.Start, want.String(), s.String())
	}
	return nil
}

// checkTotal accepts the counter of the subject's key, or its absence (0).
// The subject must be the total's one spelling, and a stored counter is
// never 0 (x/credits deletes it), so one state has one proof of each
// total's value.
func checkTotal(b *Bundle, stateVersion uint64) error {
	if stateVersion < 2 {
		return fmt.Errorf("state version %d kept no totals (they exist from state version 2)", stateVersion)
	}
	if projectstypes.IsProjectTotal(b.Subject) {
		_, err := checkProjectTotal(b) // project_total.go
		return err
	}
	if err := requireNoAlso(b); err != nil {
		return err
	}
	t, err := creditstypes.ParseTotal(b.Subject)
	if err != nil {
		return err
	}
	if t.String() != b.Subject {
		return fmt.Errorf("total %s is written %s", b.Subject, t.String())
	}
	if err := requireKey(b, t.StoreKey(), "total "+b.Subject); err != nil {
		return err
	}
	if !b.Exists {
		return requireAbsent(b)
	}
	var c creditsv1.Counter
	if err := decodeRecord(b, &c); err != nil {
		return err
	}
	if c.Value == 0 {
		return fmt.Errorf("a stored total is never 0 (a counter at 0 is deleted and proven absent)")
	}
	return nil
}
