package tx

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	txv1 "github.com/jcredit/jcredit/proto/jcredit/tx/v1"
)

// Domain is prefixed to the body before hashing for signing.
const Domain = "jcredit/tx/v1\x00"

// MaxTxBytes is the largest transaction accepted. A program-type project
// with a few hundred members fits comfortably.
const MaxTxBytes = 64 * 1024

// Sentinel errors, mapped to result codes by the app.
var (
	ErrTooLarge     = errors.New("transaction too large")
	ErrDecode       = errors.New("cannot decode transaction")
	ErrBadSignature = errors.New("bad signature")
	ErrHighS        = errors.New("signature is not in low-S form")
	ErrNoMessages   = errors.New("transaction carries no messages")
	ErrWrongChainID = errors.New("wrong chain id")
)

// SignBytes returns the hash a signer signs for body.
func SignBytes(body []byte) []byte {
	return crypto.Keccak256([]byte(Domain), body)
}

// Hash is the transaction's id, as CometBFT computes it: SHA-256 of the raw
// transaction bytes.
func Hash(raw []byte) []byte {
	h := sha256.Sum256(raw)
	return h[:]
}

// Build serializes a body for chainID and nonce carrying msgs.
func Build(chainID string, nonce uint64, memo string, msgs ...proto.Message) ([]byte, error) {
	body := &txv1.TxBody{ChainId: chainID, Nonce: nonce, Memo: memo}
	for _, m := range msgs {
		a, err := anypb.New(m)
		if err != nil {
			return nil, fmt.Errorf("pack %T: %w", m, err)
		}
		body.Messages = append(body.Messages, a)
	}
	return proto.MarshalOptions{Deterministic: true}.Marshal(body)
}

// Sign signs body bytes with key and returns the encoded transaction.
func Sign(body []byte, key *ecdsa.PrivateKey) ([]byte, error) {
	sig, err := crypto.Sign(SignBytes(body), key)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return proto.Marshal(&txv1.Tx{Body: body, Signature: sig})
}

// Decoded is a transaction whose envelope and signature have been checked.
type Decoded struct {
	Raw    []byte
	Hash   []byte
	Body   *txv1.TxBody
	Signer common.Address
}

// halfN is secp256k1's order divided by two: the low-S bound.
var halfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)

// Decode checks size, envelope, body and signature, and recovers the signer.
// It does not look at state (chain id, nonce, account): the caller does.
func Decode(raw []byte) (*Decoded, error) {
	if len(raw) > MaxTxBytes {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(raw), MaxTxBytes)
	}
	var t txv1.Tx
	if err := proto.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("%w: envelope: %v", ErrDecode, err)
	}
	if len(t.Body) == 0 {
		return nil, fmt.Errorf("%w: empty body", ErrDecode)
	}
	var body txv1.TxBody
	if err := proto.Unmarshal(t.Body, &body); err != nil {
		return nil, fmt.Errorf("%w: body: %v", ErrDecode, err)
	}
	if len(body.Messages) == 0 {
		return nil, ErrNoMessages
	}
	signer, err := Recover(t.Body, t.Signature)
	if err != nil {
		return nil, err
	}
	return &Decoded{Raw: raw, Hash: Hash(raw), Body: &body, Signer: signer}, nil
}

// Recover checks a signature over body and returns the signer's address.
func Recover(body, sig []byte) (common.Address, error) {
	if len(sig) != crypto.SignatureLength {
		return common.Address{}, fmt.Errorf("%w: %d bytes, want %d", ErrBadSignature, len(sig), crypto.SignatureLength)
	}
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:64])
	v := sig[64]
	if s.Cmp(halfN) > 0 {
		return common.Address{}, ErrHighS
	}
	if v > 1 || !crypto.ValidateSignatureValues(v, r, s, true) {
		return common.Address{}, fmt.Errorf("%w: r, s or v out of range", ErrBadSignature)
	}
	pub, err := crypto.SigToPub(SignBytes(body), sig)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}
