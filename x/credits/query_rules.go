package credits

import (
	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The queries of the scheme's rules (see RegisterQueries): the use table
// and its versions (ut/<version>, a list in version order), and batches'
// label histories (lh/<batch><n>, a list in change order). Single records
// are provable: their answer names the key that backs them.

func (k *Keeper) queryUseTable(q module.QueryContext, req *creditsv1.QueryUseTableRequest) (*creditsv1.QueryUseTableResponse, []byte, error) {
	st := store(q.Store)
	current := readSeq(st, types.SeqUseTable)
	v := current
	if req.Version != nil {
		v = *req.Version
	}
	t, err := getUseTable(st, v)
	if err != nil {
		return nil, nil, err
	}
	if t == nil {
		return nil, nil, module.ErrNotFound.Wrapf("no use table version %d (the current is %d)", v, current)
	}
	return &creditsv1.QueryUseTableResponse{Table: t, Current: current}, types.UseTableStoreKey(v), nil
}

func (k *Keeper) queryUseTables(q module.QueryContext, req *creditsv1.QueryUseTablesRequest) (*creditsv1.QueryUseTablesResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	st := store(q.Store)
	out := &creditsv1.QueryUseTablesResponse{Current: readSeq(st, types.SeqUseTable)}
	out.Page, err = pg.Walk(st, types.UseTablePrefix, func(_, value []byte) (bool, error) {
		t := &creditsv1.UseTable{}
		if err := proto.Unmarshal(value, t); err != nil {
			return false, module.ErrInternal.Wrapf("use table: %v", err)
		}
		out.Tables = append(out.Tables, t)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (k *Keeper) queryLabelChange(q module.QueryContext, req *creditsv1.QueryLabelChangeRequest) (*creditsv1.QueryLabelChangeResponse, []byte, error) {
	bn, err := types.ParseBatchID(req.BatchId)
	if err != nil {
		return nil, nil, module.ErrBadQuery.Wrapf("%v", err)
	}
	if req.Number == 0 {
		return nil, nil, module.ErrBadQuery.Wrapf("give the change's number, from 1")
	}
	c, err := getLabelChange(store(q.Store), bn, req.Number)
	if err != nil {
		return nil, nil, err
	}
	if c == nil {
		return nil, nil, module.ErrNotFound.Wrapf("batch %s has no label change %d", req.BatchId, req.Number)
	}
	refs, err := k.refs(q, c.MinistryAccount)
	if err != nil {
		return nil, nil, err
	}
	return &creditsv1.QueryLabelChangeResponse{Change: c, Accounts: refs}, types.LabelChangeStoreKey(bn, req.Number), nil
}

func (k *Keeper) queryLabelChanges(q module.QueryContext, req *creditsv1.QueryLabelChangesRequest) (*creditsv1.QueryLabelChangesResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	if _, err := types.ParseBatchID(req.BatchId); err != nil {
		return nil, module.ErrBadQuery.Wrapf("%v", err)
	}
	b, err := k.GetBatch(q.Store, req.BatchId)
	if err != nil {
		return nil, notFound(err)
	}
	out := &creditsv1.QueryLabelChangesResponse{Labels: b.Labels}
	var nums []uint64
	out.Page, err = pg.Walk(store(q.Store), types.LabelChangeBatchPrefix(b.Number), func(_, value []byte) (bool, error) {
		c := &creditsv1.LabelChange{}
		if err := proto.Unmarshal(value, c); err != nil {
			return false, module.ErrInternal.Wrapf("label change: %v", err)
		}
		out.Changes = append(out.Changes, c)
		nums = append(nums, c.MinistryAccount)
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
