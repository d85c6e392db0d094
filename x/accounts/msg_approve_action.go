package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

func validateApproveAction(m *accountsv1.MsgApproveAction) error {
	if m.ActionId == 0 {
		return ErrUnknownAction.Wrapf("give the pending action's id (from 1; the accounts.action_pending event names it)")
	}
	return nil
}

// ApproveAction records the signer's approval of a pending action of its
// own account: the primary key, a representative or an approver (Admit
// refuses viewers and removed keys), once per member, whichever key the
// member signs with. The approvals are then counted from the keys able to
// approve now (a member removed since does not count) against what the
// policy in force asks; if they reach it, the action's messages run in this
// transaction, as the account, signed by the initiator's key. If one of
// them fails, this transaction fails with that message's error (its code
// and codespace) and nothing changes but the nonce: the action stays
// pending, without this approval, until it expires or is cancelled.
func (k *Keeper) ApproveAction(ctx module.Context, m *accountsv1.MsgApproveAction) error {
	a, err := k.pendingOf(ctx, m.ActionId)
	if err != nil {
		return err
	}
	who := uint64(0)
	if mem := k.signerMember(ctx.Store, ctx.Account, ctx.Signer); mem != nil {
		if !canApprove(mem.Role) {
			return ErrViewerCannotSign.Wrapf("%s is a %s of %s", ctx.Signer.Hex(), memberRoleName(mem.Role), k.Describe(ctx.Store, ctx.Account))
		}
		who = mem.Id
	}
	if err := addApproval(a, who, ctx.Signer, ctx.Height); err != nil {
		return err
	}
	k.setAction(ctx.Store, a)
	counted := k.countApprovalsNow(ctx.Store, a)
	need, err := k.requiredNow(ctx.Store, a)
	if err != nil {
		return err
	}
	ctx.Emit(EventActionApproved,
		module.Indexed("action", utoa(a.Id)),
		module.Indexed("account_number", utoa(a.Account)),
		module.Indexed("approver", ctx.Signer.Hex()),
		module.Plain("approvals", utoa(uint64(counted))),
		module.Plain("required", utoa(uint64(need))))
	if counted < need {
		return nil
	}
	return k.execute(ctx, a)
}
