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

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// Query paths under /accounts/. Single records return their state key, so
// that prove=true yields an ICS23 proof of them. An account is named by one
// of its keys' addresses or by its number. Answers that name accounts by
// number list them under "accounts" with their current address and legal
// name (resolved at read time; not part of any proven value).
//
//	account/<address|number> one account (provable: a/<number>); a
//	                        rotated-away address answers not-found naming
//	                        the new address
//	key/<address>           a signing key: its account and nonce (provable: k/<address>)
//	retired/<address>       the rotation record of a rotated-away address (provable)
//	role/<role>             accounts holding a role ("provider"), any status, by number
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
	lookup := func(n uint64) (*accountsv1.Account, error) { return k.Account(q.Store, n) }
	if a, ok := arg("account/"); ok {
		addr, n, err := types.ParseAccountArg(a)
		if err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("%v", err)
		}
		if n == 0 {
			var found bool
			if n, found = k.AccountNumber(q.Store, addr); !found {
				if r := k.Retired(q.Store, addr); r != nil {
					return module.QueryResult{}, module.ErrNotFound.Wrapf("%s was rotated to %s at height %d", addr.Hex(), r.RotatedTo, r.Height)
				}
				return module.QueryResult{}, module.ErrNotFound.Wrapf("no account %s", addr.Hex())
			}
		}
		acc, err := k.Account(q.Store, n)
		if err != nil {
			return module.QueryResult{}, err
		}
		if acc == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no account number %d", n)
		}
		return one(acc, types.AccountStoreKey(n), nil)
	}
	if a, ok := arg("key/"); ok {
		addr, err := parseQueryAddress(a)
		if err != nil {
			return module.QueryResult{}, err
		}
		r := k.KeyRef(q.Store, addr)
		if r == nil {
			if rr := k.Retired(q.Store, addr); rr != nil {
				return module.QueryResult{}, module.ErrNotFound.Wrapf("%s was rotated to %s at height %d", addr.Hex(), rr.RotatedTo, rr.Height)
			}
			return module.QueryResult{}, module.ErrNotFound.Wrapf("%s is no account's key", addr.Hex())
		}
		return oneWithAccounts(r, types.KeyRefStoreKey(addr), lookup, r.Account)
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
		return oneWithAccounts(r, types.RetiredStoreKey(addr), lookup, r.Account)
	}
	if a, ok := arg("role/"); ok {
		role, err := ParseRole(a)
		if err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("%v", err)
		}
		var accs []proto.Message
		for _, n := range k.accountsWithRole(q.Store, role) {
			acc, err := k.Account(q.Store, n)
			if err != nil {
				return module.QueryResult{}, err
			}
			if acc == nil {
				return module.QueryResult{}, module.ErrInternal.Wrapf("the role index names account %d, which does not exist", n)
			}
			accs = append(accs, acc)
		}
		return list("accounts", accs, nil, nil)
	}
	if path == "validators" {
		var vs []proto.Message
		var nums []uint64
		for _, v := range k.Validators(q.Store) {
			vs = append(vs, v)
			nums = append(nums, v.OperatorAccount)
		}
		return list("validators", vs, lookup, nums)
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
		return oneWithAccounts(v, types.ValidatorStoreKey(key), lookup, v.OperatorAccount)
	}
	if path == "proposals/pending" {
		var ps []proto.Message
		var nums []uint64
		for _, p := range k.PendingProposals(q.Store) {
			ps = append(ps, p)
			nums = append(nums, proposalAccounts(p)...)
		}
		return list("proposals", ps, lookup, nums)
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
		return oneWithAccounts(p, types.ProposalStoreKey(id), lookup, proposalAccounts(p)...)
	}
	if path == "params" {
		return one(k.Params(q.Store), types.ParamsStoreKey(), nil)
	}
	return module.QueryResult{}, module.ErrBadQuery.Wrapf(
		"unknown accounts query %q; try account/<address|number>, key/<address>, role/<role>, validators, validator/<key>, proposals/pending, proposal/<id>, retired/<address>, params", path)
}

// proposalAccounts are the accounts a proposal names by number.
func proposalAccounts(p *accountsv1.Proposal) []uint64 {
	return append([]uint64{p.ProposerAccount}, p.ApprovalAccounts...)
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

// one renders a record; with refs, the accounts it names are appended
// under "accounts".
func one(m proto.Message, key []byte, refs []types.AccountRef) (module.QueryResult, error) {
	bz, err := jsonOpts.Marshal(m)
	if err != nil {
		return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
	}
	if refs != nil {
		if bz, err = types.WithAccounts(bz, refs); err != nil {
			return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
		}
	}
	return module.QueryResult{Value: bz, Key: key}, nil
}

func oneWithAccounts(m proto.Message, key []byte, lookup types.Lookup, nums ...uint64) (module.QueryResult, error) {
	refs, err := types.Refs(lookup, nums...)
	if err != nil {
		return module.QueryResult{}, err
	}
	return one(m, key, refs)
}

// list renders {"<field>": [ ... ]} with each element in protojson, and,
// with lookup, the accounts nums names under "accounts".
func list(field string, ms []proto.Message, lookup types.Lookup, nums []uint64) (module.QueryResult, error) {
	items := make([]json.RawMessage, 0, len(ms))
	for _, m := range ms {
		bz, err := jsonOpts.Marshal(m)
		if err != nil {
			return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
		}
		items = append(items, bz)
	}
	out := map[string]any{field: items}
	if lookup != nil {
		refs, err := types.Refs(lookup, nums...)
		if err != nil {
			return module.QueryResult{}, err
		}
		out["accounts"] = refs
	}
	bz, err := json.Marshal(out)
	if err != nil {
		return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
	}
	return module.QueryResult{Value: bz}, nil
}
