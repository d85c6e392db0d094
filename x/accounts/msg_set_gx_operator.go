package accounts

import (
	"encoding/hex"
	"fmt"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// MaxVerifiedEmissions bounds a verified emissions figure (10^10 t-CO2,
// far above Japan's whole emissions), so that cap arithmetic cannot
// overflow.
const MaxVerifiedEmissions = 10_000_000_000

func validateSetGxOperator(m *accountsv1.MsgSetGxOperator) error {
	if _, err := types.ParseAddress(m.Address); err != nil {
		return err
	}
	if err := types.CheckCorporateNumber(m.CorporateNumber); err != nil {
		return ErrInvalidGxOperator.Wrapf("%v", err)
	}
	if m.FiscalYear == 0 {
		if m.VerifiedTCo2 != 0 || m.DocumentHash != "" {
			return ErrInvalidGxOperator.Wrapf("verified emissions need the fiscal year they are of")
		}
		return nil
	}
	if m.FiscalYear < 2000 || m.FiscalYear > 2100 {
		return ErrInvalidGxOperator.Wrapf("fiscal year %d is outside 2000-2100", m.FiscalYear)
	}
	if m.VerifiedTCo2 > MaxVerifiedEmissions {
		return ErrInvalidGxOperator.Wrapf("verified emissions %d t-CO2 exceed %d", m.VerifiedTCo2, uint64(MaxVerifiedEmissions))
	}
	if h, err := hex.DecodeString(m.DocumentHash); err != nil || len(h) != 32 {
		return ErrInvalidGxOperator.Wrapf("document hash must be the SHA-256 (64 hex digits) of the verification report")
	}
	return nil
}

// SetGxOperator lets a ministry mark an active account as a GX-ETS
// operator with its corporate number (or correct the number) and, with a
// fiscal year, record its verified emissions of that year, replacing an
// earlier figure (a corrected verification). Retirements already counted
// stay: the cap is checked when a retirement is made.
func (k *Keeper) SetGxOperator(ctx module.Context, m *accountsv1.MsgSetGxOperator) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_MINISTRY, "marking a GX-ETS operator"); err != nil {
		return err
	}
	addr, _ := types.ParseAddress(m.Address)
	n, ok := k.AccountNumber(ctx.Store, addr)
	if !ok {
		return ErrUnknownAccount.Wrapf("no account has key %s", addr.Hex())
	}
	if !k.IsActive(ctx.Store, n) {
		return ErrAccountInactive.Wrapf("%s is not active; only an active account can be a GX-ETS operator", k.Describe(ctx.Store, n))
	}
	st := k.store(ctx.Store)
	o := k.GxOperator(ctx.Store, n)
	if o == nil || o.CorporateNumber != m.CorporateNumber {
		o = &accountsv1.GxOperator{Account: n, CorporateNumber: m.CorporateNumber, Height: ctx.Height, MinistryAccount: ctx.Account}
		st.Set(types.GxOperatorKey(n), marshal(o))
	}
	ctx.Emit(EventGxOperator,
		module.Indexed("account", addr.Hex()),
		module.Indexed("corporate_number", m.CorporateNumber),
		module.Plain("fiscal_year", fmt.Sprint(m.FiscalYear)),
		module.Plain("verified_t_co2", fmt.Sprint(m.VerifiedTCo2)))
	if m.FiscalYear == 0 {
		return nil
	}
	st.Set(types.GxEmissionsKey(n, m.FiscalYear), marshal(&accountsv1.GxEmissions{
		Account: n, FiscalYear: m.FiscalYear, VerifiedTCo2: m.VerifiedTCo2, Height: ctx.Height,
		MinistryAccount: ctx.Account, DocumentHash: m.DocumentHash,
	}))
	return nil
}
