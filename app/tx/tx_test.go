package tx_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
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
	if !bytes.Equal(d.Hash, tx.Hash(raw)) {
		t.Fatal("hash mismatch")
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
