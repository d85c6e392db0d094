package credits

import (
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateAcceptTransfer checks MsgAcceptTransfer without state.
func validateAcceptTransfer(m *creditsv1.MsgAcceptTransfer) error {
	if _, ok := types.ParseLockID(m.LockId); !ok {
		return ErrInvalidMsg.Wrapf("transfer id %q is not of the form LK-00000001", m.LockId)
	}
	return nil
}

// AcceptTransfer lets the recipient of an open two-step transfer take its
// credits, no later than its expiry height and while the sender's trusted
// recipients (if it restricts its transfers) still include it: they become
// the recipient's, active; the lock is recorded SETTLED with the recipient
// as buyer.
func (k *Keeper) AcceptTransfer(ctx module.Context, m *creditsv1.MsgAcceptTransfer) error {
	l, err := openTransfer(store(ctx.Store), m.LockId)
	if err != nil {
		return err
	}
	if l.AgentAccount != ctx.Account {
		return ErrNotRecipient.Wrapf("transfer %s is offered to %s, not %s", l.Id, k.accounts.Describe(ctx.Store, l.AgentAccount), k.accounts.Describe(ctx.Store, ctx.Account))
	}
	if ctx.Height > l.ExpiresHeight {
		return ErrLockExpired.Wrapf("transfer %s could be accepted until height %d; this is height %d: its credits return to the sender", l.Id, l.ExpiresHeight, ctx.Height)
	}
	// The offer checked the sender's trusted recipients; the credits move
	// now, so check again: a recipient the sender removed since (its key
	// suspected stolen) cannot take them (the sender cancels the offer).
	if err := k.accounts.MayTransferTo(ctx.Store, l.HolderAccount, ctx.Account, ctx.Height); err != nil {
		return err
	}
	return k.closeLock(ctx, newBatchCache(store(ctx.Store)), l, creditsv1.LockStatus_LOCK_STATUS_SETTLED, ctx.Account)
}
