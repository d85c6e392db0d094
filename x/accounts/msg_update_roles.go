package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateUpdateRoles checks MsgUpdateRoles without state.
func validateUpdateRoles(m *accountsv1.MsgUpdateRoles) error {
	if _, err := types.ParseAddress(m.Address); err != nil {
		return err
	}
	_, err := normalizeRoles(m.Roles)
	return err
}

// UpdateRoles lets the secretariat replace an account's roles (a provider
// that also starts buying for itself becomes provider+holder). The ministry
// role is out of its reach both ways: granting or revoking it takes a
// ministry quorum (MsgProposeMinistryRole), so m.Roles must keep it exactly
// as it is. Closed accounts are frozen; the last active secretariat keeps
// its role.
func (k *Keeper) UpdateRoles(ctx module.Context, m *accountsv1.MsgUpdateRoles) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_SECRETARIAT, "changing an account's roles"); err != nil {
		return err
	}
	addr, _ := types.ParseAddress(m.Address)
	acc, err := k.mustGet(ctx.Store, addr)
	if err != nil {
		return err
	}
	if acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_CLOSED {
		return ErrAccountClosed.Wrapf("%s was closed at height %d", addr.Hex(), acc.StatusHeight)
	}
	roles, _ := normalizeRoles(m.Roles)
	next := &accountsv1.Account{Roles: roles}
	if hasRole(acc, accountsv1.Role_ROLE_MINISTRY) != hasRole(next, accountsv1.Role_ROLE_MINISTRY) {
		return ErrMinistryQuorumOnly.Wrapf("keep the ministry role of %s as it is (%v) and propose MsgProposeMinistryRole instead",
			addr.Hex(), hasRole(acc, accountsv1.Role_ROLE_MINISTRY))
	}
	if hasRole(acc, accountsv1.Role_ROLE_SECRETARIAT) && !hasRole(next, accountsv1.Role_ROLE_SECRETARIAT) &&
		acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE &&
		k.countActive(ctx.Store, accountsv1.Role_ROLE_SECRETARIAT) <= 1 {
		return ErrLastSecretariat.Wrapf("%s is the only active secretariat; give another account the role first", addr.Hex())
	}
	old := rolesString(acc.Roles)
	acc.Roles = roles
	k.Set(ctx.Store, acc)
	ctx.Emit(EventUpdateRoles,
		module.Indexed("account", addr.Hex()),
		module.Indexed("by", ctx.Signer.Hex()),
		module.Plain("from", old),
		module.Plain("to", rolesString(roles)))
	return nil
}
