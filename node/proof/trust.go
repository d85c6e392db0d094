package proof

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/types"
)

// Trust is the root a verifier trusts: a validator set, known by its hash
// (and, when the root came from a file, by its members). Nothing in a bundle
// is believed unless it leads back to this set.
type Trust struct {
	// ValidatorsHash is the trusted set's hash (as in a header's
	// validators_hash).
	ValidatorsHash []byte
	// ChainID, when known (from a genesis file), must match the bundle's.
	ChainID string
}

// ParseTrust reads a trust root from any of:
//   - a genesis.json (its chain_id and validators);
//   - a validators file: a bundle-style JSON array of validators, CometBFT's
//     /validators RPC answer (with or without the JSON-RPC envelope), or a
//     bare JSON array of CometBFT validators;
//   - the validator-set hash itself, 64 hex characters.
func ParseTrust(raw []byte) (*Trust, error) {
	s := strings.TrimSpace(string(raw))
	if len(s) == 64 {
		if h, err := hex.DecodeString(s); err == nil {
			return &Trust{ValidatorsHash: h}, nil
		}
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal([]byte(s), &probe) == nil {
		if _, ok := probe["genesis_time"]; ok {
			return trustFromGenesis([]byte(s))
		}
		if res, ok := probe["result"]; ok { // JSON-RPC envelope
			return ParseTrust(res)
		}
		if vals, ok := probe["validators"]; ok {
			return trustFromValidators(vals)
		}
		return nil, fmt.Errorf("trust root: a JSON object that is neither a genesis file nor a validators answer")
	}
	if strings.HasPrefix(s, "[") {
		return trustFromValidators([]byte(s))
	}
	return nil, fmt.Errorf("trust root: want a genesis.json, a validators JSON file or a 64-hex-character validator-set hash")
}

func trustFromGenesis(raw []byte) (*Trust, error) {
	gen, err := types.GenesisDocFromJSON(raw)
	if err != nil {
		return nil, fmt.Errorf("trust root: genesis: %w", err)
	}
	if len(gen.Validators) == 0 {
		return nil, fmt.Errorf("trust root: genesis lists no validators (they come from the app); pass a validators file or hash instead")
	}
	return &Trust{ValidatorsHash: gen.ValidatorHash(), ChainID: gen.ChainID}, nil
}

func trustFromValidators(raw []byte) (*Trust, error) {
	var ours []Validator
	if err := json.Unmarshal(raw, &ours); err == nil && len(ours) > 0 && ours[0].PubKeyType != "" {
		vs, err := ToValidatorSet(ours)
		if err != nil {
			return nil, fmt.Errorf("trust root: %w", err)
		}
		return &Trust{ValidatorsHash: vs.Hash()}, nil
	}
	var theirs []*types.Validator
	if err := cmtjson.Unmarshal(raw, &theirs); err != nil {
		return nil, fmt.Errorf("trust root: validators: %w", err)
	}
	for i, v := range theirs {
		if err := v.ValidateBasic(); err != nil {
			return nil, fmt.Errorf("trust root: validator %d: %w", i, err)
		}
	}
	vs := types.NewValidatorSet(theirs)
	if vs.IsNilOrEmpty() {
		return nil, fmt.Errorf("trust root: empty validator set")
	}
	return &Trust{ValidatorsHash: vs.Hash()}, nil
}

// TrustSet trusts a validator set given directly.
func TrustSet(vs *types.ValidatorSet) *Trust { return &Trust{ValidatorsHash: vs.Hash()} }

func (t *Trust) trusts(vs *types.ValidatorSet) bool {
	return bytes.Equal(t.ValidatorsHash, vs.Hash())
}
