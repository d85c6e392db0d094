package app

import (
	"context"
	"encoding/hex"
	"errors"

	abci "github.com/cometbft/cometbft/abci/types"
	crypto "github.com/cometbft/cometbft/api/cometbft/crypto/v1"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/x/module"
)

// ProofOpType names the ICS23 proof carried in a query response's ProofOps.
const ProofOpType = "ics23:iavl"

// StoreKeyPath is the query path for a raw state key (hex in the request
// data). Its answer is the stored bytes.
const StoreKeyPath = "/store/key"

// Query answers read-only questions about committed state at req.Height
// (0: the latest). Paths are "/store/key" (raw key in hex as data),
// "/app/simulate" (a dry run, simulate.go) or a module query, "/<module>/<rpc>" with the request in protobuf JSON as
// data (x/module: QueryRouter). A list request whose cursor pins a height
// is answered at that height, so that a walk over pages reads one state.
// With prove=true the answer carries an ICS23 proof of the backing key
// against the app hash of that height, which appears in the header of the
// next block.
func (a *App) Query(_ context.Context, req *abci.QueryRequest) (*abci.QueryResponse, error) {
	var route *module.QueryRoute
	var request proto.Message
	height, pinned := req.Height, int64(0)
	if req.Path != StoreKeyPath && req.Path != SimulatePath {
		var ok bool
		if route, ok = a.queries.Route(req.Path); !ok {
			return queryError(a.queries.Unknown(req.Path)), nil
		}
		var err error
		if request, err = route.Decode(req.Data); err != nil {
			return queryError(err), nil
		}
		if pinned, err = module.CursorHeight(request); err != nil {
			return queryError(err), nil
		}
		if pinned > 0 && height == 0 {
			height = pinned
		}
	}

	a.mu.RLock()
	version := a.tree.Version()
	if height > 0 {
		version = height
	}
	if version == 0 {
		a.mu.RUnlock()
		return queryError(module.ErrNotFound.Wrapf("no block has been committed yet")), nil
	}
	snap, err := a.tree.At(version)
	a.mu.RUnlock()
	if err != nil && pinned > 0 {
		return queryError(module.ErrNotFound.Wrapf("the cursor reads state %d, which this node no longer has (%v): start the walk again", pinned, err)), nil
	}
	if err != nil {
		return queryError(module.ErrNotFound.Wrapf("%v", err)), nil
	}

	var res module.QueryResult
	switch {
	case req.Path == SimulatePath:
		res, err = a.simulate(snap, req.Data)
		if err != nil {
			return queryError(err), nil
		}
	case route == nil:
		key, err := hex.DecodeString(string(req.Data))
		if err != nil {
			key = req.Data
		}
		res = module.QueryResult{Value: snap.Get(key), Key: key}
	default:
		res, err = route.Answer(module.QueryContext{Store: snap, Height: snap.Version()}, request)
		if err != nil {
			return queryError(err), nil
		}
	}

	out := &abci.QueryResponse{Code: abci.CodeTypeOK, Key: res.Key, Value: res.Value, Height: version}
	if req.Prove {
		if res.Key == nil {
			return queryError(module.ErrBadQuery.Wrapf("query %s has no single backing key to prove", req.Path)), nil
		}
		proof, err := snap.Proof(res.Key)
		if err != nil {
			return queryError(module.ErrInternal.Wrapf("proof: %v", err)), nil
		}
		bz, err := proof.Marshal()
		if err != nil {
			return queryError(module.ErrInternal.Wrapf("proof: %v", err)), nil
		}
		out.ProofOps = &crypto.ProofOps{Ops: []crypto.ProofOp{{Type: ProofOpType, Key: res.Key, Data: bz}}}
	}
	return out, nil
}

func queryError(err error) *abci.QueryResponse {
	space, code := module.CodeOf(err)
	var e *module.Error
	if !errors.As(err, &e) {
		space, code = module.ErrInternal.Codespace, module.ErrInternal.Code
	}
	return &abci.QueryResponse{Codespace: space, Code: code, Log: err.Error()}
}
