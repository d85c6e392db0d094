package accounts

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateOpenAccount checks MsgOpenAccount without state.
func validateOpenAccount(m *accountsv1.MsgOpenAccount) error {
	if _, err := types.ParseAddress(m.Address); err != nil {
		return err
	}
	if err := validateFields(m.LegalName, m.EntityKind, m.Country); err != nil {
		return err
	}
	if err := validateOrganisation(m.EntityKind, m.Country, m.CorporateNumber, m.RegistrationNumber, m.PostalAddress, m.Department); err != nil {
		return err
	}
	roles, err := normalizeRoles(m.Roles)
	if err != nil {
		return err
	}
	if hasRole(&accountsv1.Account{Roles: roles}, accountsv1.Role_ROLE_MINISTRY) {
		return ErrMinistryQuorumOnly.Wrapf("open the account without it, then propose MsgProposeMinistryRole")
	}
	return nil
}

// OpenAccount lets the secretariat open an account after its off-chain
// identity checks. The account gets the next account number, starts active,
// and its key starts at nonce 0. An address that was ever a key (including
// a closed account's, or a key rotated away) is never opened again, so that
// history read by address stays unambiguous. Several accounts may carry one
// corporate number: they are the departments of one corporation (allowed
// by the scheme since October 2023), listed together by CorporateAccounts.
func (k *Keeper) OpenAccount(ctx module.Context, m *accountsv1.MsgOpenAccount) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_SECRETARIAT, "opening an account"); err != nil {
		return err
	}
	addr, _ := types.ParseAddress(m.Address)
	existing, err := k.Get(ctx.Store, addr)
	if err != nil {
		return err
	}
	if existing != nil {
		return ErrAccountExists.Wrapf("%s is already open as %q (%s)", addr.Hex(), existing.LegalName, existing.Status)
	}
	if r := k.Retired(ctx.Store, addr); r != nil {
		return ErrAddressRetired.Wrapf("%s was rotated to %s at height %d; its owner must generate a fresh key", addr.Hex(), r.RotatedTo, r.Height)
	}
	roles, _ := normalizeRoles(m.Roles)
	acc := &accountsv1.Account{
		Address:      addr.Hex(),
		LegalName:    m.LegalName,
		EntityKind:   m.EntityKind,
		Country:      m.Country,
		Roles:        roles,
		Status:       accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE,
		OpenedHeight: ctx.Height,
		OpenedTime:   timestamppb.New(ctx.Time),

		CorporateNumber:    m.CorporateNumber,
		RegistrationNumber: m.RegistrationNumber,
		PostalAddress:      m.PostalAddress,
		Department:         m.Department,
	}
	k.create(ctx.Store, acc, 0)
	ctx.Emit(EventOpen,
		module.Indexed("account", addr.Hex()),
		module.Indexed("account_number", utoa(acc.Number)),
		module.Indexed("by", ctx.Signer.Hex()),
		module.Plain("legal_name", m.LegalName),
		module.Plain("roles", rolesString(roles)),
		module.Indexed("corporate_number", m.CorporateNumber))
	return nil
}
