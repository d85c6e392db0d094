package credits

import (
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/module"
)

// validateOfferTransfer checks MsgOfferTransfer without state.
func validateOfferTransfer(m *creditsv1.MsgOfferTransfer) error {
	if _, ok := parseAddress(m.Recipient); !ok {
		return ErrInvalidMsg.Wrapf("recipient %q is not a 0x-prefixed address with a valid checksum", m.Recipient)
	}
	if m.ExpiresHeight < 0 {
		return ErrInvalidMsg.Wrapf("expiry height %d: give a height, or 0 for %d blocks ahead", m.ExpiresHeight, MaxLockPeriod)
	}
	return validateSelection(m.Quantity, m.Filter, m.Serials)
}

// OfferTransfer offers the signer's credits to a recipient who must accept
// them (a two-step transfer, for counterparties that must not receive
// unreviewed credits). The credits are held by the lock machinery: a Lock
// marked transfer_offer whose agent is the recipient, so they count as
// locked (conservation: issued = active + locked + retired + cancelled),
// the sender cannot move them meanwhile, and expiry returns them (EndBlock,
// as any lock). Settle and Release refuse such a lock: only
// MsgAcceptTransfer (to the recipient) and MsgCancelTransfer end it.
func (k *Keeper) OfferTransfer(ctx module.Context, m *creditsv1.MsgOfferTransfer) error {
	to, err := k.recipientOf(ctx, m.Recipient) // msg_transfer.go: the same checks as a transfer
	if err != nil {
		return err
	}
	expires := m.ExpiresHeight
	if expires == 0 {
		expires = ctx.Height + MaxLockPeriod
	}
	_, err = k.lockCredits(ctx, to, expires, "", m.Quantity, m.Filter, m.Serials, true)
	return err
}
