package proof

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	cmtmath "github.com/cometbft/cometbft/libs/math"
	"github.com/cometbft/cometbft/types"
	ics23 "github.com/cosmos/ics23/go"
)

// trustingPeriod makes CometBFT's light-client checks
// independent of the wall clock. A light client refuses headers whose trust
// root is older than its trusting period, to defend against validators that
// left long ago forging history. Here the root is chosen by the person
// verifying (the genesis set, or a set they obtained themselves) and a
// retirement proof must still verify in ten years, so "now" is the time of
// the header being checked and the period is as long as time.Duration
// allows comfortably (200 years). The checks that remain: each header's time
// moves forward, and each step is signed as the light client requires.
const (
	trustingPeriod = 200 * 365 * 24 * time.Hour
)

// Result is what a verified bundle proves.
type Result struct {
	ChainID string
	Kind    string
	Subject string
	Exists  bool
	Key     []byte
	Value   []byte
	// Record is the proven value as protobuf JSON (checked against Value).
	Record json.RawMessage `json:",omitempty"`
	// Height is the state version; BlockHeight the block whose header
	// commits it (Height+1).
	Height      int64
	BlockHeight int64
	BlockTime   time.Time
	AppHash     []byte
	// ValidatorsHash is the hash of the set that signed BlockHeight;
	// ChainLength the number of headers between it and the trust root.
	ValidatorsHash []byte
	ChainLength    int
}

// Verify checks a bundle offline against a trust root and returns what it
// proves. Each failure is a *StepError naming the step:
//
//  1. format:     the bundle parses and names a known format and kind;
//  2. header:     header H+1 is well formed, of the bundle's chain and
//     height, and is the block its commit signs;
//  3. validators: the bundle's set is well formed and is the set the header
//     names (validators_hash);
//  4. commit:     every signature in the commit is valid and more than 2/3
//     of the set's power signed the block;
//  5. trust:      the set is the trusted one, or a chain of signed headers
//     leads from the trusted set to it (CometBFT light verification);
//  6. proof:      the ICS23 proof of key (and value) verifies against the
//     header's app hash;
//  7. record:     the human-readable record is exactly the proven value, and
//     key and record answer the subject.
func Verify(b *Bundle, trust *Trust) (*Result, error) {
	if b.Format != Format {
		return nil, fail(StepFormat, "format %q is not %q", b.Format, Format)
	}
	kind, ok := kinds[b.Kind]
	if !ok {
		return nil, fail(StepFormat, "unknown kind %q", b.Kind)
	}
	if b.ChainID == "" || b.Height < 1 || len(b.Key) == 0 || len(b.Proof) == 0 {
		return nil, fail(StepFormat, "chain_id, height, key and proof are required")
	}
	sh, err := signedHeader(b.Header, b.Commit)
	if err != nil {
		return nil, fail(StepFormat, "%v", err)
	}

	// 2. header
	if err := checkHeader(sh, b.ChainID); err != nil {
		return nil, &StepError{Step: StepHeader, Err: err}
	}
	if sh.Height != b.Height+1 {
		return nil, fail(StepHeader, "header is of block %d; the app hash of state %d is in block %d", sh.Height, b.Height, b.Height+1)
	}

	// 3. validators
	vals, err := checkValidators(b.Validators, sh)
	if err != nil {
		return nil, &StepError{Step: StepValidators, Err: err}
	}

	// 4. commit
	if err := checkCommit(sh, vals); err != nil {
		return nil, &StepError{Step: StepCommit, Err: err}
	}

	// 5. trust
	if trust.ChainID != "" && trust.ChainID != b.ChainID {
		return nil, fail(StepTrust, "the trust root is of chain %q, the bundle of %q", trust.ChainID, b.ChainID)
	}
	if err := checkChain(b, trust, sh, vals); err != nil {
		return nil, &StepError{Step: StepTrust, Err: err}
	}

	// 6. proof
	var cp ics23.CommitmentProof
	if err := cp.Unmarshal(b.Proof); err != nil {
		return nil, fail(StepProof, "proof does not decode: %v", err)
	}
	if b.Exists {
		if len(b.Value) == 0 {
			return nil, fail(StepProof, "a membership proof needs a value")
		}
		if !ics23.VerifyMembership(ics23.IavlSpec, ics23.CommitmentRoot(sh.AppHash), &cp, b.Key, b.Value) {
			return nil, fail(StepProof, "key %X with this value is not in the state committed by app hash %X", []byte(b.Key), []byte(sh.AppHash))
		}
	} else {
		if len(b.Value) != 0 {
			return nil, fail(StepProof, "a non-membership proof carries no value")
		}
		if !ics23.VerifyNonMembership(ics23.IavlSpec, ics23.CommitmentRoot(sh.AppHash), &cp, b.Key) {
			return nil, fail(StepProof, "absence of key %X is not proven against app hash %X", []byte(b.Key), []byte(sh.AppHash))
		}
	}

	// 7. record
	if err := kind.check(b); err != nil {
		return nil, &StepError{Step: StepRecord, Err: err}
	}

	return &Result{
		ChainID: b.ChainID, Kind: b.Kind, Subject: b.Subject, Exists: b.Exists,
		Key: b.Key, Value: b.Value, Record: b.Record, Height: b.Height, BlockHeight: sh.Height,
		BlockTime: sh.Time, AppHash: sh.AppHash, ValidatorsHash: sh.ValidatorsHash,
		ChainLength: len(b.Chain),
	}, nil
}

// VerifyJSON parses and verifies a bundle file.
func VerifyJSON(raw []byte, trust *Trust) (*Result, error) {
	b, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	return Verify(b, trust)
}

// checkHeader: well formed, of this chain, and the block its commit signs.
func checkHeader(sh *types.SignedHeader, chainID string) error {
	if err := sh.Header.ValidateBasic(); err != nil {
		return fmt.Errorf("invalid header: %w", err)
	}
	if sh.ChainID != chainID {
		return fmt.Errorf("header is of chain %q, the bundle says %q", sh.ChainID, chainID)
	}
	if sh.Commit.Height != sh.Height {
		return fmt.Errorf("header is of block %d, its commit of block %d", sh.Height, sh.Commit.Height)
	}
	if hh, ch := sh.Header.Hash(), sh.Commit.BlockID.Hash; !bytes.Equal(hh, ch) {
		return fmt.Errorf("the header hashes to %X but the commit signs block %X: header or commit altered", []byte(hh), []byte(ch))
	}
	return nil
}

// checkValidators: the set decodes and is the one the header names.
func checkValidators(vals []Validator, sh *types.SignedHeader) (*types.ValidatorSet, error) {
	vs, err := ToValidatorSet(vals)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(vs.Hash(), sh.ValidatorsHash) {
		return nil, fmt.Errorf("the set hashes to %X but header %d names validators %X", vs.Hash(), sh.Height, []byte(sh.ValidatorsHash))
	}
	return vs, nil
}

// checkCommit verifies every signature (not only the first +2/3, so that no
// byte of the commit goes unchecked) and that each signature is attributed
// to the validator at its index.
func checkCommit(sh *types.SignedHeader, vs *types.ValidatorSet) error {
	if err := sh.Commit.ValidateBasic(); err != nil {
		return fmt.Errorf("invalid commit: %w", err)
	}
	if len(sh.Commit.Signatures) != vs.Size() {
		return fmt.Errorf("commit has %d signatures for %d validators", len(sh.Commit.Signatures), vs.Size())
	}
	for i, s := range sh.Commit.Signatures {
		if s.BlockIDFlag == types.BlockIDFlagAbsent {
			continue
		}
		if !bytes.Equal(s.ValidatorAddress, vs.Validators[i].Address) {
			return fmt.Errorf("signature %d is attributed to %X, but validator %d is %X", i, []byte(s.ValidatorAddress), i, []byte(vs.Validators[i].Address))
		}
	}
	if err := types.VerifyCommit(sh.ChainID, vs, sh.Commit.BlockID, sh.Height, sh.Commit); err != nil {
		return fmt.Errorf("block %d: %w", sh.Height, err)
	}
	return nil
}

// checkChain establishes that vs (which signed sh) is trusted: either it is
// the trusted set, or the bundle's chain leads from the trusted set to sh.
func checkChain(b *Bundle, trust *Trust, sh *types.SignedHeader, vs *types.ValidatorSet) error {
	if len(b.Chain) == 0 {
		if trust.trusts(vs) {
			return nil
		}
		return fmt.Errorf("block %d is signed by validator set %X, which is not the trusted set %X (and the bundle has no header chain from it)", sh.Height, vs.Hash(), trust.ValidatorsHash)
	}
	var prevSH *types.SignedHeader
	var prevVals *types.ValidatorSet
	for i, l := range b.Chain {
		lsh, err := signedHeader(l.Header, l.Commit)
		if err != nil {
			return fmt.Errorf("chain link %d: %v", i, err)
		}
		if err := checkHeader(lsh, b.ChainID); err != nil {
			return fmt.Errorf("chain link %d: %w", i, err)
		}
		lvals, err := checkValidators(l.Validators, lsh)
		if err != nil {
			return fmt.Errorf("chain link %d (block %d): %w", i, lsh.Height, err)
		}
		if i == 0 {
			if !trust.trusts(lvals) {
				return fmt.Errorf("the chain starts at block %d, signed by validator set %X, which is not the trusted set %X", lsh.Height, lvals.Hash(), trust.ValidatorsHash)
			}
			if err := checkCommit(lsh, lvals); err != nil {
				return fmt.Errorf("chain link 0: %w", err)
			}
		} else if err := step(prevSH, prevVals, lsh, lvals); err != nil {
			return fmt.Errorf("chain link %d (block %d from block %d): %w", i, lsh.Height, prevSH.Height, err)
		}
		prevSH, prevVals = lsh, lvals
	}
	if err := step(prevSH, prevVals, sh, vs); err != nil {
		return fmt.Errorf("block %d from chain link %d (block %d): %w", sh.Height, len(b.Chain)-1, prevSH.Height, err)
	}
	return nil
}

// trustLevel is the light client's default: a skipped-to header needs more
// than 1/3 of the trusted set's power among its signers, so at least one
// honest trusted validator vouches for the new set.
var trustLevel = cmtmath.Fraction{Numerator: 1, Denominator: 3}

// step is one light-client verification from a trusted header to a later
// one, the checks of CometBFT's light.VerifyAdjacent / VerifyNonAdjacent
// (written out with the types package, because the light package pulls in
// databases that do not build for WebAssembly): the new header is well
// formed, later in height and time, names the supplied set; adjacent
// headers must be named as the next set, non-adjacent ones need trustLevel
// of the trusted set among the signers; and +2/3 of the new set signed.
// Expiry is against the header's own time (see trustingPeriod).
func step(trusted *types.SignedHeader, trustedVals *types.ValidatorSet, next *types.SignedHeader, nextVals *types.ValidatorSet) error {
	if err := next.ValidateBasic(trusted.ChainID); err != nil {
		return fmt.Errorf("invalid header: %w", err)
	}
	if next.Height <= trusted.Height {
		return fmt.Errorf("header %d does not come after trusted header %d", next.Height, trusted.Height)
	}
	if !next.Time.After(trusted.Time) {
		return fmt.Errorf("header %d time %v is not after trusted header time %v", next.Height, next.Time, trusted.Time)
	}
	if !trusted.Time.Add(trustingPeriod).After(next.Time) {
		return fmt.Errorf("trusted header %d is too old", trusted.Height)
	}
	if !bytes.Equal(next.ValidatorsHash, nextVals.Hash()) {
		return fmt.Errorf("header %d names validators %X, not the supplied set %X", next.Height, []byte(next.ValidatorsHash), nextVals.Hash())
	}
	if next.Height == trusted.Height+1 {
		if !bytes.Equal(next.ValidatorsHash, trusted.NextValidatorsHash) {
			return fmt.Errorf("header %d is signed by %X but header %d named %X as the next set", next.Height, []byte(next.ValidatorsHash), trusted.Height, []byte(trusted.NextValidatorsHash))
		}
	} else if err := trustedVals.VerifyCommitLightTrusting(trusted.ChainID, next.Commit, trustLevel); err != nil {
		return fmt.Errorf("not enough of the trusted set signed header %d: %w", next.Height, err)
	}
	if err := nextVals.VerifyCommitLight(trusted.ChainID, next.Commit.BlockID, next.Height, next.Commit); err != nil {
		return fmt.Errorf("header %d: %w", next.Height, err)
	}
	return nil
}
