package tx_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	txv1 "github.com/jcredit/jcredit/proto/jcredit/tx/v1"
)

// FuzzDecode: whatever the bytes, Decode returns a transaction or one of
// its sentinel errors, never panics; and what it accepts is canonical
// (re-encoding the decoded envelope and body gives the input back), so no
// second spelling of an accepted transaction exists.
func FuzzDecode(f *testing.F) {
	key, _ := crypto.ToECDSA(crypto.Keccak256([]byte("fuzz-decode")))
	for i, msgs := range [][]proto.Message{
		{&accountsv1.MsgOpenAccount{Address: "0x1", LegalName: "Kyoto Forest Co.", Country: "JP"}},
		{&creditsv1.MsgTransfer{Recipient: "0x2", Quantity: 5}, &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "b", FiscalYear: 2025}},
		{&creditsv1.MsgCancel{Serials: []string{"JC-00000001-RE-2024-0000000001"}, Reason: "r"}},
	} {
		body, err := tx.Body{ChainID: "jcredit-test", Nonce: uint64(i), Memo: "m", GasLimit: uint64(i) * 1000, TimeoutHeight: uint64(i)}.Build(msgs...)
		if err != nil {
			f.Fatal(err)
		}
		raw, err := tx.Sign(body, key)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add([]byte{})
	f.Add([]byte{0x0a, 0x01, 0x00})
	sentinels := []error{tx.ErrTooLarge, tx.ErrDecode, tx.ErrNotCanonical, tx.ErrBadSignature, tx.ErrHighS, tx.ErrNoMessages}
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := tx.Decode(raw)
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("Decode returned an error that is none of the sentinels: %v", err)
		}
		h := sha256.Sum256(raw)
		if !bytes.Equal(d.Hash, h[:]) || !bytes.Equal(d.Raw, raw) {
			t.Fatal("hash or raw bytes do not match the input")
		}
		var env txv1.Tx
		if err := proto.Unmarshal(raw, &env); err != nil {
			t.Fatal(err)
		}
		again, err := proto.MarshalOptions{Deterministic: true}.Marshal(&txv1.Tx{Body: env.Body, Signature: env.Signature})
		if err != nil || !bytes.Equal(again, raw) {
			t.Fatal("an accepted envelope is not canonical")
		}
		body, err := proto.MarshalOptions{Deterministic: true}.Marshal(d.Body)
		if err != nil || !bytes.Equal(body, env.Body) {
			t.Fatal("an accepted body is not canonical")
		}
		if signer, err := tx.Recover(env.Body, env.Signature); err != nil || signer != d.Signer {
			t.Fatalf("signer %s, recovered again %s (%v)", d.Signer.Hex(), signer.Hex(), err)
		}
	})
}
