package credits

import (
	"errors"

	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Offers of credits for sale (売り出しクレジット一覧, issue 14). A holder
// publishes what it would sell — a filter (batch, category, vintage year),
// a quantity, an optional price in yen per t-CO2 and a contact — and
// withdraws it. Nothing is locked and no payment moves on chain: the list
// is a noticeboard. What a holder can deliver changes with every transfer,
// so it is not kept in state but computed when the list is read (the
// holder's matching active credits, capped by the offer); an offer whose
// holder holds none is exhausted and left out of the default list. That
// keeps transfers, retirements and locks free of any offer bookkeeping.

const (
	// MaxContactLen bounds an offer's contact text.
	MaxContactLen = 200
	// MaxOfferPrice bounds the asking price (yen per t-CO2): far above any
	// credit's price, low enough that price × quantity fits in 64 bits.
	MaxOfferPrice = 10_000_000
)

func getOffer(st module.KVStore, id string) (*creditsv1.Offer, error) {
	bz := st.Get(types.OfferKey(id))
	if bz == nil {
		return nil, nil
	}
	o := &creditsv1.Offer{}
	if err := proto.Unmarshal(bz, o); err != nil {
		return nil, module.ErrInternal.Wrapf("offer %s: %v", id, err)
	}
	return o, nil
}

// offerFilter is the Filter an offer selects its holder's credits with.
func offerFilter(o *creditsv1.Offer) *creditsv1.Filter {
	return &creditsv1.Filter{BatchId: o.BatchId, Category: o.Category, VintageYear: o.VintageYear}
}

// deliverable is how many of holder's active credits match f, counting at
// most limit (the walk stops there, so its work is bounded by the offer).
// A batch filter whose batch does not match the rest of f counts none.
func deliverable(st module.KVStore, bc *batchCache, holder uint64, f *creditsv1.Filter, limit uint64) (uint64, error) {
	_, got, err := pickOldest(st, bc, holder, f, func(*creditsv1.Batch) error { return nil }, limit)
	if err != nil {
		if errors.Is(err, ErrInsufficient) {
			return 0, nil
		}
		return 0, err
	}
	return got, nil
}
