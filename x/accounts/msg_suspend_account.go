package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

func validateSuspendAccount(m *accountsv1.MsgSuspendAccount) error {
	return validateStatusMsg(m.Address, m.Reason)
}

// SuspendAccount lets the secretariat freeze an active account (a key
// reported stolen, an identity check that lapsed). From the next
// transaction on, the account signs nothing and receives nothing; its
// holdings stay where they are until it is reactivated or closed.
func (k *Keeper) SuspendAccount(ctx module.Context, m *accountsv1.MsgSuspendAccount) error {
	acc, addr, err := k.statusTarget(ctx, m.Address, "suspending an account")
	if err != nil {
		return err
	}
	if acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE {
		return ErrBadStatusChange.Wrapf("%s is already %s", addr.Hex(), acc.Status)
	}
	if err := k.checkCanDeactivate(ctx, acc); err != nil {
		return err
	}
	k.setStatus(ctx, acc, accountsv1.AccountStatus_ACCOUNT_STATUS_SUSPENDED, m.Reason, EventSuspend)
	return nil
}
