package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	"github.com/cometbft/cometbft/types"
	ics23 "github.com/cosmos/ics23/go"

	"github.com/jcredit/jcredit/app"
)

// ErrProof is returned when a query's proof does not check out.
var ErrProof = errors.New("proof does not verify")

// Verified is what VerifyQuery established.
type Verified struct {
	// Height is the state version the query answered from (H).
	Height int64 `json:"height"`
	// HeaderHeight is H+1, whose header carries the app hash of H.
	HeaderHeight int64 `json:"header_height"`
	// AppHash is header H+1's app hash: the root the proof reaches.
	AppHash cmtbytes.HexBytes `json:"app_hash"`
	// BlockHash is header H+1's hash (the block id its commit signs).
	BlockHash cmtbytes.HexBytes `json:"block_hash"`
	// Key is the state key proven.
	Key cmtbytes.HexBytes `json:"key"`
	// Exists: membership (the key holds StoredValue) or non-membership.
	Exists bool `json:"exists"`
	// StoredValue is the exact bytes stored under Key, from the proof. A
	// module query answers with a rendering (JSON) of these bytes; the
	// caller compares the two (see query commands).
	StoredValue cmtbytes.HexBytes `json:"stored_value,omitempty"`
}

// HeaderWait bounds how long VerifyQuery waits for block H+1 when the
// query answered from the latest height.
const HeaderWait = 30 * time.Second

// VerifyQuery checks the ICS23 proof in resp (a query made with prove=true)
// against the app hash in header H+1 fetched from the node, waiting for
// that block if needed. It checks that the header is the one its commit
// signs, with +2/3 of the voting power of the validator set the header
// names (see the package doc for what that does and does not prove).
func (c *Client) VerifyQuery(ctx context.Context, resp *abci.QueryResponse) (*Verified, error) {
	if resp.ProofOps == nil || len(resp.ProofOps.Ops) != 1 {
		return nil, fmt.Errorf("%w: the answer carries no proof (query with prove=true)", ErrProof)
	}
	op := resp.ProofOps.Ops[0]
	if op.Type != app.ProofOpType {
		return nil, fmt.Errorf("%w: proof type %q, want %q", ErrProof, op.Type, app.ProofOpType)
	}
	if !bytes.Equal(op.Key, resp.Key) {
		return nil, fmt.Errorf("%w: the proof is for key %X but the answer is for %X", ErrProof, op.Key, resp.Key)
	}
	var proof ics23.CommitmentProof
	if err := proof.Unmarshal(op.Data); err != nil {
		return nil, fmt.Errorf("%w: decode ICS23 proof: %v", ErrProof, err)
	}

	sh, err := c.signedHeader(ctx, resp.Height+1)
	if err != nil {
		return nil, err
	}
	v := &Verified{
		Height: resp.Height, HeaderHeight: sh.Height, AppHash: sh.AppHash,
		BlockHash: sh.Hash(), Key: resp.Key,
	}
	if err := CheckProof(&proof, sh.AppHash, resp.Key, v); err != nil {
		return nil, err
	}
	return v, nil
}

// CheckProof checks an ICS23 IAVL proof of key against root and fills in
// v.Exists and v.StoredValue. It is the offline half of VerifyQuery.
func CheckProof(proof *ics23.CommitmentProof, root, key []byte, v *Verified) error {
	p := ics23.Decompress(proof)
	switch {
	case p.GetExist() != nil:
		ex := p.GetExist()
		if !bytes.Equal(ex.Key, key) {
			return fmt.Errorf("%w: existence proof for key %X, want %X", ErrProof, ex.Key, key)
		}
		if !ics23.VerifyMembership(ics23.IavlSpec, root, p, key, ex.Value) {
			return fmt.Errorf("%w: key %X is not under app hash %X", ErrProof, key, root)
		}
		v.Exists, v.StoredValue = true, ex.Value
	case p.GetNonexist() != nil:
		if !ics23.VerifyNonMembership(ics23.IavlSpec, root, p, key) {
			return fmt.Errorf("%w: the absence of key %X is not proven under app hash %X", ErrProof, key, root)
		}
		v.Exists, v.StoredValue = false, nil
	default:
		return fmt.Errorf("%w: neither an existence nor a non-existence proof", ErrProof)
	}
	return nil
}

// signedHeader fetches the header and commit at height, waiting for the
// block to be committed, and checks them against each other.
func (c *Client) signedHeader(ctx context.Context, height int64) (*types.SignedHeader, error) {
	ctx, cancel := context.WithTimeout(ctx, HeaderWait)
	defer cancel()
	tick := time.NewTicker(c.PollInterval)
	defer tick.Stop()
	for {
		st, err := c.Status(ctx)
		if err == nil && st.SyncInfo.LatestBlockHeight >= height {
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("block %d (whose header carries the app hash to check) did not arrive: %w", height, ctx.Err())
		case <-tick.C:
		}
	}
	res, err := c.RPC.Commit(ctx, &height)
	if err != nil {
		return nil, fmt.Errorf("fetch header %d: %w", height, err)
	}
	sh := res.SignedHeader
	if sh.Header == nil || sh.Commit == nil || sh.Height != height {
		return nil, fmt.Errorf("%w: the node returned no signed header for height %d", ErrProof, height)
	}
	vals, err := c.validators(ctx, height)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(vals.Hash(), sh.ValidatorsHash) {
		return nil, fmt.Errorf("%w: the validator set of height %d does not match header %d", ErrProof, height, height)
	}
	if err := sh.ValidateBasic(sh.ChainID); err != nil {
		return nil, fmt.Errorf("%w: header %d: %v", ErrProof, height, err)
	}
	if err := vals.VerifyCommitLight(sh.ChainID, sh.Commit.BlockID, height, sh.Commit); err != nil {
		return nil, fmt.Errorf("%w: commit of header %d: %v", ErrProof, height, err)
	}
	return &sh, nil
}

// validators fetches the full validator set at height (all pages).
func (c *Client) validators(ctx context.Context, height int64) (*types.ValidatorSet, error) {
	var all []*types.Validator
	perPage := 100
	for page := 1; ; page++ {
		p := page
		res, err := c.RPC.Validators(ctx, &height, &p, &perPage)
		if err != nil {
			return nil, fmt.Errorf("fetch validators of height %d: %w", height, err)
		}
		all = append(all, res.Validators...)
		if len(all) >= res.Total || len(res.Validators) == 0 {
			break
		}
	}
	return types.ValidatorSetFromExistingValidators(all)
}
