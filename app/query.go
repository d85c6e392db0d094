package app

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	crypto "github.com/cometbft/cometbft/api/cometbft/crypto/v1"

	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/x/module"
)

// ProofOpType names the ICS23 proof carried in a query response's ProofOps.
const ProofOpType = "ics23:iavl"

// StoreKeyPath is the query path for a raw state key (hex in the request
// data). Its answer is the stored bytes.
const StoreKeyPath = "/store/key"

// Query answers read-only questions about committed state at req.Height
// (0: the latest). Paths are "/store/key" (raw key in hex as data) or
// "/<module>/<query>". With prove=true the answer carries an ICS23 proof of
// the backing key against the app hash of that height, which appears in the
// header of the next block.
func (a *App) Query(_ context.Context, req *abci.QueryRequest) (*abci.QueryResponse, error) {
	a.mu.RLock()
	version := a.tree.Version()
	if req.Height > 0 {
		version = req.Height
	}
	if version == 0 {
		a.mu.RUnlock()
		return queryError(module.ErrNotFound.Wrapf("no block has been committed yet")), nil
	}
	snap, err := a.tree.At(version)
	a.mu.RUnlock()
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
	case req.Path == StoreKeyPath:
		key, err := hex.DecodeString(string(req.Data))
		if err != nil {
			key = req.Data
		}
		res = module.QueryResult{Value: snap.Get(key), Key: key}
	default:
		res, err = a.route(snap, req.Path, req.Data)
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

func (a *App) route(snap *store.Snapshot, path string, data []byte) (module.QueryResult, error) {
	parts := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 2)
	if len(parts) != 2 {
		return module.QueryResult{}, module.ErrBadQuery.Wrapf("path %q: want /<module>/<query>", path)
	}
	for _, m := range a.modules {
		if m.Name() == parts[0] {
			return m.Query(module.QueryContext{Store: snap, Height: snap.Version()}, parts[1], data)
		}
	}
	return module.QueryResult{}, module.ErrBadQuery.Wrapf("no module %q", parts[0])
}

func queryError(err error) *abci.QueryResponse {
	space, code := module.CodeOf(err)
	var e *module.Error
	if !errors.As(err, &e) {
		space, code = module.ErrInternal.Codespace, module.ErrInternal.Code
	}
	return &abci.QueryResponse{Codespace: space, Code: code, Log: err.Error()}
}
