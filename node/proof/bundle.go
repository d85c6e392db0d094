package proof

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
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

// toValidatorSet rebuilds the validator set from a bundle's list,
// checking each member (an ed25519 key, the address derived from it, power
// of at least 1), the total power (CometBFT's maximum: a larger sum would
// make its code panic), the size limit, and that the list is in CometBFT's
// order (power descending, then address), which the set's hash and the
// commit's signature slots follow.
func toValidatorSet(vals []Validator) (*validatorSet, error) {
	out := make([]*validator, 0, len(vals))
	for i, v := range vals {
		val, err := newValidator(v.PubKeyType, v.PubKey, v.Address, v.Power)
		if err != nil {
			return nil, fmt.Errorf("validator %d: %w", i, err)
		}
		out = append(out, val)
	}
	return newValidatorSet(out)
}

// sortedValidatorSet builds a set from members listed in any order (a
// trust root may list them so).
func sortedValidatorSet(vals []*validator) (*validatorSet, error) {
	vals = append([]*validator(nil), vals...)
	sort.SliceStable(vals, func(i, j int) bool { return byPower(vals[i], vals[j]) })
	return newValidatorSet(vals)
}

// readSignedHeader decodes a header and its commit from their JSON. Each must
// be exactly what CometBFT writes for the decoded value: a field the decoder
// would skip (misspelt, unknown, duplicated) is refused, so that no byte of
// the text goes unchecked.
func readSignedHeader(hraw, craw json.RawMessage) (*signedHeader, error) {
	var h header
	if err := json.Unmarshal(hraw, &h); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if err := canonical(hraw, &h); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	var c commit
	if err := json.Unmarshal(craw, &c); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	if err := canonical(craw, &c); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return &signedHeader{header: &h, Commit: &c}, nil
}

// canonical checks that raw says exactly what v (decoded from it) says.
func canonical(raw json.RawMessage, v json.Marshaler) error {
	again, err := v.MarshalJSON()
	if err != nil {
		return err
	}
	if !sameJSON(raw, again) {
		return fmt.Errorf("fields or values that are not as CometBFT writes them (misspelt, extra or respelt)")
	}
	return nil
}
