package credits

import (
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// queryRanges lists one batch's ranges in serial order: the ranges tile
// the batch's serials, so the list says what every credit of the batch is
// now (the public page's batch view; the owner index answers Holdings).
func (k *Keeper) queryRanges(q module.QueryContext, req *creditsv1.QueryRangesRequest) (*creditsv1.QueryRangesResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	n, err := types.ParseBatchID(req.BatchId)
	if err != nil {
		return nil, module.ErrBadQuery.Wrapf("batch_id: %v", err)
	}
	b, err := k.GetBatch(q.Store, req.BatchId)
	if err != nil {
		return nil, notFound(err)
	}
	out := &creditsv1.QueryRangesResponse{}
	var nums []uint64
	out.Page, err = pg.Walk(store(q.Store), types.RangeBatchPrefix(n), func(key, value []byte) (bool, error) {
		r, err := decodeRange(value, n, 0)
		if err != nil {
			return false, err
		}
		if req.Status != 0 && r.Status != req.Status {
			return false, nil
		}
		out.Ranges = append(out.Ranges, &creditsv1.BatchRange{
			Start: r.Start, End: r.End, Serials: types.FormatSerial(types.SerialOf(b, r.Start, r.End)), Quantity: r.End - r.Start + 1,
			Status: r.Status, OwnerAccount: r.OwnerAccount, RetirementId: r.RetirementId, CancellationId: r.CancellationId,
		})
		nums = append(nums, r.OwnerAccount)
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
