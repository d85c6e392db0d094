package accounts

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// Query paths under /accounts/. Single records return their state key, so
// that prove=true yields an ICS23 proof of them against the app hash.
//
//	account/<address>       one account (provable); a rotated-away address
//	                        answers not-found naming the new address
//	retired/<address>       the rotation record of a rotated-away address (provable)
//	role/<role>             accounts holding a role ("provider"), any status
//	validators              the current validator set with operators
//	validator/<key>         one validator by consensus key, hex or base64 (provable)
//	proposals/pending       proposals awaiting approval, soonest to expire first
//	proposal/<id>           one proposal, pending or decided (provable)
//	params                  quorum and proposal lifetime (provable)
func (k *Keeper) Query(q module.QueryContext, path string, _ []byte) (module.QueryResult, error) {
	arg := func(prefix string) (string, bool) {
		if strings.HasPrefix(path, prefix) {
			return strings.TrimPrefix(path, prefix), true
		}
		return "", false
	}
	if a, ok := arg("account/"); ok {
		addr, err := parseQueryAddress(a)
		if err != nil {
			return module.QueryResult{}, err
		}
		acc, err := k.Get(q.Store, addr)
		if err != nil {
			return module.QueryResult{}, err
		}
		if acc == nil {
			if r := k.Retired(q.Store, addr); r != nil {
				return module.QueryResult{}, module.ErrNotFound.Wrapf("%s was rotated to %s at height %d", addr.Hex(), r.RotatedTo, r.Height)
			}
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no account %s", addr.Hex())
		}
		return one(acc, types.AccountStoreKey(addr))
	}
	if a, ok := arg("retired/"); ok {
		addr, err := parseQueryAddress(a)
		if err != nil {
			return module.QueryResult{}, err
		}
		r := k.Retired(q.Store, addr)
		if r == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("%s was never rotated away", addr.Hex())
		}
		return one(r, types.RetiredStoreKey(addr))
	}
	if a, ok := arg("role/"); ok {
		role, err := ParseRole(a)
		if err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("%v", err)
		}
		var accs []proto.Message
		for _, addr := range k.addressesWithRole(q.Store, role) {
			acc, err := k.Get(q.Store, addr)
			if err != nil {
				return module.QueryResult{}, err
			}
			accs = append(accs, acc)
		}
		return list("accounts", accs)
	}
	if path == "validators" {
		var vs []proto.Message
		for _, v := range k.Validators(q.Store) {
			vs = append(vs, v)
		}
		return list("validators", vs)
	}
	if a, ok := arg("validator/"); ok {
		key, err := parsePubKey(a)
		if err != nil {
			return module.QueryResult{}, err
		}
		v := k.GetValidator(q.Store, key)
		if v == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no validator with key %s", a)
		}
		return one(v, types.ValidatorStoreKey(key))
	}
	if path == "proposals/pending" {
		var ps []proto.Message
		for _, p := range k.PendingProposals(q.Store) {
			ps = append(ps, p)
		}
		return list("proposals", ps)
	}
	if a, ok := arg("proposal/"); ok {
		id, err := strconv.ParseUint(a, 10, 64)
		if err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("proposal id %q is not a number", a)
		}
		p := k.GetProposal(q.Store, id)
		if p == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no proposal %d", id)
		}
		return one(p, types.ProposalStoreKey(id))
	}
	if path == "params" {
		return one(k.Params(q.Store), append([]byte(StorePrefix), types.ParamsKey...))
	}
	return module.QueryResult{}, module.ErrBadQuery.Wrapf(
		"unknown accounts query %q; try account/<address>, role/<role>, validators, validator/<key>, proposals/pending, proposal/<id>, retired/<address>, params", path)
}

func parseQueryAddress(s string) (common.Address, error) {
	addr, err := types.ParseAddress(s)
	if err != nil {
		return common.Address{}, module.ErrBadQuery.Wrapf("%v", err)
	}
	return addr, nil
}

// parsePubKey accepts a consensus key in hex or standard base64 (as in
// genesis.json).
func parsePubKey(s string) ([]byte, error) {
	if b, err := hex.DecodeString(strings.TrimPrefix(s, "0x")); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := base64.URLEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, module.ErrBadQuery.Wrapf("%q is not a 32-byte ed25519 key in hex or base64", s)
}

var jsonOpts = protojson.MarshalOptions{}

func one(m proto.Message, key []byte) (module.QueryResult, error) {
	bz, err := jsonOpts.Marshal(m)
	if err != nil {
		return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
	}
	return module.QueryResult{Value: bz, Key: key}, nil
}

// list renders {"<field>": [ ... ]} with each element in protojson.
func list(field string, ms []proto.Message) (module.QueryResult, error) {
	items := make([]json.RawMessage, 0, len(ms))
	for _, m := range ms {
		bz, err := jsonOpts.Marshal(m)
		if err != nil {
			return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
		}
		items = append(items, bz)
	}
	bz, err := json.Marshal(map[string][]json.RawMessage{field: items})
	if err != nil {
		return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
	}
	return module.QueryResult{Value: bz}, nil
}
