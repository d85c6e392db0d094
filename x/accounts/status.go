package accounts

import (
	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// Shared by the suspend, reactivate and close handlers.

// statusTarget loads the account a status change is about and refuses any
// change to a closed account.
func (k *Keeper) statusTarget(ctx module.Context, address, action string) (*accountsv1.Account, common.Address, error) {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_SECRETARIAT, action); err != nil {
		return nil, common.Address{}, err
	}
	addr, _ := types.ParseAddress(address)
	acc, err := k.mustGet(ctx.Store, addr)
	if err != nil {
		return nil, addr, err
	}
	if acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_CLOSED {
		return nil, addr, ErrAccountClosed.Wrapf("%s was closed at height %d (%s)", addr.Hex(), acc.StatusHeight, acc.StatusReason)
	}
	return acc, addr, nil
}

// checkCanDeactivate refuses to take a ministry or the last active
// secretariat out of service: ministries leave only by a ministry quorum
// revoking their role, and without a secretariat no account could ever be
// opened or reactivated again.
func (k *Keeper) checkCanDeactivate(ctx module.Context, acc *accountsv1.Account) error {
	if hasRole(acc, accountsv1.Role_ROLE_MINISTRY) {
		return ErrMinistryProtected.Wrapf("%s (%s)", acc.Address, acc.LegalName)
	}
	if hasRole(acc, accountsv1.Role_ROLE_SECRETARIAT) && acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE &&
		k.countActive(ctx.Store, accountsv1.Role_ROLE_SECRETARIAT) <= 1 {
		return ErrLastSecretariat.Wrapf("%s is the only active secretariat", acc.Address)
	}
	return nil
}

func (k *Keeper) setStatus(ctx module.Context, acc *accountsv1.Account, status accountsv1.AccountStatus, reason, event string) {
	acc.Status, acc.StatusReason, acc.StatusHeight = status, reason, ctx.Height
	k.Set(ctx.Store, acc)
	ctx.Emit(event,
		module.Indexed("account", acc.Address),
		module.Indexed("account_number", utoa(acc.Number)),
		module.Indexed("by", ctx.Signer.Hex()),
		module.Plain("reason", reason))
}

func validateStatusMsg(address, reason string) error {
	if _, err := types.ParseAddress(address); err != nil {
		return err
	}
	return validateReason(reason)
}
