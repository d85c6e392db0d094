package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateUpdateAccountDetails checks MsgUpdateAccountDetails without state.
func validateUpdateAccountDetails(m *accountsv1.MsgUpdateAccountDetails) error {
	if _, err := types.ParseAddress(m.Address); err != nil {
		return err
	}
	if p := module.TextProblem(m.LegalName, 256, true); p != "" {
		return ErrInvalidAccount.Wrapf("legal name %s", p)
	}
	if err := validateDetails(m.PostalAddress, m.Department); err != nil {
		return err
	}
	return validateReason(m.Reason)
}

// UpdateAccountDetails lets the secretariat record a change of legal name
// (商号変更), registered address or department, after its off-chain checks.
// The replaced version is kept (nh/<account><version>) with the heights it
// was in force, the reason and who changed it, so that the account's names
// over time are provable. Records other modules made before keep the names
// they copied at their height (a retirement shows the legal names of that
// height); answers that resolve numbers at read time show today's names.
// The corporate number, country and entity kind are identity, not details:
// a different legal person is a different account.
func (k *Keeper) UpdateAccountDetails(ctx module.Context, m *accountsv1.MsgUpdateAccountDetails) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_SECRETARIAT, "changing an account's name or address"); err != nil {
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
	if m.Department != "" && acc.CorporateNumber == "" {
		return ErrInvalidDetails.Wrapf("%s has no corporate number, so it cannot be a department account", addr.Hex())
	}
	if acc.LegalName == m.LegalName && acc.PostalAddress == m.PostalAddress && acc.Department == m.Department {
		return ErrInvalidDetails.Wrapf("the details of %s are already these; nothing to change", addr.Hex())
	}
	from := acc.OpenedHeight
	if acc.DetailsVersion > 0 {
		prev, err := k.DetailsHistory(ctx.Store, acc.Number, acc.DetailsVersion)
		if err != nil {
			return err
		}
		if prev != nil {
			from = prev.UntilHeight
		}
	}
	v := acc.DetailsVersion + 1
	k.setDetailsHistory(ctx.Store, &accountsv1.AccountDetails{
		Account: acc.Number, Version: v,
		LegalName: acc.LegalName, PostalAddress: acc.PostalAddress, Department: acc.Department,
		FromHeight: from, UntilHeight: ctx.Height, Reason: m.Reason, By: ctx.Account,
	})
	old := acc.LegalName
	acc.LegalName, acc.PostalAddress, acc.Department, acc.DetailsVersion = m.LegalName, m.PostalAddress, m.Department, v
	k.Set(ctx.Store, acc)
	ctx.Emit(EventUpdateDetails,
		module.Indexed("account", addr.Hex()),
		module.Indexed("account_number", utoa(acc.Number)),
		module.Indexed("by", ctx.Signer.Hex()),
		module.Plain("from_legal_name", old),
		module.Plain("legal_name", m.LegalName),
		module.Plain("replaced_version", utoa(v)))
	return nil
}
