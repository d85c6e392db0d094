package accounts

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

// validateOpenAccount checks MsgOpenAccount without state.
func validateOpenAccount(m *accountsv1.MsgOpenAccount) error {
	if _, err := ParseAddress(m.Address); err != nil {
		return err
	}
	if err := validateFields(m.LegalName, m.EntityKind, m.Country); err != nil {
		return err
	}
	if _, err := normalizeRoles(m.Roles); err != nil {
		return err
	}
	for _, r := range m.Roles {
		if r == accountsv1.Role_ROLE_MINISTRY {
			return ErrInvalidAccount.Wrapf("the ministry role is granted only at genesis or by a ministry quorum")
		}
	}
	return nil
}

// OpenAccount lets the secretariat open an account after its off-chain
// identity checks. The account starts active, with nonce 0.
func (k *Keeper) OpenAccount(ctx module.Context, m *accountsv1.MsgOpenAccount) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_SECRETARIAT, "opening an account"); err != nil {
		return err
	}
	addr, _ := ParseAddress(m.Address)
	existing, err := k.Get(ctx.Store, addr)
	if err != nil {
		return err
	}
	if existing != nil {
		return ErrAccountExists.Wrapf("%s is already open as %q (%s)", addr.Hex(), existing.LegalName, existing.Status)
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
	}
	k.Set(ctx.Store, acc)
	ctx.Emit("accounts.open",
		module.Indexed("account", addr.Hex()),
		module.Indexed("by", ctx.Signer.Hex()),
		module.Plain("legal_name", m.LegalName))
	return nil
}
