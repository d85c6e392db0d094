package credits

import (
	"encoding/hex"
	"fmt"

	"google.golang.org/protobuf/types/known/timestamppb"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// validatePublishOffer checks MsgPublishOffer without state.
func validatePublishOffer(m *creditsv1.MsgPublishOffer) error {
	if m.Quantity == 0 {
		return ErrInvalidMsg.Wrapf("give the quantity offered (t-CO2)")
	}
	if err := validateSelection(m.Quantity, m.Filter, nil); err != nil {
		return err
	}
	if m.PriceYenPerT > MaxOfferPrice {
		return ErrInvalidMsg.Wrapf("price %d yen per t-CO2 exceeds %d; give the price per t-CO2 in yen, or 0 for price on request", m.PriceYenPerT, MaxOfferPrice)
	}
	if p := module.TextProblem(m.Contact, MaxContactLen, true); p != "" {
		return ErrInvalidMsg.Wrapf("contact %s", p)
	}
	return nil
}

// PublishOffer publishes an offer of the signer's active credits matching
// the filter, up to quantity (offers.go). The signer must hold at least one
// matching active credit now, so the list starts with offers someone can
// deliver; the credits stay the holder's and free to move.
func (k *Keeper) PublishOffer(ctx module.Context, m *creditsv1.MsgPublishOffer) error {
	st := store(ctx.Store)
	f := m.Filter
	if f == nil {
		f = &creditsv1.Filter{}
	}
	has, err := deliverable(st, newBatchCache(st), ctx.Account, f, 1)
	if err != nil {
		return err
	}
	if has == 0 {
		return ErrInsufficient.Wrapf("%s holds no active credits matching the offer (batch %q, category %s, vintage year %d); offer credits you hold", k.who(ctx.Store)(ctx.Account), f.BatchId, f.Category, f.VintageYear)
	}
	n := nextSeq(st, types.SeqOffer)
	o := &creditsv1.Offer{
		Id:            types.OfferID(n),
		HolderAccount: ctx.Account,
		BatchId:       f.BatchId,
		Category:      f.Category,
		VintageYear:   f.VintageYear,
		Quantity:      m.Quantity,
		PriceYenPerT:  m.PriceYenPerT,
		Contact:       m.Contact,
		Height:        ctx.Height,
		Time:          timestamppb.New(ctx.Time),
		TxHash:        hex.EncodeToString(ctx.TxHash),
	}
	st.Set(types.OfferKey(o.Id), marshal(o))
	ctx.Emit(EventOffer,
		module.Indexed("offer_id", o.Id),
		module.Indexed("account", ctx.Signer.Hex()),
		module.Plain("quantity", fmt.Sprint(o.Quantity)),
		module.Plain("price_yen_per_t", fmt.Sprint(o.PriceYenPerT)))
	return nil
}
