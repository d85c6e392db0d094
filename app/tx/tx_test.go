package tx_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	txv1 "github.com/jcredit/jcredit/proto/jcredit/tx/v1"
)

func TestSignDecodeRoundTrip(t *testing.T) {
	key, _ := crypto.GenerateKey()
	msg := &accountsv1.MsgOpenAccount{Address: "0x1", LegalName: "x"}
	body, err := tx.Build("chain-a", 7, "memo", msg)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.Sign(body, key)
	if err != nil {
		t.Fatal(err)
	}
	d, err := tx.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if d.Signer != crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatalf("recovered %s", d.Signer.Hex())
	}
	if d.Body.ChainId != "chain-a" || d.Body.Nonce != 7 || d.Body.Memo != "memo" || len(d.Body.Messages) != 1 {
		t.Fatalf("body = %v", d.Body)
	}
	if !bytes.Equal(d.Hash, tx.Hash(raw)) || !bytes.Equal(d.Sum[:], d.Hash) {
		t.Fatal("hash mismatch")
	}
	h, err := tx.DecodeHashed(raw, d.Sum)
	if err != nil || h.Sum != d.Sum || !bytes.Equal(h.Hash, d.Hash) || h.Signer != d.Signer || h.Body.Nonce != d.Body.Nonce {
		t.Fatalf("DecodeHashed = %+v, %v; Decode gave %+v", h, err, d)
	}
}

// TestDomainSeparation: the signed hash is not the plain keccak of the body,
// so a jcredit signature is not a signature over anything else of the same
// bytes.
func TestDomainSeparation(t *testing.T) {
	body := []byte("body")
	if bytes.Equal(tx.SignBytes(body), crypto.Keccak256(body)) {
		t.Fatal("sign bytes carry no domain prefix")
	}
}

// TestTamperedBodyChangesSigner: editing a signed body yields another
// (unknown) signer, never the original one.
func TestTamperedBodyChangesSigner(t *testing.T) {
	key, _ := crypto.GenerateKey()
	body, _ := tx.Build("c", 0, "", &accountsv1.MsgOpenAccount{LegalName: "a"})
	raw, _ := tx.Sign(body, key)
	var env txv1.Tx
	proto.Unmarshal(raw, &env)
	env.Body[len(env.Body)-1] ^= 1
	raw2, _ := proto.Marshal(&env)
	d, err := tx.Decode(raw2)
	if err == nil && d.Signer == crypto.PubkeyToAddress(key.PublicKey) {
		t.Fatal("tampered body still recovers the original signer")
	}
}

func TestDecodeErrors(t *testing.T) {
	key, _ := crypto.GenerateKey()
	body, _ := tx.Build("c", 0, "")
	noMsgs, _ := tx.Sign(body, key)
	cases := []struct {
		name string
		raw  []byte
		want error
	}{
		{"too large", make([]byte, tx.MaxTxBytes+1), tx.ErrTooLarge},
		{"garbage", []byte{0xff, 0xff, 0xff}, tx.ErrDecode},
		{"empty", nil, tx.ErrDecode},
		{"no messages", noMsgs, tx.ErrNoMessages},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := tx.Decode(c.raw); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

// field appends one protobuf field (number n) to b: a varint when v is a
// uint64, length-delimited when it is []byte.
func field(b []byte, n protowire.Number, v any) []byte {
	switch v := v.(type) {
	case uint64:
		b = protowire.AppendTag(b, n, protowire.VarintType)
		return protowire.AppendVarint(b, v)
	case []byte:
		b = protowire.AppendTag(b, n, protowire.BytesType)
		return protowire.AppendBytes(b, v)
	}
	panic("field type")
}

// TestEnvelopeVariantsRefused (issue 10 finding 2): every other spelling of
// a signed transaction is refused, so that its hash is unique. The
// variants that keep the signature valid are exactly what a third party
// could broadcast; the body variants need the signer, and are refused too
// so that what is signed has one meaning.
func TestEnvelopeVariantsRefused(t *testing.T) {
	key, _ := crypto.GenerateKey()
	body, err := tx.Build("c", 3, "", &accountsv1.MsgOpenAccount{LegalName: "a"})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := tx.Sign(body, key)
	if _, err := tx.Decode(raw); err != nil {
		t.Fatal(err)
	}
	var env txv1.Tx
	proto.Unmarshal(raw, &env)
	sign := func(b []byte) []byte {
		sig, _ := crypto.Sign(tx.SignBytes(b), key)
		return field(field(nil, 1, b), 2, sig)
	}
	// nonce 3 written with a two-byte varint: 0x83 0x00.
	longNonce := protowire.AppendTag(nil, 1, protowire.BytesType)
	longNonce = protowire.AppendString(longNonce, "c")
	longNonce = append(protowire.AppendTag(longNonce, 2, protowire.VarintType), 0x83, 0x00)
	longNonce = append(longNonce, body[len(protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), "c"))+2:]...)

	variants := []struct {
		name string
		raw  []byte
		want error
	}{
		{"unknown field appended to the envelope", field(bytes.Clone(raw), 9, uint64(1)), tx.ErrNotCanonical},
		{"decoy body first", append(field(nil, 1, []byte("decoy")), raw...), tx.ErrNotCanonical},
		{"body given twice", append(field(nil, 1, env.Body), raw...), tx.ErrNotCanonical},
		{"signature given twice", field(bytes.Clone(raw), 2, env.Signature), tx.ErrNotCanonical},
		{"signature before body", field(field(nil, 2, env.Signature), 1, env.Body), tx.ErrNotCanonical},
		{"empty signature field", field(field(nil, 1, env.Body), 2, []byte{}), tx.ErrNotCanonical},
		{"unknown field in the signed body", sign(field(bytes.Clone(body), 15, uint64(7))), tx.ErrNotCanonical},
		{"explicit default in the signed body", sign(field(bytes.Clone(body), 5, uint64(0))), tx.ErrNotCanonical},
		{"non-minimal varint in the signed body", sign(longNonce), tx.ErrNotCanonical},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			if bytes.Equal(v.raw, raw) {
				t.Fatal("variant equals the original")
			}
			_, err := tx.Decode(v.raw)
			if !errors.Is(err, v.want) {
				t.Fatalf("Decode = %v, want %v", err, v.want)
			}
			if strings.Count(err.Error(), v.want.Error()) != 1 {
				t.Fatalf("error repeats its prefix: %q", err)
			}
		})
	}
}

// TestBodyOptions: gas limit and timeout height round-trip.
func TestBodyOptions(t *testing.T) {
	key, _ := crypto.GenerateKey()
	body, err := tx.Body{ChainID: "c", Nonce: 1, GasLimit: 500_000, TimeoutHeight: 42}.Build(&accountsv1.MsgOpenAccount{LegalName: "a"})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := tx.Sign(body, key)
	d, err := tx.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if d.Body.GasLimit != 500_000 || d.Body.TimeoutHeight != 42 {
		t.Fatalf("body = %v", d.Body)
	}
}

// BenchmarkRecover: checking a signature and recovering its signer, the
// bulk of CheckTx's CPU for a new transaction.
func BenchmarkRecover(b *testing.B) {
	key, _ := crypto.GenerateKey()
	body, err := tx.Build("chain-a", 7, "", &accountsv1.MsgOpenAccount{Address: "0x1", LegalName: "x"})
	if err != nil {
		b.Fatal(err)
	}
	sig, err := crypto.Sign(tx.SignBytes(body), key)
	if err != nil {
		b.Fatal(err)
	}
	want := crypto.PubkeyToAddress(key.PublicKey)
	b.ReportAllocs()
	for b.Loop() {
		if got, err := tx.Recover(body, sig); err != nil || got != want {
			b.Fatalf("Recover = %v, %v; want %v", got, err, want)
		}
	}
}
