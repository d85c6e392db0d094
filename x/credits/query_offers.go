package credits

import (
	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// queryOffers answers Offers: of/<id>, by id, filtered by holder, batch,
// category and vintage year, each offer with what its holder can deliver
// now (offers.go: deliverable, capped by the offer). Exhausted offers
// (nothing deliverable) are left out unless include_exhausted.
func (k *Keeper) queryOffers(q module.QueryContext, req *creditsv1.QueryOffersRequest) (*creditsv1.QueryOffersResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	if req.BatchId != "" {
		if _, err := types.ParseBatchID(req.BatchId); err != nil {
			return nil, module.ErrBadQuery.Wrapf("%v", err)
		}
	}
	var holder uint64
	if req.Holder != "" {
		if holder, err = k.queryAccount(q.Store, "holder", req.Holder); err != nil {
			return nil, err
		}
	}
	out := &creditsv1.QueryOffersResponse{}
	if req.Holder != "" && holder == 0 {
		out.Page = &queryv1.PageResponse{Height: q.Height} // no such account: no offers
		return out, nil
	}
	st := store(q.Store)
	bc := newBatchCache(st)
	var nums []uint64
	out.Page, err = pg.Walk(st, types.OfferPrefix, func(_, value []byte) (bool, error) {
		o := &creditsv1.Offer{}
		if err := proto.Unmarshal(value, o); err != nil {
			return false, module.ErrInternal.Wrapf("offer: %v", err)
		}
		if (holder != 0 && o.HolderAccount != holder) || (req.BatchId != "" && o.BatchId != req.BatchId) ||
			(req.Category != 0 && o.Category != req.Category) || (req.VintageYear != 0 && o.VintageYear != req.VintageYear) {
			return false, nil
		}
		n, err := deliverable(st, bc, o.HolderAccount, offerFilter(o), o.Quantity)
		if err != nil {
			return false, err
		}
		if n == 0 && !req.IncludeExhausted {
			return false, nil
		}
		out.Offers = append(out.Offers, &creditsv1.OfferListing{Offer: o, Available: n})
		nums = append(nums, o.HolderAccount)
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
