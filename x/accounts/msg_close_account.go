package accounts

import (
	"errors"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

func validateCloseAccount(m *accountsv1.MsgCloseAccount) error {
	return validateStatusMsg(m.Address, m.Reason)
}

// CloseAccount lets the secretariat close an active or suspended account for
// good. The account must hold nothing that would be stranded: no validator
// node, and nothing the other modules report through AccountHook.CanClose
// (active credits, projects in progress). The record stays, so that its
// history can still be read and proven; the address is never reopened.
func (k *Keeper) CloseAccount(ctx module.Context, m *accountsv1.MsgCloseAccount) error {
	acc, addr, err := k.statusTarget(ctx, m.Address, "closing an account")
	if err != nil {
		return err
	}
	if err := k.checkCanDeactivate(ctx, acc); err != nil {
		return err
	}
	if vs := k.validatorsOperatedBy(ctx.Store, acc.Number); len(vs) > 0 {
		return ErrOperatesValidator.Wrapf("%s operates validator %s (%s)", addr.Hex(), vs[0].Address, vs[0].Name)
	}
	for _, h := range k.hooks {
		if err := h.CanClose(ctx, acc.Number); err != nil {
			if errors.Is(err, module.ErrInternal) {
				return err
			}
			return ErrCannotClose.Wrapf("%s: %v", addr.Hex(), err)
		}
	}
	k.setStatus(ctx, acc, accountsv1.AccountStatus_ACCOUNT_STATUS_CLOSED, m.Reason, EventClose)
	return nil
}
