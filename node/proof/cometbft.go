//go:build !js

package proof

import (
	"encoding/json"

	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/types"
)

// The bundle builder and the node read the chain through CometBFT's types;
// the verifier does not (light.go). These convert between the two, and are
// never built for the web page.

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
// after the verifier's checks of it (toValidatorSet).
func ToValidatorSet(vals []Validator) (*types.ValidatorSet, error) {
	if _, err := toValidatorSet(vals); err != nil {
		return nil, err
	}
	out := make([]*types.Validator, 0, len(vals))
	for _, v := range vals {
		out = append(out, types.NewValidator(ed25519.PubKey(v.PubKey), v.Power)) // only ed25519 passes toValidatorSet
	}
	return types.ValidatorSetFromExistingValidators(out)
}

// TrustSet trusts a validator set given directly, for chain chainID.
func TrustSet(vs *types.ValidatorSet, chainID string) *Trust {
	return &Trust{ValidatorsHash: vs.Hash(), ChainID: chainID, Source: TrustFromValidators}
}

func encodeHeader(h *types.Header) (json.RawMessage, error) { return cmtjson.Marshal(h) }
func encodeCommit(c *types.Commit) (json.RawMessage, error) { return cmtjson.Marshal(c) }

// lightLink is a node's signed header and validator set as the verifier
// reads them from a bundle.
func lightLink(sh *types.SignedHeader, vs *types.ValidatorSet) (signedLink, error) {
	h, err := encodeHeader(sh.Header)
	if err != nil {
		return signedLink{}, err
	}
	c, err := encodeCommit(sh.Commit)
	if err != nil {
		return signedLink{}, err
	}
	lsh, err := readSignedHeader(h, c)
	if err != nil {
		return signedLink{}, err
	}
	lvs, err := toValidatorSet(FromValidatorSet(vs))
	if err != nil {
		return signedLink{}, err
	}
	return signedLink{sh: lsh, vals: lvs}, nil
}
