package tx

import (
	"bytes"
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

// Sentinel errors, mapped to result codes by the app. Decode returns them
// inside an *Error that carries the details.
var (
	ErrTooLarge     = errors.New("transaction too large")
	ErrDecode       = errors.New("cannot decode transaction")
	ErrNotCanonical = errors.New("transaction is not in canonical form")
	ErrBadSignature = errors.New("bad signature")
	ErrHighS        = errors.New("signature is not in low-S form")
	ErrNoMessages   = errors.New("transaction carries no messages")
)

// Error is a refusal by Decode: Kind is one of the sentinels (errors.Is
// matches it) and Detail says what exactly, without repeating Kind, so a
// caller that maps Kind to its own error can add Detail once.
type Error struct {
	Kind   error
	Detail string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Kind.Error()
	}
	return e.Kind.Error() + ": " + e.Detail
}

func (e *Error) Unwrap() error { return e.Kind }

func fail(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

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

// canonical is the one encoding the app accepts: protobuf's deterministic
// encoding.
var canonical = proto.MarshalOptions{Deterministic: true}

// Body is what a transaction body carries besides its messages.
type Body struct {
	ChainID string
	Nonce   uint64
	Memo    string
	// GasLimit is the most gas the transaction may use (0: the app's
	// default per-transaction limit).
	GasLimit uint64
	// TimeoutHeight is the last height the transaction may execute at
	// (0: no limit).
	TimeoutHeight uint64
}

// Build serializes the body carrying msgs, in canonical form.
func (b Body) Build(msgs ...proto.Message) ([]byte, error) {
	body := &txv1.TxBody{ChainId: b.ChainID, Nonce: b.Nonce, Memo: b.Memo, GasLimit: b.GasLimit, TimeoutHeight: b.TimeoutHeight}
	for _, m := range msgs {
		a := &anypb.Any{}
		if err := anypb.MarshalFrom(a, m, canonical); err != nil {
			return nil, fmt.Errorf("pack %T: %w", m, err)
		}
		body.Messages = append(body.Messages, a)
	}
	return canonical.Marshal(body)
}

// Build serializes a body for chainID and nonce carrying msgs, with the
// default gas limit and no timeout.
func Build(chainID string, nonce uint64, memo string, msgs ...proto.Message) ([]byte, error) {
	return Body{ChainID: chainID, Nonce: nonce, Memo: memo}.Build(msgs...)
}

// Sign signs body bytes with key and returns the encoded transaction.
func Sign(body []byte, key *ecdsa.PrivateKey) ([]byte, error) {
	sig, err := crypto.Sign(SignBytes(body), key)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return canonical.Marshal(&txv1.Tx{Body: body, Signature: sig})
}

// Decoded is a transaction whose envelope and signature have been checked.
type Decoded struct {
	Raw []byte
	// Sum is the transaction's id (see Hash); Hash is Sum[:].
	Sum    [sha256.Size]byte
	Hash   []byte
	Body   *txv1.TxBody
	Signer common.Address
}

// halfN is secp256k1's order divided by two: the low-S bound.
var halfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)

// strict decodes dropping unknown fields, so that re-encoding the result
// and comparing it with the input refuses them.
var strict = proto.UnmarshalOptions{DiscardUnknown: true}

// Decode checks size, envelope, body and signature, and recovers the signer.
// It does not look at state (chain id, nonce, account): the caller does.
//
// The envelope and the body must each be the canonical encoding of what
// they decode to: Decode re-encodes both and compares bytes. This refuses
// every second spelling of the same transaction: unknown fields (in the
// envelope, or in the signed body), a field given twice (protobuf keeps the
// last, so a decoy first body would otherwise pass), non-minimal varints,
// explicit default values, fields out of order. Without it a third party
// could append a field to someone's Tx and broadcast a copy with another
// hash but the same signature.
func Decode(raw []byte) (*Decoded, error) {
	if err := CheckSize(raw); err != nil {
		return nil, err
	}
	return DecodeHashed(raw, sha256.Sum256(raw))
}

// CheckSize refuses a transaction longer than MaxTxBytes, before anything
// else is done with it (hashing included).
func CheckSize(raw []byte) error {
	if len(raw) > MaxTxBytes {
		return fail(ErrTooLarge, "%d bytes, at most %d", len(raw), MaxTxBytes)
	}
	return nil
}

// DecodeHashed is Decode for a caller that has already checked raw's size
// (CheckSize) and hashed it (sum is sha256.Sum256(raw), the id a cache of
// decoded transactions looks up), so that each transaction is hashed once.
func DecodeHashed(raw []byte, sum [sha256.Size]byte) (*Decoded, error) {
	var t txv1.Tx
	if err := strict.Unmarshal(raw, &t); err != nil {
		return nil, fail(ErrDecode, "envelope: %v", err)
	}
	if len(t.Body) == 0 {
		return nil, fail(ErrDecode, "empty body")
	}
	if again, err := canonical.Marshal(&t); err != nil || !bytes.Equal(again, raw) {
		return nil, fail(ErrNotCanonical, "the envelope is not the deterministic protobuf encoding of Tx{body, signature} (unknown or repeated fields?)")
	}
	body, err := decodeBody(t.Body)
	if err != nil {
		return nil, err
	}
	signer, err := Recover(t.Body, t.Signature)
	if err != nil {
		return nil, err
	}
	d := &Decoded{Raw: raw, Sum: sum, Body: body, Signer: signer}
	d.Hash = d.Sum[:]
	return d, nil
}

// decodeBody decodes a body, which must be canonical and carry messages.
func decodeBody(bz []byte) (*txv1.TxBody, error) {
	var body txv1.TxBody
	if err := strict.Unmarshal(bz, &body); err != nil {
		return nil, fail(ErrDecode, "body: %v", err)
	}
	if again, err := canonical.Marshal(&body); err != nil || !bytes.Equal(again, bz) {
		return nil, fail(ErrNotCanonical, "the body is not the deterministic protobuf encoding of its TxBody (unknown, repeated or out-of-order fields, or non-minimal numbers); sign what tx.Body.Build produces")
	}
	if len(body.Messages) == 0 {
		return nil, &Error{Kind: ErrNoMessages}
	}
	return &body, nil
}

// DecodeUnsigned checks an unsigned body as Decode checks a signed one
// (canonical form, messages, and the size the signed transaction would
// have) and returns it as if signer had signed it: Raw is the envelope
// with a placeholder signature of the real length, so that what depends on
// the transaction's size (its intrinsic gas) is what signing would give.
// It is for dry runs (nothing is signed); Hash is the body's hash.
func DecodeUnsigned(body []byte, signer common.Address) (*Decoded, error) {
	raw, err := canonical.Marshal(&txv1.Tx{Body: body, Signature: make([]byte, crypto.SignatureLength)})
	if err != nil {
		return nil, fail(ErrDecode, "body: %v", err)
	}
	if len(raw) > MaxTxBytes {
		return nil, fail(ErrTooLarge, "%d bytes once signed, at most %d", len(raw), MaxTxBytes)
	}
	b, err := decodeBody(body)
	if err != nil {
		return nil, err
	}
	d := &Decoded{Raw: raw, Sum: sha256.Sum256(body), Body: b, Signer: signer}
	d.Hash = d.Sum[:]
	return d, nil
}

// Recover checks a signature over body and returns the signer's address.
func Recover(body, sig []byte) (common.Address, error) {
	if len(sig) != crypto.SignatureLength {
		return common.Address{}, fail(ErrBadSignature, "%d bytes, want %d", len(sig), crypto.SignatureLength)
	}
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:64])
	v := sig[64]
	if s.Cmp(halfN) > 0 {
		return common.Address{}, &Error{Kind: ErrHighS}
	}
	// The low-S bound was checked just above (for its own error), so
	// ValidateSignatureValues checks the ranges only (homestead false).
	if v > 1 || !crypto.ValidateSignatureValues(v, r, s, false) {
		return common.Address{}, fail(ErrBadSignature, "r, s or v out of range")
	}
	// SigToPub and PubkeyToAddress, not Ecrecover's bytes hashed here: the
	// rule from a key to an address is go-ethereum's, in one place (the
	// shortcut saved 11 allocations and no measurable time).
	pub, err := crypto.SigToPub(SignBytes(body), sig)
	if err != nil {
		return common.Address{}, fail(ErrBadSignature, "%v", err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}
