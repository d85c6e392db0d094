package credits

import (
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateWithdrawOffer checks MsgWithdrawOffer without state.
func validateWithdrawOffer(m *creditsv1.MsgWithdrawOffer) error {
	if _, ok := types.ParseOfferID(m.OfferId); !ok {
		return ErrInvalidMsg.Wrapf("offer id %q is not of the form OF-00000001", m.OfferId)
	}
	return nil
}

// WithdrawOffer deletes the signer's offer: it leaves the list at once.
func (k *Keeper) WithdrawOffer(ctx module.Context, m *creditsv1.MsgWithdrawOffer) error {
	st := store(ctx.Store)
	o, err := getOffer(st, m.OfferId)
	if err != nil {
		return err
	}
	if o == nil {
		return ErrUnknownOffer.Wrapf("no open offer %s (withdrawn offers are deleted); list yours with q credits offers --holder", m.OfferId)
	}
	if o.HolderAccount != ctx.Account {
		return ErrNotOfferHolder.Wrapf("offer %s is %s's, not %s's", o.Id, k.accounts.Describe(ctx.Store, o.HolderAccount), k.accounts.Describe(ctx.Store, ctx.Account))
	}
	st.Delete(types.OfferKey(o.Id))
	ctx.Emit(EventWithdraw,
		module.Indexed("offer_id", o.Id),
		module.Indexed("account", ctx.Signer.Hex()))
	return nil
}
