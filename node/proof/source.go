//go:build !js

package proof

import (
	"context"
	"encoding/hex"
	"fmt"

	rpcclient "github.com/cometbft/cometbft/rpc/client"
	"github.com/cometbft/cometbft/types"
)

// Source is what the builder reads from a node. Any node of the chain will
// do: the bundle is checked against signatures, not against the node.
type Source interface {
	// LatestHeight is the height of the latest block with a commit.
	LatestHeight(ctx context.Context) (int64, error)
	// StoreKey returns the value stored under key in state version height
	// (nil if absent) and the ICS23 CommitmentProof (protobuf) of it.
	StoreKey(ctx context.Context, key []byte, height int64) (value, proof []byte, err error)
	// Query runs an app query (path /<module>/<rpc>, data the request in
	// protobuf JSON) at state version height and returns its answer and
	// the state key backing it (module.QueryResult.Key).
	Query(ctx context.Context, path string, data []byte, height int64) (value, key []byte, err error)
	// SignedHeader returns block height's header and the commit for it.
	SignedHeader(ctx context.Context, height int64) (*types.SignedHeader, error)
	// Validators returns the whole validator set of block height.
	Validators(ctx context.Context, height int64) (*types.ValidatorSet, error)
}

// storeKeyPath and proofOpType are the app's raw-key query (see app.Query):
// data is the key in hex, the answer the stored bytes with an ICS23 proof.
const (
	storeKeyPath = "/store/key"
	proofOpType  = "ics23:iavl"
)

// RPCSource reads from a node over CometBFT's RPC (the HTTP client, or the
// local client of an in-process node).
type RPCSource struct{ Client rpcclient.Client }

var _ Source = RPCSource{}

func (s RPCSource) LatestHeight(ctx context.Context) (int64, error) {
	st, err := s.Client.Status(ctx)
	if err != nil {
		return 0, err
	}
	return st.SyncInfo.LatestBlockHeight, nil
}

func (s RPCSource) StoreKey(ctx context.Context, key []byte, height int64) ([]byte, []byte, error) {
	res, err := s.Client.ABCIQueryWithOptions(ctx, storeKeyPath, []byte(hex.EncodeToString(key)),
		rpcclient.ABCIQueryOptions{Height: height, Prove: true})
	if err != nil {
		return nil, nil, err
	}
	r := res.Response
	if r.Code != 0 {
		return nil, nil, fmt.Errorf("query %s at height %d: %s", storeKeyPath, height, r.Log)
	}
	if r.Height != height {
		return nil, nil, fmt.Errorf("asked for state %d, the node answered for %d", height, r.Height)
	}
	if r.ProofOps == nil || len(r.ProofOps.Ops) != 1 || r.ProofOps.Ops[0].Type != proofOpType {
		return nil, nil, fmt.Errorf("the node returned no %s proof", proofOpType)
	}
	return r.Value, r.ProofOps.Ops[0].Data, nil
}

func (s RPCSource) Query(ctx context.Context, path string, data []byte, height int64) ([]byte, []byte, error) {
	res, err := s.Client.ABCIQueryWithOptions(ctx, path, data, rpcclient.ABCIQueryOptions{Height: height})
	if err != nil {
		return nil, nil, err
	}
	if res.Response.Code != 0 {
		return nil, nil, &QueryError{Path: path, Codespace: res.Response.Codespace, Code: res.Response.Code, Log: res.Response.Log}
	}
	return res.Response.Value, res.Response.Key, nil
}

// QueryError is an app query's refusal (for example: not found).
type QueryError struct {
	Path      string
	Codespace string
	Code      uint32
	Log       string
}

func (e *QueryError) Error() string { return fmt.Sprintf("query %s: %s", e.Path, e.Log) }

// NotFound reports whether the app answered "not found".
func (e *QueryError) NotFound() bool { return e.Codespace == "query" && e.Code == 3 }

func (s RPCSource) SignedHeader(ctx context.Context, height int64) (*types.SignedHeader, error) {
	res, err := s.Client.Commit(ctx, &height)
	if err != nil {
		return nil, err
	}
	return &res.SignedHeader, nil
}

func (s RPCSource) Validators(ctx context.Context, height int64) (*types.ValidatorSet, error) {
	var all []*types.Validator
	perPage := 100
	for page := 1; ; page++ {
		res, err := s.Client.Validators(ctx, &height, &page, &perPage)
		if err != nil {
			return nil, err
		}
		all = append(all, res.Validators...)
		if len(all) >= res.Total || len(res.Validators) == 0 {
			break
		}
	}
	// The RPC lists the set in its own order, which the commit's
	// signatures follow; keep it.
	return types.ValidatorSetFromExistingValidators(all)
}
