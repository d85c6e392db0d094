package credits

import (
	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// queryLock answers Lock: one settlement lock, provable (lk/<id>).
func (k *Keeper) queryLock(q module.QueryContext, req *creditsv1.QueryLockRequest) (*creditsv1.QueryLockResponse, []byte, error) {
	if _, ok := types.ParseLockID(req.Id); !ok {
		return nil, nil, module.ErrBadQuery.Wrapf("%q is not a lock id like LK-00000001", req.Id)
	}
	l, err := getLock(store(q.Store), req.Id)
	if err != nil {
		return nil, nil, err
	}
	if l == nil {
		return nil, nil, module.ErrNotFound.Wrapf("no lock %q", req.Id)
	}
	refs, err := k.refs(q, l.HolderAccount, l.AgentAccount, l.BuyerAccount)
	if err != nil {
		return nil, nil, err
	}
	return &creditsv1.QueryLockResponse{Lock: l, Accounts: refs}, types.LockStoreKey(l.Id), nil
}

// queryLocks answers Locks: lk/<id>, by id, filtered by holder, agent and
// status.
func (k *Keeper) queryLocks(q module.QueryContext, req *creditsv1.QueryLocksRequest) (*creditsv1.QueryLocksResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	var holder, agent uint64
	if req.Holder != "" {
		if holder, err = k.queryAccount(q.Store, "holder", req.Holder); err != nil {
			return nil, err
		}
	}
	if req.Agent != "" {
		if agent, err = k.queryAccount(q.Store, "agent", req.Agent); err != nil {
			return nil, err
		}
	}
	out := &creditsv1.QueryLocksResponse{}
	if (req.Holder != "" && holder == 0) || (req.Agent != "" && agent == 0) {
		out.Page = &queryv1.PageResponse{Height: q.Height} // no such account: no locks
		return out, nil
	}
	var nums []uint64
	out.Page, err = pg.Walk(store(q.Store), types.LockPrefix, func(_, value []byte) (bool, error) {
		l := &creditsv1.Lock{}
		if err := proto.Unmarshal(value, l); err != nil {
			return false, module.ErrInternal.Wrapf("lock: %v", err)
		}
		if (holder != 0 && l.HolderAccount != holder) || (agent != 0 && l.AgentAccount != agent) || (req.Status != 0 && l.Status != req.Status) {
			return false, nil
		}
		out.Locks = append(out.Locks, l)
		nums = append(nums, l.HolderAccount, l.AgentAccount, l.BuyerAccount)
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
