package credits

import (
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateRelease checks MsgRelease without state.
func validateRelease(m *creditsv1.MsgRelease) error {
	if _, ok := types.ParseLockID(m.LockId); !ok {
		return ErrInvalidMsg.Wrapf("lock id %q is not of the form LK-00000001", m.LockId)
	}
	return nil
}

// Release lets a lock's settlement agent end a failed trade: every credit
// of the lock returns to the holder, active; the lock is recorded
// RELEASED. It may do so while the lock is open, even after its expiry
// height if EndBlock has not yet expired it.
func (k *Keeper) Release(ctx module.Context, m *creditsv1.MsgRelease) error {
	l, err := k.openLock(ctx, m.LockId)
	if err != nil {
		return err
	}
	return k.closeLock(ctx, newBatchCache(store(ctx.Store)), l, creditsv1.LockStatus_LOCK_STATUS_RELEASED, l.HolderAccount)
}
