package accounts

import (
	"encoding/binary"

	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// queryMembers lists an account's member keys (mb/<account>), by address.
func (k *Keeper) queryMembers(q module.QueryContext, req *accountsv1.QueryMembersRequest) (*accountsv1.QueryMembersResponse, error) {
	n, err := k.queryAccountNumber(q, req.Account)
	if err != nil {
		return nil, err
	}
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	out := &accountsv1.QueryMembersResponse{}
	out.Page, err = pg.Walk(k.store(q.Store), types.MemberPrefixOf(n), func(_, value []byte) (bool, error) {
		m := &accountsv1.Member{}
		if err := proto.Unmarshal(value, m); err != nil {
			return false, module.ErrInternal.Wrapf("member: %v", err)
		}
		out.Members = append(out.Members, m)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryPolicy is an account's threshold policy (provable: po/<account>).
func (k *Keeper) queryPolicy(q module.QueryContext, req *accountsv1.QueryPolicyRequest) (*accountsv1.QueryPolicyResponse, []byte, error) {
	n, err := k.queryAccountNumber(q, req.Account)
	if err != nil {
		return nil, nil, err
	}
	p := k.Policy(q.Store, n)
	if p == nil {
		return nil, nil, module.ErrNotFound.Wrapf("account %d has no threshold policy: one signature is enough for everything", n)
	}
	return &accountsv1.QueryPolicyResponse{Policy: p}, types.PolicyStoreKey(n), nil
}

// queryPendingAction is one pending action (provable: pa/<id>), with the
// approvals that count now and what the policy in force asks.
func (k *Keeper) queryPendingAction(q module.QueryContext, req *accountsv1.QueryPendingActionRequest) (*accountsv1.QueryPendingActionResponse, []byte, error) {
	if req.Id == 0 {
		return nil, nil, module.ErrBadQuery.Wrapf("give a pending action id (from 1)")
	}
	a := k.Action(q.Store, req.Id)
	if a == nil {
		return nil, nil, module.ErrNotFound.Wrapf("no pending action %d", req.Id)
	}
	need, err := k.requiredNow(q.Store, a)
	if err != nil {
		return nil, nil, err
	}
	refs, err := k.refs(q, a.Account)
	if err != nil {
		return nil, nil, err
	}
	return &accountsv1.QueryPendingActionResponse{Action: a, Counted: k.countApprovalsNow(q.Store, a), Required: need, Accounts: refs},
		types.ActionStoreKey(req.Id), nil
}

// queryPendingActions lists an account's pending actions by id (pi/);
// with pending, only those still awaiting approval.
func (k *Keeper) queryPendingActions(q module.QueryContext, req *accountsv1.QueryPendingActionsRequest) (*accountsv1.QueryPendingActionsResponse, error) {
	n, err := k.queryAccountNumber(q, req.Account)
	if err != nil {
		return nil, err
	}
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	out := &accountsv1.QueryPendingActionsResponse{}
	out.Page, err = pg.Walk(k.store(q.Store), types.AccountActionPrefixOf(n), func(key, _ []byte) (bool, error) {
		if len(key) != 8 {
			return false, module.ErrInternal.Wrapf("malformed pending action index key")
		}
		a := k.Action(q.Store, binary.BigEndian.Uint64(key))
		if a == nil {
			return false, module.ErrInternal.Wrapf("the index of account %d names a missing pending action %d", n, binary.BigEndian.Uint64(key))
		}
		if req.Pending && (a.Status != accountsv1.ActionStatus_ACTION_STATUS_PENDING || q.Height > a.ExpiresHeight) {
			return false, nil
		}
		out.Actions = append(out.Actions, a)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
