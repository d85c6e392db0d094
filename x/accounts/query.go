package accounts

import (
	"strings"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/jcredit/jcredit/x/module"
)

// Query paths under /accounts/:
//
//	account/<address>   one account (provable: its state key is returned)
func (k *Keeper) Query(q module.QueryContext, path string, _ []byte) (module.QueryResult, error) {
	switch {
	case strings.HasPrefix(path, "account/"):
		addr, err := ParseAddress(strings.TrimPrefix(path, "account/"))
		if err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("%v", err)
		}
		acc, err := k.Get(q.Store, addr)
		if err != nil {
			return module.QueryResult{}, err
		}
		if acc == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no account %s", addr.Hex())
		}
		bz, err := protojson.Marshal(acc)
		if err != nil {
			return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
		}
		return module.QueryResult{Value: bz, Key: AccountStoreKey(addr)}, nil
	}
	return module.QueryResult{}, module.ErrBadQuery.Wrapf("unknown accounts query %q", path)
}
