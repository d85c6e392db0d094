package proof

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

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

// Result is what a verified bundle proves, and how the verifier got there.
// It is what `jcreditd verify -o json`, the web page's verifier and the
// API's statement endpoint answer.
type Result struct {
	Format  string `json:"format"`
	ChainID string `json:"chain_id"`
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
	// Answer is what the bundle proves about the subject, in one word:
	// present, absent, active, retired, cancelled or never_issued.
	Answer string `json:"answer"`
	// Statement says exactly that, and as of when: "AS OF state H (block
	// time T): …". Nothing about any other height is proven.
	Statement string `json:"statement"`
	// Exists is whether the bundle's own key is present.
	Exists bool     `json:"exists"`
	Key    HexBytes `json:"key"`
	Value  []byte   `json:"value,omitempty"`
	// Record is the proven value as protobuf JSON (checked against Value).
	Record json.RawMessage `json:"record,omitempty"`
	// Also are the further proven entries of a v2 bundle.
	Also []Entry `json:"also,omitempty"`
	// Height is the state version; BlockHeight the block whose header
	// commits it (Height+1), BlockTime that block's time.
	Height      int64     `json:"height"`
	BlockHeight int64     `json:"block_height"`
	BlockTime   time.Time `json:"block_time"`
	// StateVersion is the state layout the header says state Height has
	// (its version.app), which fixes how keys and records are read.
	StateVersion uint64   `json:"state_version"`
	AppHash      HexBytes `json:"app_hash"`
	// ValidatorsHash is the hash of the set that signed BlockHeight.
	ValidatorsHash HexBytes `json:"validators_hash"`
	// Trust is the root the verifier was given and where it was found.
	Trust TrustReport `json:"trust"`
	// Walk is every signed header the verifier checked, oldest first, the
	// proven block last; ChainLength the number of header-chain links.
	Walk        []LinkReport `json:"walk"`
	ChainLength int          `json:"chain_length"`
	// Warnings are things a careful reader should know (an old trust
	// root); they do not make the bundle fail.
	Warnings []string `json:"warnings,omitempty"`
}

// TrustReport describes the trust root as used.
type TrustReport struct {
	// Source says what the root was: "genesis", "validators" (a published
	// validator list) or "hash" (a validator-set hash).
	Source         string   `json:"source"`
	ValidatorsHash HexBytes `json:"validators_hash"`
	ChainID        string   `json:"chain_id"`
	// Height and Time, when the root says (a genesis: its initial height
	// and genesis time; a /validators answer: its block height).
	Height int64      `json:"height,omitempty"`
	Time   *time.Time `json:"time,omitempty"`
	// FoundAt is the block whose signers are the trusted set: the first
	// header of the walk that the trust root vouches for directly.
	FoundAt int64 `json:"found_at"`
}

// LinkReport is one header of the walk.
type LinkReport struct {
	Block          int64     `json:"block"`
	Time           time.Time `json:"time"`
	ValidatorsHash HexBytes  `json:"validators_hash"`
	Validators     int       `json:"validators"`
	Power          int64     `json:"power"`
	// SignedPower is the power of the validators whose signature for the
	// block is in the commit (every one of them checked).
	SignedPower int64 `json:"signed_power"`
	// How this header came to be trusted: "trust root" (signed by the
	// trusted set), "adjacent" (named as the next set by the header
	// before), "skip" (enough of the previous set signed it), or "before
	// root" (checked, but the trust root comes later in the walk).
	How string `json:"how"`
	// TrustedSigned is, for a skip, the power of the previous set that
	// signed this header, of TrustedPower.
	TrustedSigned int64 `json:"trusted_signed,omitempty"`
	TrustedPower  int64 `json:"trusted_power,omitempty"`
}

// The state versions (header version.app) whose layout this verifier
// knows.
var stateVersions = map[uint64]bool{1: true, 2: true}

// Verify checks a bundle offline against a trust root and returns what it
// proves. Each failure is a *StepError naming the step:
//
//  1. format:     the bundle names a known format and kind, its subject is
//     spelt canonically, and it is within the limits;
//  2. header:     header H+1 is well formed, of the bundle's chain and
//     height, and is the block its commit signs;
//  3. validators: the bundle's set is well formed, in CometBFT's order, and
//     is the set the header names (validators_hash);
//  4. commit:     every signature in the commit is valid, each from the
//     validator of its slot, and more than 2/3 of the set's power signed;
//  5. trust:      every header of the chain passes steps 2-4 too, each
//     follows from the one before as a light client requires, and the
//     trusted set signs one of them (or the proven block itself);
//  6. proof:      the ICS23 proof of every entry (key and value, or key
//     absent) verifies against the header's app hash;
//  7. record:     each human-readable record is exactly its proven value,
//     and the keys and records answer the subject.
func Verify(b *Bundle, trust *Trust) (*Result, error) {
	if trust == nil || len(trust.ValidatorsHash) == 0 {
		return nil, fail(StepTrust, "no trust root")
	}
	if trust.ChainID == "" {
		return nil, fail(StepTrust, "the trust root names no chain: a validator-set hash or a validators list can sign blocks of several chains, so give the chain id with it (jcreditd verify --chain-id)")
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
	kind, ok := kinds[b.Kind]
	if !ok {
		return nil, fail(StepFormat, "unknown kind %q", b.Kind)
	}
	if b.ChainID == "" || b.Height < 1 || len(b.Key) == 0 || len(b.Proof) == 0 {
		return nil, fail(StepFormat, "chain_id, height, key and proof are required")
	}
	if err := checkSubjectText(b.Subject); err != nil {
		return nil, &StepError{Step: StepFormat, Err: err}
	}
	if len(b.Chain) > MaxChainLinks {
		return nil, fail(StepFormat, "the header chain has %d links; at most %d are read (use a fresher trust root)", len(b.Chain), MaxChainLinks)
	}
	maxAlso := MaxAlso
	if b.Kind == KindGxEts {
		maxAlso = gxFixed + MaxGxRecords // the operator, its emissions, the parameters, its retirements
	}
	if len(b.Also) > maxAlso {
		return nil, fail(StepFormat, "%d extra entries; a %s bundle has at most %d", len(b.Also), b.Kind, maxAlso)
	}
	sh, err := readSignedHeader(b.Header, b.Commit)
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
	if trust.ChainID != b.ChainID {
		return nil, fail(StepTrust, "the trust root is of chain %q, the bundle of %q", trust.ChainID, b.ChainID)
	}
	walk, trustReport, err := checkChain(b, trust, signedLink{sh: sh, vals: vals})
	if err != nil {
		return nil, &StepError{Step: StepTrust, Err: err}
	}

	// 6. proof
	stateVersion := sh.Version.App
	if !stateVersions[stateVersion] {
		return nil, fail(StepProof, "header %d says state %d has state version %d, which this verifier does not know (update jcreditd)", sh.Height, b.Height, stateVersion)
	}
	entries := append([]Entry{b.primary()}, b.Also...)
	seen := map[string]bool{}
	for i, e := range entries {
		if seen[string(e.Key)] {
			return nil, fail(StepProof, "key %X is proven twice", []byte(e.Key))
		}
		seen[string(e.Key)] = true
		if err := checkEntryProof(e, sh.AppHash); err != nil {
			if i > 0 {
				err = fmt.Errorf("also[%d]: %w", i-1, err)
			}
			return nil, &StepError{Step: StepProof, Err: err}
		}
	}

	// 7. record
	if err := kind.check(b, stateVersion); err != nil {
		return nil, &StepError{Step: StepRecord, Err: err}
	}
	answer, what, err := describe(b)
	if err != nil {
		return nil, &StepError{Step: StepRecord, Err: err}
	}

	res := &Result{
		Format: b.Format, ChainID: b.ChainID, Kind: b.Kind, Subject: b.Subject, Exists: b.Exists,
		Answer: answer,
		Key:    b.Key, Value: b.Value, Record: b.Record, Also: b.Also, Height: b.Height, BlockHeight: sh.Height,
		BlockTime: sh.Time, StateVersion: stateVersion, AppHash: HexBytes(sh.AppHash), ValidatorsHash: HexBytes(sh.ValidatorsHash),
		Trust: trustReport, Walk: walk, ChainLength: len(b.Chain),
	}
	res.Statement = fmt.Sprintf("AS OF state %d (block time %s): %s", b.Height, FormatTime(sh.Time), what)
	res.Warnings = trustWarnings(trust, walk, sh)
	return res, nil
}

// FormatTime is how a verdict writes a block time: UTC, to the second.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// checkEntryProof verifies one entry's ICS23 proof against the app hash.
// The proof bytes must be the canonical encoding of what they decode to:
// protobuf decoders skip unknown fields, so bytes appended to a proof
// would otherwise go unchecked.
func checkEntryProof(e Entry, appHash []byte) error {
	if len(e.Key) == 0 || len(e.Proof) == 0 {
		return fmt.Errorf("an entry needs a key and a proof")
	}
	var cp ics23.CommitmentProof
	if err := cp.Unmarshal(e.Proof); err != nil {
		return fmt.Errorf("proof does not decode: %v", err)
	}
	again, err := cp.Marshal()
	if err != nil || !bytes.Equal(again, e.Proof) {
		return fmt.Errorf("the proof of key %X is not in canonical protobuf form (unknown or re-encoded fields)", []byte(e.Key))
	}
	if e.Exists {
		if len(e.Value) == 0 {
			return fmt.Errorf("a membership proof needs a value")
		}
		if !ics23.VerifyMembership(ics23.IavlSpec, ics23.CommitmentRoot(appHash), &cp, e.Key, e.Value) {
			return fmt.Errorf("key %X with this value is not in the state committed by app hash %X", []byte(e.Key), appHash)
		}
		return nil
	}
	if len(e.Value) != 0 || len(e.Record) != 0 {
		return fmt.Errorf("a non-membership proof carries no value and no record")
	}
	if !ics23.VerifyNonMembership(ics23.IavlSpec, ics23.CommitmentRoot(appHash), &cp, e.Key) {
		return fmt.Errorf("absence of key %X is not proven against app hash %X", []byte(e.Key), appHash)
	}
	return nil
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
func checkHeader(sh *signedHeader, chainID string) error {
	if err := sh.header.ValidateBasic(); err != nil {
		return fmt.Errorf("invalid header: %w", err)
	}
	if sh.ChainID != chainID {
		return fmt.Errorf("header is of chain %q, the bundle says %q", sh.ChainID, chainID)
	}
	if sh.Commit.Height != sh.Height {
		return fmt.Errorf("header is of block %d, its commit of block %d", sh.Height, sh.Commit.Height)
	}
	// (Commit.ValidateBasic does not check the block id's hash sizes, which
	// the vote sign bytes take as they are.)
	if err := sh.Commit.BlockID.ValidateBasic(); err != nil {
		return fmt.Errorf("the commit's block id: %w", err)
	}
	if hh, ch := sh.header.Hash(), sh.Commit.BlockID.Hash; !bytes.Equal(hh, ch) {
		return fmt.Errorf("the header hashes to %X but the commit signs block %X: header or commit altered", []byte(hh), []byte(ch))
	}
	return nil
}

// checkValidators: the set decodes and is the one the header names.
func checkValidators(vals []Validator, sh *signedHeader) (*validatorSet, error) {
	vs, err := toValidatorSet(vals)
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
func checkCommit(sh *signedHeader, vs *validatorSet) error {
	if err := sh.Commit.ValidateBasic(); err != nil {
		return fmt.Errorf("invalid commit: %w", err)
	}
	if len(sh.Commit.Signatures) != vs.Size() {
		return fmt.Errorf("commit has %d signatures for %d validators", len(sh.Commit.Signatures), vs.Size())
	}
	for i, s := range sh.Commit.Signatures {
		if s.BlockIDFlag == flagAbsent {
			continue
		}
		if !bytes.Equal(s.ValidatorAddress, vs.Validators[i].Address) {
			return fmt.Errorf("signature %d is attributed to %X, but validator %d is %X", i, []byte(s.ValidatorAddress), i, []byte(vs.Validators[i].Address))
		}
	}
	// As CometBFT's VerifyCommit (unlike VerifyCommitLight): every
	// signature present, for the block or for nil, not only until +2/3 is
	// reached.
	if err := verifyCommit(sh.ChainID, vs, sh.Commit); err != nil {
		return fmt.Errorf("block %d: %w", sh.Height, err)
	}
	return nil
}

// signedLink is a decoded, checked header with its commit and set.
type signedLink struct {
	sh   *signedHeader
	vals *validatorSet
}

// checkChain establishes that the set that signed the proven block is
// trusted. Every header of the chain is checked as fully as the proven
// block (well formed, of the chain, its set and every signature of its
// commit), each must follow from the one before as CometBFT's light client
// requires, and the trusted set must be the signer of one of them: usually
// the first (a bundle made for that root), but a verifier holding a newer
// published root finds it later in the walk (or at the proven block), and
// the headers before it are then checked but not needed.
func checkChain(b *Bundle, trust *Trust, top signedLink) ([]LinkReport, TrustReport, error) {
	tr := trust.report()
	links := make([]signedLink, 0, len(b.Chain)+1)
	for i, l := range b.Chain {
		lsh, err := readSignedHeader(l.Header, l.Commit)
		if err != nil {
			return nil, tr, fmt.Errorf("chain link %d: %v", i, err)
		}
		if err := checkHeader(lsh, b.ChainID); err != nil {
			return nil, tr, fmt.Errorf("chain link %d: %w", i, err)
		}
		lvals, err := checkValidators(l.Validators, lsh)
		if err != nil {
			return nil, tr, fmt.Errorf("chain link %d (block %d): %w", i, lsh.Height, err)
		}
		if err := checkCommit(lsh, lvals); err != nil {
			return nil, tr, fmt.Errorf("chain link %d: %w", i, err)
		}
		links = append(links, signedLink{sh: lsh, vals: lvals})
	}
	links = append(links, top)
	walk := make([]LinkReport, len(links))
	root := -1
	for i, l := range links {
		walk[i] = LinkReport{
			Block: l.sh.Height, Time: l.sh.Time, ValidatorsHash: HexBytes(l.vals.Hash()), Validators: l.vals.Size(),
			Power: l.vals.TotalVotingPower(), SignedPower: signedPower(l.sh.Commit, l.vals),
		}
		if i > 0 {
			skip, err := step(links[i-1].sh, links[i-1].vals, l.sh, l.vals)
			if err != nil {
				what := fmt.Sprintf("chain link %d (block %d", i, l.sh.Height)
				if i == len(links)-1 {
					what = fmt.Sprintf("the proven block (%d", l.sh.Height)
				}
				return nil, tr, fmt.Errorf("%s from block %d): %w", what, links[i-1].sh.Height, err)
			}
			if skip {
				walk[i].How = "skip"
				walk[i].TrustedSigned = trustedSigned(l.sh.Commit, links[i-1].vals)
				walk[i].TrustedPower = links[i-1].vals.TotalVotingPower()
			} else {
				walk[i].How = "adjacent"
			}
		}
		if root < 0 && trust.trusts(l.vals) {
			root = i
		}
	}
	if root < 0 {
		if len(b.Chain) == 0 {
			return nil, tr, fmt.Errorf("block %d is signed by validator set %X, which is not the trusted set %X (and the bundle has no header chain from it)", top.sh.Height, top.vals.Hash(), trust.ValidatorsHash)
		}
		return nil, tr, fmt.Errorf("no header of the chain (blocks %d to %d) is signed by the trusted set %X: the bundle was made for another trust root", links[0].sh.Height, top.sh.Height, trust.ValidatorsHash)
	}
	for i := 0; i < root; i++ {
		walk[i].How = "before root"
		walk[i].TrustedSigned, walk[i].TrustedPower = 0, 0
	}
	walk[root].How = "trust root"
	walk[root].TrustedSigned, walk[root].TrustedPower = 0, 0
	tr.FoundAt = links[root].sh.Height
	return walk, tr, nil
}

// signedPower is the power of the validators whose signature for the
// block is in the commit.
func signedPower(c *commit, vs *validatorSet) int64 {
	var p int64
	for i, s := range c.Signatures {
		if s.BlockIDFlag == flagCommit && i < vs.Size() {
			p += vs.Validators[i].VotingPower
		}
	}
	return p
}

// trustedSigned is the power of trusted's members that signed c.
func trustedSigned(c *commit, trusted *validatorSet) int64 {
	var p int64
	for _, s := range c.Signatures {
		if s.BlockIDFlag != flagCommit {
			continue
		}
		if v := trusted.GetByAddress(s.ValidatorAddress); v != nil {
			p += v.VotingPower
		}
	}
	return p
}

// trustLevel is the light client's default: a skipped-to header needs more
// than 1/3 of the trusted set's power among its signers, so at least one
// honest trusted validator vouches for the new set.
var trustLevel = struct{ Numerator, Denominator int64 }{1, 3}

// step is one light-client verification from a trusted header to a later
// one, the checks of CometBFT's light.VerifyAdjacent / VerifyNonAdjacent
// (written out, because the light package pulls in databases that do not
// build for WebAssembly): the new header is well formed, later in height
// and time, names the supplied set; adjacent headers must be named as the
// next set, non-adjacent ones need more than trustLevel (1/3) of the
// trusted set's power among the signers.
// Expiry is against the header's own time (see trustingPeriod).
//
// Precondition: next's commit has passed checkCommit against nextVals
// (every signature valid, each from the validator of its slot, +2/3 of
// nextVals' power for the block), so the signers are counted here rather
// than verified a second time. A signer belongs to the trusted set when its
// address does; an address is the hash of the key, so it is the same key.
// It reports whether next was reached by skipping (non-adjacent).
func step(trusted *signedHeader, trustedVals *validatorSet, next *signedHeader, nextVals *validatorSet) (bool, error) {
	if err := next.ValidateBasic(trusted.ChainID); err != nil {
		return false, fmt.Errorf("invalid header: %w", err)
	}
	if next.Height <= trusted.Height {
		return false, fmt.Errorf("header %d does not come after trusted header %d", next.Height, trusted.Height)
	}
	if !next.Time.After(trusted.Time) {
		return false, fmt.Errorf("header %d time %v is not after trusted header time %v", next.Height, next.Time, trusted.Time)
	}
	if !trusted.Time.Add(trustingPeriod).After(next.Time) {
		return false, fmt.Errorf("trusted header %d is too old", trusted.Height)
	}
	if !bytes.Equal(next.ValidatorsHash, nextVals.Hash()) {
		return false, fmt.Errorf("header %d names validators %X, not the supplied set %X", next.Height, []byte(next.ValidatorsHash), nextVals.Hash())
	}
	if next.Height == trusted.Height+1 {
		if !bytes.Equal(next.ValidatorsHash, trusted.NextValidatorsHash) {
			return false, fmt.Errorf("header %d is signed by %X but header %d named %X as the next set", next.Height, []byte(next.ValidatorsHash), trusted.Height, []byte(trusted.NextValidatorsHash))
		}
		return false, nil
	}
	// More than trustLevel of the trusted power: tallied > total*n/d,
	// which with n/d = 1/3 is tallied*3 > total (no overflow: total power
	// is at most 2^60).
	signed, total := trustedSigned(next.Commit, trustedVals), trustedVals.TotalVotingPower()
	if signed*trustLevel.Denominator <= total*trustLevel.Numerator {
		return false, fmt.Errorf("not enough of the trusted set signed header %d: %d of its %d power, more than %d/%d needed",
			next.Height, signed, total, trustLevel.Numerator, trustLevel.Denominator)
	}
	return true, nil
}
