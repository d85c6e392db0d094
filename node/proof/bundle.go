package proof

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/cometbft/cometbft/crypto"
	cryptoenc "github.com/cometbft/cometbft/crypto/encoding"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/types"
)

// The bundle formats. Format is what this package writes; a verifier reads
// every format listed in Formats and refuses any other rather than guess.
//
// jcredit-proof/v1 proves one state key. jcredit-proof/v2 adds "also":
// further entries of the same state, proven against the same app hash, that
// a kind needs to bind every part of its subject (a serial's range and its
// batch, which holds the category and vintage the serial names).
const (
	FormatV1 = "jcredit-proof/v1"
	FormatV2 = "jcredit-proof/v2"
	Format   = FormatV2
)

// Formats lists the formats this verifier reads, oldest first.
func Formats() []string { return []string{FormatV1, FormatV2} }

// Bundle is one self-contained proof: everything needed to check, offline,
// that state keys held values (or were absent) at height Height of chain
// ChainID, given only a trusted validator set. See FORMAT.md.
type Bundle struct {
	Format  string `json:"format"`
	ChainID string `json:"chain_id"`
	// Kind says what the key holds ("retirement", "serial", "account", ...)
	// and so how Value decodes and what Subject means.
	Kind string `json:"kind"`
	// Subject is what was asked for: a retirement id, a serial, an address.
	Subject string `json:"subject"`
	// Exists is true for a membership proof (Key holds Value) and false for
	// a non-membership proof (Key is absent).
	Exists bool `json:"exists"`
	// Key is the full state key, hex.
	Key HexBytes `json:"key"`
	// Value is the stored bytes (protobuf), base64; empty when !Exists.
	Value []byte `json:"value,omitempty"`
	// Record is Value decoded to protobuf JSON, for people. The verifier
	// checks that it says exactly what Value says.
	Record json.RawMessage `json:"record,omitempty"`
	// Height is the state version H the proof is against.
	Height int64 `json:"height"`
	// Proof is the ICS23 CommitmentProof (protobuf, base64) of Key in the
	// IAVL tree at version H.
	Proof []byte `json:"proof"`
	// Also (v2) holds further entries of state H that the kind requires,
	// each with its own ICS23 proof against the same app hash.
	Also []Entry `json:"also,omitempty"`
	// Header is block H+1's header, whose app_hash is the root of state H.
	Header json.RawMessage `json:"header"`
	// Commit is the +2/3 precommits for Header.
	Commit json.RawMessage `json:"commit"`
	// Validators is the validator set of block H+1.
	Validators []Validator `json:"validators"`
	// Chain, when present, leads from the trust root to Header: each link
	// is a signed header verified from the previous one (the first from
	// the trusted set itself), as a light client would. It is needed only
	// when Validators differs from the trusted set.
	Chain []Link `json:"chain,omitempty"`
}

// Entry is one proven state key of a v2 bundle's "also" list: the same
// fields, with the same meaning, as the bundle's own key.
type Entry struct {
	Exists bool            `json:"exists"`
	Key    HexBytes        `json:"key"`
	Value  []byte          `json:"value,omitempty"`
	Record json.RawMessage `json:"record,omitempty"`
	Proof  []byte          `json:"proof"`
}

// primary is the bundle's own entry.
func (b *Bundle) primary() Entry {
	return Entry{Exists: b.Exists, Key: b.Key, Value: b.Value, Record: b.Record, Proof: b.Proof}
}

// Link is one signed header of the chain from the trust root.
type Link struct {
	Header     json.RawMessage `json:"header"`
	Commit     json.RawMessage `json:"commit"`
	Validators []Validator     `json:"validators"`
}

// Validator is one member of a validator set. Only what the set's hash
// covers is kept (no proposer priority), so every byte here is checked.
type Validator struct {
	Address HexBytes `json:"address"`
	// PubKeyType is CometBFT's key type name ("ed25519", "secp256k1").
	PubKeyType string `json:"pub_key_type"`
	PubKey     []byte `json:"pub_key"`
	Power      int64  `json:"power"`
}

// HexBytes marshals as upper-case hex, as CometBFT prints hashes and keys.
type HexBytes []byte

func (h HexBytes) MarshalJSON() ([]byte, error) {
	return json.Marshal(strings.ToUpper(hex.EncodeToString(h)))
}

func (h *HexBytes) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	bz, err := hex.DecodeString(s)
	if err != nil {
		return fmt.Errorf("not hex: %w", err)
	}
	*h = bz
	return nil
}

func (h HexBytes) String() string { return strings.ToUpper(hex.EncodeToString(h)) }

// Parse decodes a bundle file and checks that it is written in the one
// way this format allows: within the size and nesting limits, strict JSON
// (no key twice, valid UTF-8, no lone surrogate escapes), exactly the
// format's fields (no unknown, misspelt or null field), every value spelt
// as jcreditd writes it, and a known format.
func Parse(raw []byte) (*Bundle, error) {
	if len(raw) > MaxBundleBytes {
		return nil, fail(StepFormat, "the file is %d bytes; a bundle is at most %d", len(raw), MaxBundleBytes)
	}
	if err := checkStrictJSON(raw, MaxJSONDepth); err != nil {
		return nil, fail(StepFormat, "not a proof bundle: %v", err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fail(StepFormat, "not a proof bundle (a JSON object): %v", err)
	}
	for k, v := range top {
		if string(v) == "null" {
			return nil, fail(StepFormat, "field %q is null; a field without a value is left out, never null", k)
		}
	}
	var b Bundle
	dec := json.NewDecoder(bytes.NewReader(raw))
	// An unknown field is a misspelt (altered) one: refuse it rather than
	// ignore it.
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fail(StepFormat, "not a proof bundle: %v", err)
	}
	// Every value must be written as this package writes it: base64 and
	// hex have spellings that decode alike (unused padding bits, case),
	// and encoding/json matches field names regardless of case, which
	// would let a byte change go unnoticed.
	again, err := json.Marshal(&b)
	if err != nil {
		return nil, fail(StepFormat, "%v", err)
	}
	if !sameJSON(raw, again) {
		return nil, fail(StepFormat, "the bundle is not in canonical form (a field or value is spelt differently from how jcreditd writes it)")
	}
	switch b.Format {
	case FormatV1:
		if len(b.Also) != 0 {
			return nil, fail(StepFormat, "a %s bundle has no \"also\" entries", FormatV1)
		}
	case FormatV2:
	default:
		return nil, fail(StepFormat, "format %q is not one this verifier reads (%s)", b.Format, strings.Join(Formats(), ", "))
	}
	return &b, nil
}

// sameJSON reports whether a and b are the same JSON value: the same
// fields and the same values, numbers compared as written (not as floats,
// which would hide a change in a large number's last digits).
func sameJSON(a, b []byte) bool {
	x, errA := decodeGeneric(a)
	y, errB := decodeGeneric(b)
	return errA == nil && errB == nil && reflect.DeepEqual(x, y)
}

func decodeGeneric(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// Marshal renders the bundle as indented JSON.
func (b *Bundle) Marshal() ([]byte, error) {
	return json.MarshalIndent(b, "", "  ")
}

// FromValidatorSet renders a CometBFT validator set in bundle form, in the
// set's own order.
func FromValidatorSet(vs *types.ValidatorSet) []Validator {
	out := make([]Validator, 0, len(vs.Validators))
	for _, v := range vs.Validators {
		out = append(out, Validator{
			Address: HexBytes(v.Address), PubKeyType: v.PubKey.Type(),
			PubKey: v.PubKey.Bytes(), Power: v.VotingPower,
		})
	}
	return out
}

// ToValidatorSet rebuilds a CometBFT validator set from a bundle's list,
// checking each member (supported key type, address derived from the key,
// power of at least 1), the total power (CometBFT's maximum: a larger sum
// would make its code panic), the size limit, and that the list is in
// CometBFT's order (power descending, then address), which the set's hash
// and the commit's signature slots follow.
func ToValidatorSet(vals []Validator) (*types.ValidatorSet, error) {
	out := make([]*types.Validator, 0, len(vals))
	for i, v := range vals {
		pk, err := cryptoenc.PubKeyFromTypeAndBytes(v.PubKeyType, v.PubKey)
		if err != nil {
			return nil, fmt.Errorf("validator %d: %w", i, err)
		}
		out = append(out, &types.Validator{Address: []byte(v.Address), PubKey: pk, VotingPower: v.Power})
	}
	return validatorSet(out, true)
}

// validatorSet builds a set without any of the panics CometBFT's
// constructors have on hostile input (total power overflow, duplicates).
// inOrder requires vals to be in CometBFT's order already; otherwise they
// are sorted (a trust root may list its members in any order).
func validatorSet(vals []*types.Validator, inOrder bool) (*types.ValidatorSet, error) {
	if len(vals) == 0 {
		return nil, fmt.Errorf("empty validator set")
	}
	if len(vals) > MaxValidators {
		return nil, fmt.Errorf("%d validators; a set is at most %d", len(vals), MaxValidators)
	}
	var total int64
	for i, v := range vals {
		if v == nil {
			return nil, fmt.Errorf("validator %d is empty", i)
		}
		if err := checkPubKey(v.PubKey); err != nil {
			return nil, fmt.Errorf("validator %d: %w", i, err)
		}
		if err := v.ValidateBasic(); err != nil {
			return nil, fmt.Errorf("validator %d: %w", i, err)
		}
		if v.VotingPower < 1 {
			return nil, fmt.Errorf("validator %d has power %d; members of a set have power 1 or more", i, v.VotingPower)
		}
		if v.VotingPower > types.MaxTotalVotingPower-total {
			return nil, fmt.Errorf("the total power of the set exceeds CometBFT's maximum %d", types.MaxTotalVotingPower)
		}
		total += v.VotingPower
	}
	if !inOrder {
		vals = append([]*types.Validator(nil), vals...)
		sort.Sort(types.ValidatorsByVotingPower(vals))
	}
	for i := 1; i < len(vals); i++ {
		if bytes.Equal(vals[i].Address, vals[i-1].Address) {
			return nil, fmt.Errorf("validator %X is listed twice", []byte(vals[i].Address))
		}
		if types.ValidatorsByVotingPower(vals).Less(i, i-1) {
			return nil, fmt.Errorf("validators %d and %d are not in CometBFT's order (power descending, then address)", i-1, i)
		}
	}
	return types.ValidatorSetFromExistingValidators(vals)
}

// checkPubKey checks a key decoded from JSON before anything uses it:
// CometBFT's key types panic when asked the address of a key of the wrong
// size, which their JSON decoding lets through.
func checkPubKey(pk crypto.PubKey) error {
	if pk == nil {
		return fmt.Errorf("no key")
	}
	if _, err := cryptoenc.PubKeyFromTypeAndBytes(pk.Type(), pk.Bytes()); err != nil {
		return err
	}
	return nil
}

func encodeHeader(h *types.Header) (json.RawMessage, error) { return cmtjson.Marshal(h) }
func encodeCommit(c *types.Commit) (json.RawMessage, error) { return cmtjson.Marshal(c) }

// signedHeader decodes a header and its commit from their JSON. Each must
// be exactly what CometBFT writes for the decoded value: a field the decoder
// would skip (misspelt, unknown, duplicated) is refused, so that no byte of
// the text goes unchecked.
func signedHeader(hraw, craw json.RawMessage) (*types.SignedHeader, error) {
	var h types.Header
	if err := cmtjson.Unmarshal(hraw, &h); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if err := canonical(hraw, &h); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	var c types.Commit
	if err := cmtjson.Unmarshal(craw, &c); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	if err := canonical(craw, &c); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return &types.SignedHeader{Header: &h, Commit: &c}, nil
}

// canonical checks that raw says exactly what v (decoded from it) says.
func canonical(raw json.RawMessage, v any) error {
	again, err := cmtjson.Marshal(v)
	if err != nil {
		return err
	}
	if !sameJSON(raw, again) {
		return fmt.Errorf("fields or values that are not as CometBFT writes them (misspelt, extra or respelt)")
	}
	return nil
}
