package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// MaxCancelReason bounds a cancellation's reason, in characters.
const MaxCancelReason = 256

func validateCancelAction(m *accountsv1.MsgCancelAction) error {
	if m.ActionId == 0 {
		return ErrUnknownAction.Wrapf("give the pending action's id (from 1)")
	}
	if p := module.TextProblem(m.Reason, MaxCancelReason, false); p != "" {
		return ErrInvalidStatusReason.Wrapf("the reason %s", p)
	}
	return nil
}

// CancelAction withdraws a pending action of the signer's account: it
// never executes. The primary key or a representative may (approvers only
// approve: Admit refuses them anything else), so that an action initiated
// by mistake, or one that can no longer execute, does not wait for its
// expiry. Withdrawal needs no approvals: it only stops something.
func (k *Keeper) CancelAction(ctx module.Context, m *accountsv1.MsgCancelAction) error {
	a, err := k.pendingOf(ctx, m.ActionId)
	if err != nil {
		return err
	}
	k.store(ctx.Store).Delete(types.ActionExpiryKey(a.ExpiresHeight, a.Id))
	a.Status = accountsv1.ActionStatus_ACTION_STATUS_CANCELLED
	a.DecidedHeight = ctx.Height
	a.Reason = m.Reason
	k.setAction(ctx.Store, a)
	ctx.Emit(EventActionCancelled,
		module.Indexed("action", utoa(a.Id)),
		module.Indexed("account_number", utoa(a.Account)),
		module.Indexed("by", ctx.Signer.Hex()),
		module.Plain("reason", m.Reason))
	return nil
}
