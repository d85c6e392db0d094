package accounts

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// RegisterQueries answers the rpcs of service jcredit.accounts.v1.Query
// (proto/jcredit/accounts/v1/query.proto) at /accounts/<rpc>, each request
// in protobuf JSON (see x/module). Single records are provable: Account
// (a/<number>), Key (k/<address>), RetiredAddress (t/<address>), Validator
// (v/<key>), Proposal (g/<id>), Params. Lists page (x/module: Page):
// Accounts by number (or the role index r/<role><number>), Validators by
// consensus key, Proposals by id (or, pending only, the expiry index
// x/<expires><id>). An account is named by one of its keys' addresses or
// by its number. Answers whose records name accounts by number list those
// accounts under "accounts" (AccountRef: address and legal name at the
// answer's height, not part of any proven value).
func (k *Keeper) RegisterQueries(r *module.QueryRouter) {
	s := r.Service(ModuleName, accountsv1.File_jcredit_accounts_v1_query_proto.Services().ByName("Query"))
	module.RegisterRecordQuery(s, k.queryAccount)
	module.RegisterQuery(s, k.queryAccounts)
	module.RegisterRecordQuery(s, k.queryKey)
	module.RegisterRecordQuery(s, k.queryRetiredAddress)
	module.RegisterQuery(s, k.queryValidators)
	module.RegisterRecordQuery(s, k.queryValidator)
	module.RegisterQuery(s, k.queryProposals)
	module.RegisterRecordQuery(s, k.queryProposal)
	module.RegisterRecordQuery(s, k.queryParams)
	module.RegisterRecordQuery(s, k.queryGxOperator) // gx.go
	module.RegisterQuery(s, k.queryCorporateAccounts)
	module.RegisterQuery(s, k.queryDetailsHistory)
	module.RegisterRecordQuery(s, k.queryDelegation)
	module.RegisterQuery(s, k.queryDelegations)
	module.RegisterQuery(s, k.queryTrustedRecipients)
	module.RegisterQuery(s, k.queryMembers) // query_members.go
	module.RegisterRecordQuery(s, k.queryPolicy)
	module.RegisterRecordQuery(s, k.queryPendingAction)
	module.RegisterQuery(s, k.queryPendingActions)
}

func (k *Keeper) queryTrustedRecipients(q module.QueryContext, req *accountsv1.QueryTrustedRecipientsRequest) (*accountsv1.QueryTrustedRecipientsResponse, error) {
	n, err := k.queryAccountNumber(q, req.Account)
	if err != nil {
		return nil, err
	}
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	out := &accountsv1.QueryTrustedRecipientsResponse{}
	nums := []uint64{n}
	out.Page, err = pg.Walk(k.store(q.Store), types.TrustedPrefixOf(n), func(_, value []byte) (bool, error) {
		tr := &accountsv1.TrustedRecipient{}
		if err := proto.Unmarshal(value, tr); err != nil {
			return false, module.ErrInternal.Wrapf("trusted recipient: %v", err)
		}
		out.TrustedRecipients = append(out.TrustedRecipients, tr)
		nums = append(nums, tr.Recipient)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if out.Accounts, err = k.refs(q, nums...); err != nil {
		return nil, err
	}
	return out, nil
}

func (k *Keeper) queryDelegation(q module.QueryContext, req *accountsv1.QueryDelegationRequest) (*accountsv1.QueryDelegationResponse, []byte, error) {
	grantor, err := k.queryAccountNumber(q, req.Grantor)
	if err != nil {
		return nil, nil, err
	}
	agent, err := k.queryAccountNumber(q, req.Agent)
	if err != nil {
		return nil, nil, err
	}
	d, err := k.Delegation(q.Store, grantor, agent)
	if err != nil {
		return nil, nil, err
	}
	if d == nil {
		return nil, nil, module.ErrNotFound.Wrapf("account %d holds no delegation from account %d", agent, grantor)
	}
	refs, err := k.refs(q, grantor, agent)
	if err != nil {
		return nil, nil, err
	}
	return &accountsv1.QueryDelegationResponse{Delegation: d, Accounts: refs}, types.DelegationStoreKey(grantor, agent), nil
}

func (k *Keeper) queryDelegations(q module.QueryContext, req *accountsv1.QueryDelegationsRequest) (*accountsv1.QueryDelegationsResponse, error) {
	grantor, err := k.queryAccountNumber(q, req.Grantor)
	if err != nil {
		return nil, err
	}
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	out := &accountsv1.QueryDelegationsResponse{}
	nums := []uint64{grantor}
	out.Page, err = pg.Walk(k.store(q.Store), types.DelegationPrefixOf(grantor), func(_, value []byte) (bool, error) {
		d := &accountsv1.Delegation{}
		if err := proto.Unmarshal(value, d); err != nil {
			return false, module.ErrInternal.Wrapf("delegation: %v", err)
		}
		out.Delegations = append(out.Delegations, d)
		nums = append(nums, d.Agent)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if out.Accounts, err = k.refs(q, nums...); err != nil {
		return nil, err
	}
	return out, nil
}

// queryCorporateAccounts lists the accounts of one corporation (its
// department accounts) from the cn/ index, by account number.
func (k *Keeper) queryCorporateAccounts(q module.QueryContext, req *accountsv1.QueryCorporateAccountsRequest) (*accountsv1.QueryCorporateAccountsResponse, error) {
	if err := types.ValidateCorporateNumber(req.CorporateNumber); err != nil {
		return nil, module.ErrBadQuery.Wrapf("%v", err)
	}
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	out := &accountsv1.QueryCorporateAccountsResponse{}
	out.Page, err = pg.Walk(k.store(q.Store), types.CorporatePrefixOf(req.CorporateNumber), func(key, _ []byte) (bool, error) {
		if len(key) != 8 {
			return false, module.ErrInternal.Wrapf("malformed corporate number index key")
		}
		n := binary.BigEndian.Uint64(key)
		acc, err := k.Account(q.Store, n)
		if err != nil {
			return false, err
		}
		if acc == nil {
			return false, module.ErrInternal.Wrapf("the corporate number index names account %d, which does not exist", n)
		}
		out.Accounts = append(out.Accounts, acc)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryDetailsHistory lists the replaced versions of an account's details,
// oldest first.
func (k *Keeper) queryDetailsHistory(q module.QueryContext, req *accountsv1.QueryDetailsHistoryRequest) (*accountsv1.QueryDetailsHistoryResponse, error) {
	n, err := k.queryAccountNumber(q, req.Account)
	if err != nil {
		return nil, err
	}
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	out := &accountsv1.QueryDetailsHistoryResponse{}
	out.Page, err = pg.Walk(k.store(q.Store), types.DetailsHistoryPrefixOf(n), func(_, value []byte) (bool, error) {
		d := &accountsv1.AccountDetails{}
		if err := proto.Unmarshal(value, d); err != nil {
			return false, module.ErrInternal.Wrapf("details history: %v", err)
		}
		out.Details = append(out.Details, d)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryAccountNumber resolves a query's account argument (address or
// number) to an existing account's number.
func (k *Keeper) queryAccountNumber(q module.QueryContext, arg string) (uint64, error) {
	addr, n, err := types.ParseAccountArg(arg)
	if err != nil {
		return 0, module.ErrBadQuery.Wrapf("%v", err)
	}
	if n == 0 {
		var found bool
		if n, found = k.AccountNumber(q.Store, addr); !found {
			if r := k.Retired(q.Store, addr); r != nil {
				return r.Account, nil
			}
			return 0, module.ErrNotFound.Wrapf("no account %s", addr.Hex())
		}
	}
	if acc, err := k.Account(q.Store, n); err != nil {
		return 0, err
	} else if acc == nil {
		return 0, module.ErrNotFound.Wrapf("no account number %d", n)
	}
	return n, nil
}

func (k *Keeper) queryAccount(q module.QueryContext, req *accountsv1.QueryAccountRequest) (*accountsv1.QueryAccountResponse, []byte, error) {
	addr, n, err := types.ParseAccountArg(req.Account)
	if err != nil {
		return nil, nil, module.ErrBadQuery.Wrapf("%v", err)
	}
	if n == 0 {
		var found bool
		if n, found = k.AccountNumber(q.Store, addr); !found {
			if r := k.Retired(q.Store, addr); r != nil {
				return nil, nil, module.ErrNotFound.Wrapf("%s was rotated to %s at height %d", addr.Hex(), r.RotatedTo, r.Height)
			}
			return nil, nil, module.ErrNotFound.Wrapf("no account %s", addr.Hex())
		}
	}
	acc, err := k.Account(q.Store, n)
	if err != nil {
		return nil, nil, err
	}
	if acc == nil {
		return nil, nil, module.ErrNotFound.Wrapf("no account number %d", n)
	}
	return &accountsv1.QueryAccountResponse{Account: acc}, types.AccountStoreKey(n), nil
}

func (k *Keeper) queryAccounts(q module.QueryContext, req *accountsv1.QueryAccountsRequest) (*accountsv1.QueryAccountsResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	name, err := module.NewNameFilter(req.Name)
	if err != nil {
		return nil, err
	}
	out := &accountsv1.QueryAccountsResponse{}
	keep := func(acc *accountsv1.Account) bool {
		if (req.Status != 0 && acc.Status != req.Status) || !name.Match(acc.LegalName) {
			return false
		}
		out.Accounts = append(out.Accounts, acc)
		return true
	}
	st := k.store(q.Store)
	if req.Role != 0 {
		out.Page, err = pg.Walk(st, types.RolePrefixOf(req.Role), func(key, _ []byte) (bool, error) {
			if len(key) != 8 {
				return false, module.ErrInternal.Wrapf("malformed role index key")
			}
			acc, err := k.Account(q.Store, binary.BigEndian.Uint64(key))
			if err != nil {
				return false, err
			}
			if acc == nil {
				return false, module.ErrInternal.Wrapf("the role index names account %d, which does not exist", binary.BigEndian.Uint64(key))
			}
			return keep(acc), nil
		})
	} else {
		out.Page, err = pg.Walk(st, types.AccountPrefix, func(_, value []byte) (bool, error) {
			acc := &accountsv1.Account{}
			if err := proto.Unmarshal(value, acc); err != nil {
				return false, module.ErrInternal.Wrapf("account: %v", err)
			}
			return keep(acc), nil
		})
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (k *Keeper) queryKey(q module.QueryContext, req *accountsv1.QueryKeyRequest) (*accountsv1.QueryKeyResponse, []byte, error) {
	addr, err := parseQueryAddress(req.Address)
	if err != nil {
		return nil, nil, err
	}
	r := k.KeyRef(q.Store, addr)
	if r == nil {
		if rr := k.Retired(q.Store, addr); rr != nil {
			return nil, nil, module.ErrNotFound.Wrapf("%s was rotated to %s at height %d", addr.Hex(), rr.RotatedTo, rr.Height)
		}
		return nil, nil, module.ErrNotFound.Wrapf("%s is no account's key", addr.Hex())
	}
	refs, err := k.refs(q, r.Account)
	if err != nil {
		return nil, nil, err
	}
	return &accountsv1.QueryKeyResponse{Key: r, Accounts: refs}, types.KeyRefStoreKey(addr), nil
}

func (k *Keeper) queryRetiredAddress(q module.QueryContext, req *accountsv1.QueryRetiredAddressRequest) (*accountsv1.QueryRetiredAddressResponse, []byte, error) {
	addr, err := parseQueryAddress(req.Address)
	if err != nil {
		return nil, nil, err
	}
	r := k.Retired(q.Store, addr)
	if r == nil {
		return nil, nil, module.ErrNotFound.Wrapf("%s was never rotated away", addr.Hex())
	}
	refs, err := k.refs(q, r.Account)
	if err != nil {
		return nil, nil, err
	}
	return &accountsv1.QueryRetiredAddressResponse{Retired: r, Accounts: refs}, types.RetiredStoreKey(addr), nil
}

func (k *Keeper) queryValidators(q module.QueryContext, req *accountsv1.QueryValidatorsRequest) (*accountsv1.QueryValidatorsResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	out := &accountsv1.QueryValidatorsResponse{}
	var nums []uint64
	out.Page, err = pg.Walk(k.store(q.Store), types.ValidatorPrefix, func(_, value []byte) (bool, error) {
		v := &accountsv1.Validator{}
		if err := proto.Unmarshal(value, v); err != nil {
			return false, module.ErrInternal.Wrapf("validator: %v", err)
		}
		out.Validators = append(out.Validators, v)
		nums = append(nums, v.OperatorAccount)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if out.Accounts, err = k.refs(q, nums...); err != nil {
		return nil, err
	}
	return out, nil
}

func (k *Keeper) queryValidator(q module.QueryContext, req *accountsv1.QueryValidatorRequest) (*accountsv1.QueryValidatorResponse, []byte, error) {
	key, err := parsePubKey(req.PubKey)
	if err != nil {
		return nil, nil, err
	}
	v := k.GetValidator(q.Store, key)
	if v == nil {
		return nil, nil, module.ErrNotFound.Wrapf("no validator with key %s", req.PubKey)
	}
	refs, err := k.refs(q, v.OperatorAccount)
	if err != nil {
		return nil, nil, err
	}
	return &accountsv1.QueryValidatorResponse{Validator: v, Accounts: refs}, types.ValidatorStoreKey(key), nil
}

func (k *Keeper) queryProposals(q module.QueryContext, req *accountsv1.QueryProposalsRequest) (*accountsv1.QueryProposalsResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	out := &accountsv1.QueryProposalsResponse{}
	var nums []uint64
	keep := func(p *accountsv1.Proposal) {
		out.Proposals = append(out.Proposals, p)
		nums = append(nums, proposalAccounts(p)...)
	}
	st := k.store(q.Store)
	if req.Pending {
		out.Page, err = pg.Walk(st, types.ExpiryPrefix, func(key, _ []byte) (bool, error) {
			if len(key) != 16 {
				return false, module.ErrInternal.Wrapf("malformed expiry index key")
			}
			p := k.GetProposal(q.Store, binary.BigEndian.Uint64(key[8:]))
			if p == nil {
				return false, module.ErrInternal.Wrapf("the expiry index names a missing proposal %d", binary.BigEndian.Uint64(key[8:]))
			}
			keep(p)
			return true, nil
		})
	} else {
		out.Page, err = pg.Walk(st, types.ProposalPrefix, func(_, value []byte) (bool, error) {
			p := &accountsv1.Proposal{}
			if err := proto.Unmarshal(value, p); err != nil {
				return false, module.ErrInternal.Wrapf("proposal: %v", err)
			}
			keep(p)
			return true, nil
		})
	}
	if err != nil {
		return nil, err
	}
	if out.Accounts, err = k.refs(q, nums...); err != nil {
		return nil, err
	}
	return out, nil
}

func (k *Keeper) queryProposal(q module.QueryContext, req *accountsv1.QueryProposalRequest) (*accountsv1.QueryProposalResponse, []byte, error) {
	if req.Id == 0 {
		return nil, nil, module.ErrBadQuery.Wrapf("give a proposal id (from 1)")
	}
	p := k.GetProposal(q.Store, req.Id)
	if p == nil {
		return nil, nil, module.ErrNotFound.Wrapf("no proposal %d", req.Id)
	}
	refs, err := k.refs(q, proposalAccounts(p)...)
	if err != nil {
		return nil, nil, err
	}
	return &accountsv1.QueryProposalResponse{Proposal: p, Accounts: refs}, types.ProposalStoreKey(req.Id), nil
}

func (k *Keeper) queryParams(q module.QueryContext, _ *accountsv1.QueryParamsRequest) (*accountsv1.QueryParamsResponse, []byte, error) {
	return &accountsv1.QueryParamsResponse{Params: k.Params(q.Store)}, types.ParamsStoreKey(), nil
}

// proposalAccounts are the accounts a proposal names by number.
func proposalAccounts(p *accountsv1.Proposal) []uint64 {
	return append([]uint64{p.ProposerAccount}, p.ApprovalAccounts...)
}

// refs resolves the account numbers an answer names.
func (k *Keeper) refs(q module.QueryContext, nums ...uint64) ([]*types.AccountRef, error) {
	return types.Refs(func(n uint64) (*accountsv1.Account, error) { return k.Account(q.Store, n) }, nums...)
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
