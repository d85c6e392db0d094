package proof

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sort"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtversion "github.com/cometbft/cometbft/api/cometbft/version/v1"
	"github.com/cometbft/cometbft/crypto"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/types"
	"github.com/cometbft/cometbft/version"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
)

// signers is a validator set with its private keys, for signing headers
// the way CometBFT validators do (real ed25519 signatures over CometBFT's
// canonical vote bytes). It stands in for consensus where a test needs
// many validator-set changes quickly; the state and its proofs still come
// from a real app.
type signers struct {
	vals *types.ValidatorSet
	keys map[string]crypto.PrivKey // by address
}

// newSigners makes a set from seeds (deterministic keys) with the given
// powers.
func newSigners(seeds []string, powers []int64) *signers {
	s := &signers{keys: map[string]crypto.PrivKey{}}
	var vs []*types.Validator
	for i, seed := range seeds {
		k := ed25519.GenPrivKeyFromSecret([]byte("jcredit-proof-test/" + seed))
		s.keys[string(k.PubKey().Address())] = k
		vs = append(vs, types.NewValidator(k.PubKey(), powers[i]))
	}
	s.vals = types.NewValidatorSet(vs)
	return s
}

func hash32(parts ...any) []byte {
	h := sha256.Sum256([]byte(fmt.Sprint(parts...)))
	return h[:]
}

// sign returns a signed header of height with appHash, signed by the
// first n validators of the set (all if n <= 0). The header says the
// state it commits has this binary's state version.
func (s *signers) sign(t testing.TB, chainID string, height int64, tm time.Time, next *types.ValidatorSet, appHash []byte, n int) *types.SignedHeader {
	return s.signVersion(t, chainID, height, tm, next, appHash, n, app.StateVersion)
}

// signVersion is sign with the header's version.app given.
func (s *signers) signVersion(t testing.TB, chainID string, height int64, tm time.Time, next *types.ValidatorSet, appHash []byte, n int, appVersion uint64) *types.SignedHeader {
	t.Helper()
	h := &types.Header{
		Version:            cmtversion.Consensus{Block: version.BlockProtocol, App: appVersion},
		ChainID:            chainID,
		Height:             height,
		Time:               tm,
		LastBlockID:        types.BlockID{Hash: hash32("block", height-1), PartSetHeader: types.PartSetHeader{Total: 1, Hash: hash32("parts", height-1)}},
		LastCommitHash:     hash32("lastcommit", height),
		DataHash:           hash32("data", height),
		ValidatorsHash:     s.vals.Hash(),
		NextValidatorsHash: next.Hash(),
		ConsensusHash:      hash32("consensus"),
		AppHash:            appHash,
		LastResultsHash:    hash32("results", height),
		EvidenceHash:       hash32("evidence", height),
		ProposerAddress:    s.vals.Validators[0].Address,
	}
	blockID := types.BlockID{Hash: h.Hash(), PartSetHeader: types.PartSetHeader{Total: 1, Hash: hash32("parts", height)}}
	if n <= 0 {
		n = s.vals.Size()
	}
	sigs := make([]types.CommitSig, s.vals.Size())
	for i, v := range s.vals.Validators {
		if i >= n {
			sigs[i] = types.NewCommitSigAbsent()
			continue
		}
		vote := &types.Vote{
			Type: types.PrecommitType, Height: height, Round: 0, BlockID: blockID,
			Timestamp: tm.Add(time.Second), ValidatorAddress: v.Address, ValidatorIndex: int32(i),
		}
		sig, err := s.keys[string(v.Address)].Sign(types.VoteSignBytes(chainID, vote.ToProto()))
		if err != nil {
			t.Fatal(err)
		}
		sigs[i] = types.CommitSig{BlockIDFlag: types.BlockIDFlagCommit, ValidatorAddress: v.Address, Timestamp: vote.Timestamp, Signature: sig}
	}
	return &types.SignedHeader{Header: h, Commit: &types.Commit{Height: height, Round: 0, BlockID: blockID, Signatures: sigs}}
}

// appSource is a Source over a real app driven by apptest, with headers
// signed by the set the test schedules for each height.
type appSource struct {
	t      testing.TB
	c      *apptest.Chain
	hashes map[int64][]byte // app hash of each state version
	setAt  func(height int64) *signers
	signed int // how many validators sign each header (0: all)
	// nextAt, if set, is the set a header names as the next one (default:
	// setAt), to model a set taking over without a hand-over.
	nextAt  func(height int64) *signers
	headers map[int64]*types.SignedHeader
	// appVersion is the state version headers state (0: app.StateVersion).
	appVersion uint64
}

func newAppSource(t testing.TB, c *apptest.Chain, setAt func(int64) *signers) *appSource {
	return &appSource{t: t, c: c, hashes: map[int64][]byte{c.Height: c.LastHash}, setAt: setAt, headers: map[int64]*types.SignedHeader{}}
}

// block commits an (empty or not) block and records its app hash.
func (s *appSource) block(txs ...[]byte) []*abci.ExecTxResult {
	res := s.c.Block(txs...)
	s.hashes[s.c.Height] = s.c.LastHash
	return res
}

// LatestHeight: the app's latest block is "in progress": its header exists
// once the next state is committed, as on a real chain.
func (s *appSource) LatestHeight(context.Context) (int64, error) { return s.c.Height + 1, nil }

func (s *appSource) StoreKey(_ context.Context, key []byte, height int64) ([]byte, []byte, error) {
	res, err := s.c.App.Query(context.Background(), &abci.QueryRequest{Path: storeKeyPath, Data: []byte(fmt.Sprintf("%x", key)), Height: height, Prove: true})
	if err != nil {
		return nil, nil, err
	}
	if res.Code != 0 {
		return nil, nil, fmt.Errorf("%s", res.Log)
	}
	return res.Value, res.ProofOps.Ops[0].Data, nil
}

func (s *appSource) Query(_ context.Context, path string, data []byte, height int64) ([]byte, []byte, error) {
	res, err := s.c.App.Query(context.Background(), &abci.QueryRequest{Path: path, Data: data, Height: height})
	if err != nil {
		return nil, nil, err
	}
	if res.Code != 0 {
		return nil, nil, &QueryError{Path: path, Codespace: res.Codespace, Code: res.Code, Log: res.Log}
	}
	return res.Value, res.Key, nil
}

func (s *appSource) SignedHeader(_ context.Context, height int64) (*types.SignedHeader, error) {
	if sh, ok := s.headers[height]; ok {
		return sh, nil
	}
	appHash, ok := s.hashes[height-1]
	if height == 1 {
		appHash, ok = hash32("genesis state"), true
	}
	if !ok {
		return nil, fmt.Errorf("no block %d", height)
	}
	tm := apptest.GenesisTime.Add(time.Duration(height) * time.Minute)
	next := s.setAt(height + 1)
	if s.nextAt != nil {
		next = s.nextAt(height + 1)
	}
	v := s.appVersion
	if v == 0 {
		v = app.StateVersion
	}
	sh := s.setAt(height).signVersion(s.t, apptest.ChainID, height, tm, next.vals, appHash, s.signed, v)
	s.headers[height] = sh
	return sh, nil
}

func (s *appSource) Validators(_ context.Context, height int64) (*types.ValidatorSet, error) {
	return s.setAt(height).vals.Copy(), nil
}

// flip returns a copy of b with bit 0 of byte i inverted.
func flip(b []byte, i int) []byte {
	out := append([]byte{}, b...)
	out[i] ^= 0x01
	return out
}

func u64bytes(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

var _ = sort.Strings
