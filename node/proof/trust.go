package proof

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cometbft/cometbft/crypto/tmhash"
)

// Trust is the root a verifier trusts: a validator set, known by its hash,
// and the chain it signs for. Nothing in a bundle is believed unless it
// leads back to this set. A validator set (or its hash) alone does not name
// a chain — the same operators may run a test network with the same keys —
// so Verify refuses a Trust without ChainID.
type Trust struct {
	// ValidatorsHash is the trusted set's hash (as in a header's
	// validators_hash).
	ValidatorsHash []byte
	// ChainID is the chain the set is trusted for: from a genesis file, or
	// given by the verifier (jcreditd verify --chain-id).
	ChainID string
	// Source is what the root was read from: "genesis", "validators" or
	// "hash".
	Source string
	// Height and Time of the trusted set, when the root says: a genesis's
	// initial height and time; a /validators answer's block height.
	Height int64
	Time   time.Time
}

// Sources of a trust root.
const (
	TrustFromGenesis    = "genesis"
	TrustFromValidators = "validators"
	TrustFromHash       = "hash"
)

// MaxTrustBytes caps a trust-root file (a genesis with a large app state
// is a few MB).
const MaxTrustBytes = 32 << 20

// RootWarnAge: a verdict warns when the trust root is older than this
// before the proven block. Validators that left the set since the root
// could together sign a fabricated block that the root would accept (the
// long-range problem of every light client); a root published recently by
// the registry does not have that weakness. See SECURITY.md.
const RootWarnAge = 365 * 24 * time.Hour

// ParseTrust reads a trust root from any of:
//   - a genesis.json (its chain_id and validators);
//   - a validators file: CometBFT's /validators RPC answer (with or without
//     the JSON-RPC envelope), the public API's /api/v1/trust answer, a
//     bundle-style JSON array of validators, or a bare JSON array of
//     CometBFT validators;
//   - the validator-set hash itself, 64 hex characters.
//
// A proof bundle is not a trust root: a bundle cannot vouch for itself.
// Except for a genesis (and an /api/v1/trust answer that names it), the
// root does not name its chain; the verifier must set ChainID.
func ParseTrust(raw []byte) (*Trust, error) {
	if len(raw) > MaxTrustBytes {
		return nil, fmt.Errorf("trust root: the file is %d bytes; at most %d are read", len(raw), MaxTrustBytes)
	}
	s := strings.TrimSpace(string(raw))
	if len(s) == 64 {
		if h, err := hex.DecodeString(s); err == nil {
			return &Trust{ValidatorsHash: h, Source: TrustFromHash}, nil
		}
	}
	if s == "" || (s[0] != '{' && s[0] != '[') {
		return nil, fmt.Errorf("trust root: want a genesis.json, a validators JSON file or a 64-hex-character validator-set hash")
	}
	if err := checkStrictJSON([]byte(s), MaxJSONDepth); err != nil {
		return nil, fmt.Errorf("trust root: %v", err)
	}
	return parseTrustJSON([]byte(s), true)
}

func parseTrustJSON(raw []byte, envelopeOK bool) (*Trust, error) {
	if raw[0] == '[' {
		return trustFromValidators(raw)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("trust root: %v", err)
	}
	has := func(k string) bool { _, ok := probe[k]; return ok }
	switch {
	case has("format") && (has("header") || has("proof")):
		return nil, fmt.Errorf("trust root: this is a proof bundle; a bundle cannot be its own trust root — use the chain's genesis.json or a validator list the registry published")
	case has("jsonrpc") && has("result") && envelopeOK:
		return parseTrustJSON(bytes.TrimSpace(probe["result"]), false)
	case has("genesis_time"):
		return trustFromGenesis(raw)
	case has("validators") && has("block_height"):
		var ans struct {
			BlockHeight int64 `json:"block_height,string"`
		}
		if err := json.Unmarshal(raw, &ans); err != nil {
			return nil, fmt.Errorf("trust root: /validators answer: %v", err)
		}
		if n, ok := probe["count"]; ok {
			if t, ok := probe["total"]; ok && string(n) != string(t) {
				return nil, fmt.Errorf("trust root: the /validators answer is one page (%s of %s validators); fetch it with per_page=100 or more", n, t)
			}
		}
		t, err := trustFromValidators(probe["validators"])
		if err != nil {
			return nil, err
		}
		t.Height = ans.BlockHeight
		return t, nil
	case has("validators") && has("validators_hash"):
		// The public API's /api/v1/trust answer.
		var ans struct {
			ChainID        string   `json:"chain_id"`
			Height         int64    `json:"height"`
			ValidatorsHash HexBytes `json:"validators_hash"`
		}
		if err := json.Unmarshal(raw, &ans); err != nil {
			return nil, fmt.Errorf("trust root: %v", err)
		}
		t, err := trustFromValidators(probe["validators"])
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(t.ValidatorsHash, ans.ValidatorsHash) {
			return nil, fmt.Errorf("trust root: the validators hash to %X, not the stated %X", t.ValidatorsHash, []byte(ans.ValidatorsHash))
		}
		t.ChainID, t.Height = ans.ChainID, ans.Height
		return t, nil
	}
	return nil, fmt.Errorf("trust root: a JSON object that is neither a genesis file nor a validators answer")
}

// genesisJSON is what a trust root needs of a genesis file (CometBFT's
// GenesisDoc): its chain, initial height, time and validators. The
// consensus parameters and the app state are not read: they do not change
// which set the chain starts with.
type genesisJSON struct {
	GenesisTime   jsonTime  `json:"genesis_time"`
	ChainID       string    `json:"chain_id"`
	InitialHeight jsonInt64 `json:"initial_height"`
	Validators    []struct {
		Address jsonHex   `json:"address"`
		PubKey  *keyJSON  `json:"pub_key"`
		Power   jsonInt64 `json:"power"`
	} `json:"validators"`
}

func trustFromGenesis(raw []byte) (*Trust, error) {
	// The checks of CometBFT's GenesisDoc.ValidateAndComplete that concern
	// these fields, in its order.
	var gen genesisJSON
	if err := json.Unmarshal(raw, &gen); err != nil {
		return nil, fmt.Errorf("trust root: genesis: %w", err)
	}
	if gen.ChainID == "" {
		return nil, fmt.Errorf("trust root: genesis: genesis doc must include non-empty chain_id")
	}
	if len(gen.ChainID) > maxChainIDLen {
		return nil, fmt.Errorf("trust root: genesis: chain_id in genesis doc is too long (max: %d)", maxChainIDLen)
	}
	if gen.InitialHeight < 0 {
		return nil, fmt.Errorf("trust root: genesis: initial_height cannot be negative (got %v)", gen.InitialHeight)
	}
	if gen.InitialHeight == 0 {
		gen.InitialHeight = 1
	}
	if len(gen.Validators) == 0 {
		return nil, fmt.Errorf("trust root: genesis lists no validators (they come from the app); pass a validators file or hash instead")
	}
	vals := make([]*validator, 0, len(gen.Validators))
	for i, v := range gen.Validators {
		if v.PubKey == nil {
			return nil, fmt.Errorf("trust root: genesis validator %d: no key", i)
		}
		if v.Power == 0 {
			return nil, fmt.Errorf("trust root: genesis: the genesis file cannot contain validators with no voting power (validator %d)", i)
		}
		kt, err := v.PubKey.keyType()
		if err != nil {
			return nil, fmt.Errorf("trust root: genesis validator %d: %w", i, err)
		}
		addr := []byte(v.Address)
		if len(addr) == 0 { // a genesis may leave the address out
			addr = tmhash.SumTruncated(v.PubKey.Value)
		}
		val, err := newValidator(kt, v.PubKey.Value, addr, int64(v.Power))
		if err != nil {
			return nil, fmt.Errorf("trust root: genesis validator %d: %w", i, err)
		}
		vals = append(vals, val)
	}
	vs, err := sortedValidatorSet(vals)
	if err != nil {
		return nil, fmt.Errorf("trust root: genesis validators: %w", err)
	}
	return &Trust{ValidatorsHash: vs.Hash(), ChainID: gen.ChainID, Source: TrustFromGenesis, Height: int64(gen.InitialHeight), Time: time.Time(gen.GenesisTime)}, nil
}

// cometValidatorJSON is a validator as CometBFT's /validators RPC writes it.
type cometValidatorJSON struct {
	Address     jsonHex   `json:"address"`
	PubKey      *keyJSON  `json:"pub_key"`
	VotingPower jsonInt64 `json:"voting_power"`
}

func trustFromValidators(raw []byte) (*Trust, error) {
	var ours []Validator
	if err := json.Unmarshal(raw, &ours); err == nil && len(ours) > 0 && ours[0].PubKeyType != "" {
		vals := make([]*validator, 0, len(ours))
		for i, v := range ours {
			val, err := newValidator(v.PubKeyType, v.PubKey, v.Address, v.Power)
			if err != nil {
				return nil, fmt.Errorf("trust root: validator %d: %w", i, err)
			}
			vals = append(vals, val)
		}
		vs, err := sortedValidatorSet(vals)
		if err != nil {
			return nil, fmt.Errorf("trust root: %w", err)
		}
		return &Trust{ValidatorsHash: vs.Hash(), Source: TrustFromValidators}, nil
	}
	var theirs []*cometValidatorJSON
	if err := json.Unmarshal(raw, &theirs); err != nil {
		return nil, fmt.Errorf("trust root: validators: %w", err)
	}
	vals := make([]*validator, 0, len(theirs))
	for i, v := range theirs {
		if v == nil || v.PubKey == nil {
			return nil, fmt.Errorf("trust root: validator %d: no key", i)
		}
		kt, err := v.PubKey.keyType()
		if err != nil {
			return nil, fmt.Errorf("trust root: validator %d: %w", i, err)
		}
		val, err := newValidator(kt, v.PubKey.Value, v.Address, int64(v.VotingPower))
		if err != nil {
			return nil, fmt.Errorf("trust root: validator %d: %w", i, err)
		}
		vals = append(vals, val)
	}
	vs, err := sortedValidatorSet(vals)
	if err != nil {
		return nil, fmt.Errorf("trust root: %w", err)
	}
	return &Trust{ValidatorsHash: vs.Hash(), Source: TrustFromValidators}, nil
}

func (t *Trust) trusts(vs *validatorSet) bool {
	return bytes.Equal(t.ValidatorsHash, vs.Hash())
}

func (t *Trust) report() TrustReport {
	r := TrustReport{Source: t.Source, ValidatorsHash: HexBytes(t.ValidatorsHash), ChainID: t.ChainID, Height: t.Height}
	if r.Source == "" {
		r.Source = TrustFromHash
	}
	if !t.Time.IsZero() {
		tm := t.Time
		r.Time = &tm
	}
	return r
}

// Describe says in one line what the root is.
func (r TrustReport) Describe() string {
	var b strings.Builder
	switch r.Source {
	case TrustFromGenesis:
		b.WriteString("the genesis validator set")
	case TrustFromValidators:
		b.WriteString("a published validator set")
	default:
		b.WriteString("a validator-set hash")
	}
	fmt.Fprintf(&b, " %X of chain %s", []byte(r.ValidatorsHash), r.ChainID)
	if r.Height > 0 {
		fmt.Fprintf(&b, ", block %d", r.Height)
	}
	if r.Time != nil {
		fmt.Fprintf(&b, " (%s)", FormatTime(*r.Time))
	}
	return b.String()
}

// trustWarnings: an old root is weak against validators that have left
// the set since (SECURITY.md).
func trustWarnings(t *Trust, walk []LinkReport, proven *signedHeader) []string {
	rootTime := t.Time
	if rootTime.IsZero() {
		for _, l := range walk {
			if l.How == "trust root" {
				rootTime = l.Time
			}
		}
	}
	if rootTime.IsZero() || proven.Time.Sub(rootTime) < RootWarnAge {
		return nil
	}
	days := int(proven.Time.Sub(rootTime).Hours() / 24)
	return []string{fmt.Sprintf("the trust root dates from %s, %d days before the proven block: validators that have left the set since could together sign a fabricated block that this root accepts. Verify against a validator set the registry published recently (SECURITY.md).",
		FormatTime(rootTime), days)}
}
