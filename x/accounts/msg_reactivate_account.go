package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

func validateReactivateAccount(m *accountsv1.MsgReactivateAccount) error {
	return validateStatusMsg(m.Address, m.Reason)
}

// ReactivateAccount lets the secretariat lift a suspension. Only suspended
// accounts can be reactivated; closing is final.
func (k *Keeper) ReactivateAccount(ctx module.Context, m *accountsv1.MsgReactivateAccount) error {
	acc, addr, err := k.statusTarget(ctx, m.Address, "reactivating an account")
	if err != nil {
		return err
	}
	if acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_SUSPENDED {
		return ErrBadStatusChange.Wrapf("%s is %s, not suspended", addr.Hex(), acc.Status)
	}
	k.setStatus(ctx, acc, accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE, m.Reason, EventReactivate)
	return nil
}
