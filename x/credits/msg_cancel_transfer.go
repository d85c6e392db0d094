package credits

import (
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateCancelTransfer checks MsgCancelTransfer without state.
func validateCancelTransfer(m *creditsv1.MsgCancelTransfer) error {
	if _, ok := types.ParseLockID(m.LockId); !ok {
		return ErrInvalidMsg.Wrapf("transfer id %q is not of the form LK-00000001", m.LockId)
	}
	return nil
}

// CancelTransfer lets the sender of a two-step transfer take it back until
// the recipient accepts: the credits return to the sender, active; the
// lock is recorded RELEASED.
func (k *Keeper) CancelTransfer(ctx module.Context, m *creditsv1.MsgCancelTransfer) error {
	l, err := openTransfer(store(ctx.Store), m.LockId)
	if err != nil {
		return err
	}
	if l.HolderAccount != ctx.Account {
		return ErrNotSender.Wrapf("transfer %s is %s's, not %s's", l.Id, k.accounts.Describe(ctx.Store, l.HolderAccount), k.accounts.Describe(ctx.Store, ctx.Account))
	}
	return k.closeLock(ctx, newBatchCache(store(ctx.Store)), l, creditsv1.LockStatus_LOCK_STATUS_RELEASED, l.HolderAccount)
}
