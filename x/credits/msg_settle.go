package credits

import (
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateSettle checks MsgSettle without state.
func validateSettle(m *creditsv1.MsgSettle) error {
	if _, ok := types.ParseLockID(m.LockId); !ok {
		return ErrInvalidMsg.Wrapf("lock id %q is not of the form LK-00000001", m.LockId)
	}
	if _, ok := parseAddress(m.Buyer); !ok {
		return ErrInvalidMsg.Wrapf("buyer %q is not a 0x-prefixed address with a valid checksum", m.Buyer)
	}
	return nil
}

// Settle lets a lock's settlement agent transfer all of the lock's credits
// to the buyer it names (an active account other than the holder, and one
// of the holder's trusted recipients if the holder restricts its
// transfers), no later than the lock's expiry height. The credits become
// the buyer's, active; the lock is recorded SETTLED with the buyer.
func (k *Keeper) Settle(ctx module.Context, m *creditsv1.MsgSettle) error {
	l, err := k.openLock(ctx, m.LockId)
	if err != nil {
		return err
	}
	if ctx.Height > l.ExpiresHeight {
		return ErrLockExpired.Wrapf("lock %s could be settled until height %d; this is height %d: its credits return to the holder (release it, or wait for its expiry)", l.Id, l.ExpiresHeight, ctx.Height)
	}
	buyerAddr, _ := parseAddress(m.Buyer)
	buyer, err := k.accountOf(ctx.Store, buyerAddr, "buyer")
	if err != nil {
		return err
	}
	if buyer == l.HolderAccount {
		return ErrInvalidMsg.Wrapf("buyer %s is the lock's holder; to give the credits back, release the lock", buyerAddr.Hex())
	}
	if !k.accounts.IsActive(ctx.Store, buyer) {
		return ErrRecipientInactive.Wrapf("%s is not an open, active account; credits can go only to active accounts", k.accounts.Describe(ctx.Store, buyer))
	}
	// Settlement delivers the seller's credits to the buyer, as a transfer
	// would: a seller that transfers only to trusted recipients must trust
	// the buyer (at this height). The agent's role exempts nothing — it
	// never holds the credits; it only names where they go.
	if err := k.accounts.MayTransferTo(ctx.Store, l.HolderAccount, buyer, ctx.Height); err != nil {
		return err
	}
	return k.closeLock(ctx, newBatchCache(store(ctx.Store)), l, creditsv1.LockStatus_LOCK_STATUS_SETTLED, buyer)
}
