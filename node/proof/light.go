package proof

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/crypto/merkle"
	"github.com/cometbft/cometbft/crypto/tmhash"
	"google.golang.org/protobuf/encoding/protowire"
)

// This file is the verifier's whole view of CometBFT: a block header, its
// commit and a validator set, read from CometBFT's JSON, and the four
// functions of CometBFT's types package that a proof rests on — the header
// hash, the validator-set hash, the bytes a precommit signs, and the
// checks of a commit — written over plain structs. They exist so that the
// verifier does not import github.com/cometbft/cometbft/types, which pulls
// the ABCI service, gRPC, net/http and the protobuf registries into the
// WebAssembly build (34 MB of it; README "The in-page verifier"). Nothing
// here is cryptography: ed25519 (ZIP-215, as consensus verifies) is
// CometBFT's crypto/ed25519, SHA-256 and the Merkle tree are its
// crypto/tmhash and crypto/merkle. light_test.go proves each function equal
// to CometBFT's own on the real chains of testdata/ and on random values
// (the JSON byte for byte, the hashes, the sign bytes, the verdicts).
//
// It is the one place: the CLI, the API and the page all verify through
// it; only the bundle builder (cometbft.go, never built for the page) uses
// CometBFT's types to read a node.

// Constants of CometBFT v1 (types, version, crypto).
const (
	blockProtocol       = 11      // version.BlockProtocol
	maxChainIDLen       = 50      // types.MaxChainIDLen
	addressSize         = 20      // crypto.AddressSize
	maxSignatureSize    = 96      // types.MaxSignatureSize (of every key type CometBFT has)
	maxTotalVotingPower = 1 << 60 // types.MaxTotalVotingPower: MaxInt64 / 8
	precommitType       = 2       // SignedMsgType PRECOMMIT
	// pubKeyTypeEd25519 is the only key type a jcredit validator can have
	// (x/accounts sets validators with ed25519 keys; the consensus
	// parameters allow no other).
	pubKeyTypeEd25519 = "ed25519"
	// pubKeyNameEd25519 is its name in CometBFT's JSON (genesis, /validators).
	pubKeyNameEd25519 = "tendermint/PubKeyEd25519"
)

// The flags of a commit signature (types.BlockIDFlag).
const (
	flagAbsent byte = 1
	flagCommit byte = 2
	flagNil    byte = 3
)

// header is a CometBFT block header (types.Header).
type header struct {
	Version            consensusVersion
	ChainID            string
	Height             int64
	Time               time.Time
	LastBlockID        blockID
	LastCommitHash     []byte
	DataHash           []byte
	ValidatorsHash     []byte
	NextValidatorsHash []byte
	ConsensusHash      []byte
	AppHash            []byte
	LastResultsHash    []byte
	EvidenceHash       []byte
	ProposerAddress    []byte
}

type consensusVersion struct{ Block, App uint64 }

type blockID struct {
	Hash          []byte
	PartSetHeader partSetHeader
}

type partSetHeader struct {
	Total uint32
	Hash  []byte
}

// commit is the precommits for a block (types.Commit).
type commit struct {
	Height     int64
	Round      int32
	BlockID    blockID
	Signatures []commitSig
}

type commitSig struct {
	BlockIDFlag      byte
	ValidatorAddress []byte
	Timestamp        time.Time
	Signature        []byte
}

// signedHeader is a header with the commit that signs it.
type signedHeader struct {
	*header
	Commit *commit
}

// validator is a member of a validator set: only what the set's hash
// covers, and the address, which is the hash of the key.
type validator struct {
	Address     []byte
	PubKey      ed25519.PubKey
	VotingPower int64
}

// validatorSet is a checked set in CometBFT's order (power descending,
// then address).
type validatorSet struct {
	Validators []*validator
	total      int64
	hash       []byte
}

func (vs *validatorSet) Size() int               { return len(vs.Validators) }
func (vs *validatorSet) TotalVotingPower() int64 { return vs.total }
func (vs *validatorSet) Hash() []byte            { return vs.hash }

// GetByAddress returns the member with that address, or nil.
func (vs *validatorSet) GetByAddress(addr []byte) *validator {
	for _, v := range vs.Validators {
		if bytes.Equal(v.Address, addr) {
			return v
		}
	}
	return nil
}

// ---------------------------------------------------------------- hashing

// Hash is the block hash (types.Header.Hash): the Merkle root of the
// protobuf encoding of each field. Like CometBFT's it is nil when the
// header names no validators or its time cannot be encoded.
func (h *header) Hash() []byte {
	if h == nil || len(h.ValidatorsHash) == 0 {
		return nil
	}
	var version []byte
	version = appendVarintField(version, 1, h.Version.Block)
	version = appendVarintField(version, 2, h.Version.App)
	ts, ok := timestampProto(h.Time)
	if !ok {
		return nil
	}
	return merkle.HashFromByteSlices([][]byte{
		version,
		wrapBytes([]byte(h.ChainID)), // StringValue and BytesValue encode alike
		wrapInt64(h.Height),
		ts,
		h.LastBlockID.proto(),
		wrapBytes(h.LastCommitHash),
		wrapBytes(h.DataHash),
		wrapBytes(h.ValidatorsHash),
		wrapBytes(h.NextValidatorsHash),
		wrapBytes(h.ConsensusHash),
		wrapBytes(h.AppHash),
		wrapBytes(h.LastResultsHash),
		wrapBytes(h.EvidenceHash),
		wrapBytes(h.ProposerAddress),
	})
}

// wrapBytes is a google.protobuf.BytesValue (or StringValue): nothing for
// an empty value (types' cdcEncode).
func wrapBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), b)
}

// wrapInt64 is a google.protobuf.Int64Value; nothing for 0.
func wrapInt64(v int64) []byte {
	if v == 0 {
		return nil
	}
	return appendVarintField(nil, 1, uint64(v))
}

func appendVarintField(b []byte, num protowire.Number, v uint64) []byte {
	if v == 0 {
		return b
	}
	return protowire.AppendVarint(protowire.AppendTag(b, num, protowire.VarintType), v)
}

func appendBytesField(b []byte, num protowire.Number, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	return protowire.AppendBytes(protowire.AppendTag(b, num, protowire.BytesType), v)
}

// timestampProto is a google.protobuf.Timestamp as gogoproto's StdTime
// writes it; false outside the years 1 to 9999, which it refuses.
func timestampProto(t time.Time) ([]byte, bool) {
	const minSeconds, maxSeconds = -62135596800, 253402300800
	s, n := t.Unix(), t.Nanosecond()
	if s < minSeconds || s >= maxSeconds {
		return nil, false
	}
	b := appendVarintField(nil, 1, uint64(s))
	return appendVarintField(b, 2, uint64(int64(n))), true
}

// proto is the block id's protobuf (types.BlockID.ToProto().Marshal()):
// the part-set header is written even when empty.
func (id blockID) proto() []byte {
	b := appendBytesField(nil, 1, id.Hash)
	return protowire.AppendBytes(protowire.AppendTag(b, 2, protowire.BytesType), id.PartSetHeader.proto())
}

func (p partSetHeader) proto() []byte {
	return appendBytesField(appendVarintField(nil, 1, uint64(p.Total)), 2, p.Hash)
}

func (id blockID) isNil() bool {
	return len(id.Hash) == 0 && id.PartSetHeader.Total == 0 && len(id.PartSetHeader.Hash) == 0
}

// voteSignBytes is what validator idx signed (types.Commit.VoteSignBytes):
// the length-prefixed protobuf of its CanonicalVote — a precommit for the
// commit's block (flag commit) or for nil (flag nil), at its timestamp.
// The caller has checked the block id's hash sizes and the timestamp.
func (c *commit) voteSignBytes(chainID string, idx int) []byte {
	s := c.Signatures[idx]
	var v []byte
	v = appendVarintField(v, 1, precommitType)
	if c.Height != 0 {
		v = protowire.AppendFixed64(protowire.AppendTag(v, 2, protowire.Fixed64Type), uint64(c.Height))
	}
	if c.Round != 0 {
		v = protowire.AppendFixed64(protowire.AppendTag(v, 3, protowire.Fixed64Type), uint64(int64(c.Round)))
	}
	if s.BlockIDFlag == flagCommit && !c.BlockID.isNil() {
		v = protowire.AppendBytes(protowire.AppendTag(v, 4, protowire.BytesType), c.BlockID.proto()) // CanonicalBlockID encodes as BlockID
	}
	ts, _ := timestampProto(s.Timestamp)
	v = protowire.AppendBytes(protowire.AppendTag(v, 5, protowire.BytesType), ts)
	v = appendBytesField(v, 6, []byte(chainID))
	return protowire.AppendBytes(nil, v)
}

// validatorBytes is what the set's hash covers of a member
// (types.Validator.Bytes): a SimpleValidator, the key as an ed25519
// PublicKey.
func (v *validator) bytes() []byte {
	pk := protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), v.PubKey)
	b := protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), pk)
	return appendVarintField(b, 2, uint64(v.VotingPower))
}

// ------------------------------------------------------------ validation

func validateHash(h []byte) error {
	if len(h) > 0 && len(h) != tmhash.Size {
		return fmt.Errorf("expected size to be %d bytes, got %d bytes", tmhash.Size, len(h))
	}
	return nil
}

func (id blockID) ValidateBasic() error {
	if err := validateHash(id.Hash); err != nil {
		return errors.New("wrong Hash")
	}
	if err := validateHash(id.PartSetHeader.Hash); err != nil {
		return fmt.Errorf("wrong PartSetHeader: wrong Hash: %w", err)
	}
	return nil
}

// ValidateBasic is types.Header.ValidateBasic.
func (h *header) ValidateBasic() error {
	if h.Version.Block != blockProtocol {
		return fmt.Errorf("block protocol is incorrect: got: %d, want: %d ", h.Version.Block, blockProtocol)
	}
	if len(h.ChainID) > maxChainIDLen {
		return fmt.Errorf("chainID is too long; got: %d, max: %d", len(h.ChainID), maxChainIDLen)
	}
	if h.Height < 0 {
		return errors.New("negative Height")
	} else if h.Height == 0 {
		return errors.New("zero Height")
	}
	if err := h.LastBlockID.ValidateBasic(); err != nil {
		return fmt.Errorf("wrong LastBlockID: %w", err)
	}
	for _, f := range []struct {
		name string
		h    []byte
	}{{"LastCommitHash", h.LastCommitHash}, {"DataHash", h.DataHash}, {"EvidenceHash", h.EvidenceHash}} {
		if err := validateHash(f.h); err != nil {
			return fmt.Errorf("wrong %s: %w", f.name, err)
		}
	}
	if len(h.ProposerAddress) != addressSize {
		return fmt.Errorf("invalid ProposerAddress length; got: %d, expected: %d", len(h.ProposerAddress), addressSize)
	}
	for _, f := range []struct {
		name string
		h    []byte
	}{{"ValidatorsHash", h.ValidatorsHash}, {"NextValidatorsHash", h.NextValidatorsHash}, {"ConsensusHash", h.ConsensusHash}, {"LastResultsHash", h.LastResultsHash}} {
		if err := validateHash(f.h); err != nil {
			return fmt.Errorf("wrong %s: %w", f.name, err)
		}
	}
	return nil
}

// ValidateBasic is types.CommitSig.ValidateBasic.
func (s commitSig) ValidateBasic() error {
	switch s.BlockIDFlag {
	case flagAbsent:
		if len(s.ValidatorAddress) != 0 {
			return errors.New("validator address is present")
		}
		if !s.Timestamp.IsZero() {
			return errors.New("time is present")
		}
		if len(s.Signature) != 0 {
			return errors.New("signature is present")
		}
	case flagCommit, flagNil:
		if len(s.ValidatorAddress) != addressSize {
			return fmt.Errorf("expected ValidatorAddress size to be %d bytes, got %d bytes", addressSize, len(s.ValidatorAddress))
		}
		if len(s.Signature) == 0 {
			return errors.New("signature is missing")
		}
		if len(s.Signature) > maxSignatureSize {
			return fmt.Errorf("signature is too big (max: %d)", maxSignatureSize)
		}
	default:
		return fmt.Errorf("unknown BlockIDFlag: %v", s.BlockIDFlag)
	}
	return nil
}

// ValidateBasic is types.Commit.ValidateBasic.
func (c *commit) ValidateBasic() error {
	if c.Height < 0 {
		return errors.New("negative Height")
	}
	if c.Round < 0 {
		return errors.New("negative Round")
	}
	if c.Height >= 1 {
		if c.BlockID.isNil() {
			return errors.New("commit cannot be for nil block")
		}
		if len(c.Signatures) == 0 {
			return errors.New("no signatures in commit")
		}
		for i, s := range c.Signatures {
			if err := s.ValidateBasic(); err != nil {
				return fmt.Errorf("wrong CommitSig #%d: %w", i, err)
			}
		}
	}
	return nil
}

// ValidateBasic is types.SignedHeader.ValidateBasic.
func (sh signedHeader) ValidateBasic(chainID string) error {
	if sh.header == nil {
		return errors.New("missing header")
	}
	if sh.Commit == nil {
		return errors.New("missing commit")
	}
	if err := sh.header.ValidateBasic(); err != nil {
		return fmt.Errorf("invalid header: %w", err)
	}
	if err := sh.Commit.ValidateBasic(); err != nil {
		return fmt.Errorf("invalid commit: %w", err)
	}
	if sh.ChainID != chainID {
		return fmt.Errorf("header belongs to another chain %q, not %q", sh.ChainID, chainID)
	}
	if sh.Commit.Height != sh.Height {
		return fmt.Errorf("header and commit height mismatch: %d vs %d", sh.Height, sh.Commit.Height)
	}
	if hhash, chash := sh.header.Hash(), sh.Commit.BlockID.Hash; !bytes.Equal(hhash, chash) {
		return fmt.Errorf("commit signs block %X, header is block %X", chash, hhash)
	}
	return nil
}

// verifyCommit is types.VerifyCommit: one signature slot per member of the
// set, every signature present checked (for the block or for nil: the
// timestamps and flags are signed too), and more than 2/3 of the set's
// power for the block. The commit has passed ValidateBasic and its block
// id's.
func verifyCommit(chainID string, vs *validatorSet, c *commit) error {
	if vs.Size() != len(c.Signatures) {
		return fmt.Errorf("Invalid commit -- wrong set size: %v vs %v", vs.Size(), len(c.Signatures))
	}
	needed := vs.TotalVotingPower() * 2 / 3
	var tallied int64
	for i, s := range c.Signatures {
		if s.BlockIDFlag == flagAbsent {
			continue
		}
		if _, ok := timestampProto(s.Timestamp); !ok {
			return fmt.Errorf("signature %d has a timestamp outside the years 1 to 9999", i)
		}
		val := vs.Validators[i]
		if !val.PubKey.VerifySignature(c.voteSignBytes(chainID, i), s.Signature) {
			return fmt.Errorf("wrong signature (#%d): %X", i, s.Signature)
		}
		if s.BlockIDFlag == flagCommit {
			tallied += val.VotingPower
		}
	}
	if tallied <= needed {
		return fmt.Errorf("invalid commit -- insufficient voting power: got %d, needed more than %d", tallied, needed)
	}
	return nil
}

// newValidator checks one member: an ed25519 key of the right size, the
// address derived from it (when given: a trust root may leave it out),
// power at least 1.
func newValidator(keyType string, key, address []byte, power int64) (*validator, error) {
	if keyType != pubKeyTypeEd25519 {
		return nil, fmt.Errorf("key type %q: a jcredit validator's key is %s", keyType, pubKeyTypeEd25519)
	}
	if len(key) != ed25519.PubKeySize {
		return nil, fmt.Errorf("invalid ed25519 key size: %d bytes, want %d", len(key), ed25519.PubKeySize)
	}
	pk := ed25519.PubKey(bytes.Clone(key))
	addr := []byte(pk.Address())
	if address != nil && !bytes.Equal(address, addr) {
		return nil, fmt.Errorf("validator address is incorrectly derived from pubkey. Exp: %X, got %X", addr, address)
	}
	if power < 1 {
		return nil, fmt.Errorf("validator %X has power %d; members of a set have power 1 or more", addr, power)
	}
	return &validator{Address: addr, PubKey: pk, VotingPower: power}, nil
}

// byPower is CometBFT's order of a set (types.ValidatorsByVotingPower):
// power descending, then address ascending.
func byPower(a, b *validator) bool {
	if a.VotingPower == b.VotingPower {
		return bytes.Compare(a.Address, b.Address) < 0
	}
	return a.VotingPower > b.VotingPower
}

// newValidatorSet builds a set without any of the panics CometBFT's
// constructors have on hostile input (total power overflow, duplicates):
// at most MaxValidators members, the total within CometBFT's maximum, in
// CometBFT's order (a list out of order is refused: the set's hash and the
// commit's signature slots follow it), no address twice.
func newValidatorSet(vals []*validator) (*validatorSet, error) {
	if len(vals) == 0 {
		return nil, fmt.Errorf("empty validator set")
	}
	if len(vals) > MaxValidators {
		return nil, fmt.Errorf("%d validators; a set is at most %d", len(vals), MaxValidators)
	}
	var total int64
	for i, v := range vals {
		if v.VotingPower > maxTotalVotingPower-total {
			return nil, fmt.Errorf("the total power of the set exceeds CometBFT's maximum %d", int64(maxTotalVotingPower))
		}
		total += v.VotingPower
		if i > 0 {
			if bytes.Equal(v.Address, vals[i-1].Address) {
				return nil, fmt.Errorf("validator %X is listed twice", v.Address)
			}
			if byPower(v, vals[i-1]) {
				return nil, fmt.Errorf("validators %d and %d are not in CometBFT's order (power descending, then address)", i-1, i)
			}
		}
	}
	bzs := make([][]byte, len(vals))
	for i, v := range vals {
		bzs[i] = v.bytes()
	}
	return &validatorSet{Validators: vals, total: total, hash: merkle.HashFromByteSlices(bzs)}, nil
}

// ------------------------------------------------------------------ JSON

// CometBFT writes its types with its own JSON package (libs/json): 64-bit
// integers as strings, byte strings as upper-case hex (HexBytes) or base64
// ([]byte), times in RFC 3339 UTC ending in Z, an empty list as null. The
// wire types below write exactly that (light_test.go compares the bytes),
// and read it as CometBFT does, so that a bundle's canonical check (the
// text is exactly what its decoding encodes to) means what it meant when
// CometBFT's types read the text.

type jsonInt64 int64

func (v jsonInt64) MarshalJSON() ([]byte, error) {
	return []byte(`"` + fmt.Sprint(int64(v)) + `"`), nil
}

func (v *jsonInt64) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = 0
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("invalid 64-bit integer encoding %q, expected string", b)
	}
	var n int64
	if err := json.Unmarshal(b[1:len(b)-1], &n); err != nil {
		return err
	}
	*v = jsonInt64(n)
	return nil
}

type jsonUint64 uint64

func (v jsonUint64) MarshalJSON() ([]byte, error) {
	return []byte(`"` + fmt.Sprint(uint64(v)) + `"`), nil
}

func (v *jsonUint64) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = 0
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("invalid 64-bit integer encoding %q, expected string", b)
	}
	var n uint64
	if err := json.Unmarshal(b[1:len(b)-1], &n); err != nil {
		return err
	}
	*v = jsonUint64(n)
	return nil
}

// jsonTime is a time as CometBFT writes it: RFC 3339 with nanoseconds,
// UTC, and read only when it ends in Z.
type jsonTime time.Time

func (t jsonTime) MarshalJSON() ([]byte, error) {
	return time.Time(t).Round(0).UTC().MarshalJSON()
}

func (t *jsonTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = jsonTime{}
		return nil
	}
	switch {
	case len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"':
		return fmt.Errorf("JSON time must be an RFC3339 string, but got %q", b)
	case b[len(b)-2] != 'Z':
		return fmt.Errorf("JSON time must be UTC and end with 'Z', but got %q", b)
	}
	var tm time.Time
	if err := tm.UnmarshalJSON(b); err != nil {
		return err
	}
	*t = jsonTime(tm)
	return nil
}

// jsonHex is CometBFT's HexBytes: upper-case hex, "" when empty.
type jsonHex []byte

func (h jsonHex) MarshalJSON() ([]byte, error) { return []byte(`"` + HexBytes(h).String() + `"`), nil }

func (h *jsonHex) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*h = nil
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("invalid hex string: %s", b)
	}
	// The text between the quotes, unescaped as CometBFT reads it.
	x, err := hex.DecodeString(string(b[1 : len(b)-1]))
	if err != nil {
		return err
	}
	*h = x
	return nil
}

type headerJSON struct {
	Version struct {
		Block jsonUint64 `json:"block,omitempty"`
		App   jsonUint64 `json:"app,omitempty"`
	} `json:"version"`
	ChainID            string      `json:"chain_id"`
	Height             jsonInt64   `json:"height"`
	Time               jsonTime    `json:"time"`
	LastBlockID        blockIDJSON `json:"last_block_id"`
	LastCommitHash     jsonHex     `json:"last_commit_hash"`
	DataHash           jsonHex     `json:"data_hash"`
	ValidatorsHash     jsonHex     `json:"validators_hash"`
	NextValidatorsHash jsonHex     `json:"next_validators_hash"`
	ConsensusHash      jsonHex     `json:"consensus_hash"`
	AppHash            jsonHex     `json:"app_hash"`
	LastResultsHash    jsonHex     `json:"last_results_hash"`
	EvidenceHash       jsonHex     `json:"evidence_hash"`
	ProposerAddress    jsonHex     `json:"proposer_address"`
}

type blockIDJSON struct {
	Hash  jsonHex `json:"hash"`
	Parts struct {
		Total uint32  `json:"total"`
		Hash  jsonHex `json:"hash"`
	} `json:"parts"`
}

type commitJSON struct {
	Height     jsonInt64       `json:"height"`
	Round      int32           `json:"round"`
	BlockID    blockIDJSON     `json:"block_id"`
	Signatures []commitSigJSON `json:"signatures"`
}

type commitSigJSON struct {
	BlockIDFlag      byte     `json:"block_id_flag"`
	ValidatorAddress jsonHex  `json:"validator_address"`
	Timestamp        jsonTime `json:"timestamp"`
	Signature        []byte   `json:"signature"`
}

func (j blockIDJSON) value() blockID {
	return blockID{Hash: j.Hash, PartSetHeader: partSetHeader{Total: j.Parts.Total, Hash: j.Parts.Hash}}
}

func (id blockID) json() blockIDJSON {
	var j blockIDJSON
	j.Hash, j.Parts.Total, j.Parts.Hash = id.Hash, id.PartSetHeader.Total, id.PartSetHeader.Hash
	return j
}

func (h *header) MarshalJSON() ([]byte, error) {
	j := headerJSON{
		ChainID: h.ChainID, Height: jsonInt64(h.Height), Time: jsonTime(h.Time), LastBlockID: h.LastBlockID.json(),
		LastCommitHash: h.LastCommitHash, DataHash: h.DataHash, ValidatorsHash: h.ValidatorsHash,
		NextValidatorsHash: h.NextValidatorsHash, ConsensusHash: h.ConsensusHash, AppHash: h.AppHash,
		LastResultsHash: h.LastResultsHash, EvidenceHash: h.EvidenceHash, ProposerAddress: h.ProposerAddress,
	}
	j.Version.Block, j.Version.App = jsonUint64(h.Version.Block), jsonUint64(h.Version.App)
	return json.Marshal(j)
}

func (h *header) UnmarshalJSON(b []byte) error {
	var j headerJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*h = header{
		Version: consensusVersion{Block: uint64(j.Version.Block), App: uint64(j.Version.App)},
		ChainID: j.ChainID, Height: int64(j.Height), Time: time.Time(j.Time), LastBlockID: j.LastBlockID.value(),
		LastCommitHash: j.LastCommitHash, DataHash: j.DataHash, ValidatorsHash: j.ValidatorsHash,
		NextValidatorsHash: j.NextValidatorsHash, ConsensusHash: j.ConsensusHash, AppHash: j.AppHash,
		LastResultsHash: j.LastResultsHash, EvidenceHash: j.EvidenceHash, ProposerAddress: j.ProposerAddress,
	}
	return nil
}

func (c *commit) MarshalJSON() ([]byte, error) {
	j := commitJSON{Height: jsonInt64(c.Height), Round: c.Round, BlockID: c.BlockID.json()}
	if c.Signatures != nil {
		j.Signatures = make([]commitSigJSON, len(c.Signatures))
	}
	for i, s := range c.Signatures {
		j.Signatures[i] = commitSigJSON{BlockIDFlag: s.BlockIDFlag, ValidatorAddress: s.ValidatorAddress, Timestamp: jsonTime(s.Timestamp), Signature: s.Signature}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a commit as CometBFT's JSON package does, which
// keeps an empty list or byte string as nil.
func (c *commit) UnmarshalJSON(b []byte) error {
	var j commitJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*c = commit{Height: int64(j.Height), Round: j.Round, BlockID: j.BlockID.value()}
	for _, s := range j.Signatures {
		if len(s.Signature) == 0 {
			s.Signature = nil
		}
		c.Signatures = append(c.Signatures, commitSig{BlockIDFlag: s.BlockIDFlag, ValidatorAddress: s.ValidatorAddress, Timestamp: time.Time(s.Timestamp), Signature: s.Signature})
	}
	return nil
}

// keyJSON is a public key in CometBFT's JSON ({"type": name, "value":
// base64}), as genesis files and the /validators RPC write it.
type keyJSON struct {
	Type  string `json:"type"`
	Value []byte `json:"value"`
}

func (k keyJSON) keyType() (string, error) {
	if k.Type != pubKeyNameEd25519 {
		return "", fmt.Errorf("key type %q: a jcredit validator's key is %s", k.Type, pubKeyNameEd25519)
	}
	return pubKeyTypeEd25519, nil
}
