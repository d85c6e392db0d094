package proof

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	cryptoenc "github.com/cometbft/cometbft/crypto/encoding"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/types"
)

// Format is the version tag of every bundle this package writes. A verifier
// refuses a bundle whose format it does not know rather than guess.
const Format = "jcredit-proof/v1"

// Bundle is one self-contained proof: everything needed to check, offline,
// that a state key held a value (or was absent) at height Height of chain
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

// Parse decodes a bundle and checks its format tag.
func Parse(raw []byte) (*Bundle, error) {
	var b Bundle
	dec := json.NewDecoder(bytes.NewReader(raw))
	// An unknown field is a misspelt (altered) one: refuse it rather than
	// ignore it.
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fail(StepFormat, "not a proof bundle (JSON): %v", err)
	}
	if dec.More() {
		return nil, fail(StepFormat, "trailing data after the bundle")
	}
	// Every value must be written as this package writes it: base64 and
	// hex have spellings that decode alike (unused padding bits), which
	// would let a byte change go unnoticed.
	again, err := json.Marshal(&b)
	if err != nil {
		return nil, fail(StepFormat, "%v", err)
	}
	var x, y any
	if json.Unmarshal(raw, &x) != nil || json.Unmarshal(again, &y) != nil || !reflect.DeepEqual(x, y) {
		return nil, fail(StepFormat, "the bundle is not in canonical form (a value is spelt differently from how jcreditd writes it)")
	}
	if b.Format != Format {
		return nil, fail(StepFormat, "format %q is not %q", b.Format, Format)
	}
	return &b, nil
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

// ToValidatorSet rebuilds a CometBFT validator set, checking each member
// (address derived from key, supported key type, non-negative power).
func ToValidatorSet(vals []Validator) (*types.ValidatorSet, error) {
	if len(vals) == 0 {
		return nil, fmt.Errorf("empty validator set")
	}
	out := make([]*types.Validator, 0, len(vals))
	for i, v := range vals {
		pk, err := cryptoenc.PubKeyFromTypeAndBytes(v.PubKeyType, v.PubKey)
		if err != nil {
			return nil, fmt.Errorf("validator %d: %w", i, err)
		}
		val := &types.Validator{Address: []byte(v.Address), PubKey: pk, VotingPower: v.Power}
		if err := val.ValidateBasic(); err != nil {
			return nil, fmt.Errorf("validator %d: %w", i, err)
		}
		out = append(out, val)
	}
	vs, err := types.ValidatorSetFromExistingValidators(out)
	if err != nil {
		return nil, err
	}
	return vs, nil
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
	var a, b any
	if err := json.Unmarshal(raw, &a); err != nil {
		return err
	}
	if err := json.Unmarshal(again, &b); err != nil {
		return err
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Errorf("fields that are not CometBFT's (misspelt or extra)")
	}
	return nil
}
