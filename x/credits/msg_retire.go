package credits

import (
	"encoding/hex"
	"fmt"

	"google.golang.org/protobuf/types/known/timestamppb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Fiscal years a retirement may be reported in.
const (
	MinFiscalYear = 2000
	MaxFiscalYear = 2100
)

// validateRetire checks MsgRetire without state.
func validateRetire(m *creditsv1.MsgRetire) error {
	if err := validateSelection(m.Quantity, m.Filter, m.Serials); err != nil {
		return err
	}
	if !validText(m.Beneficiary, MaxNameLen, true) {
		return ErrInvalidMsg.Wrapf("beneficiary (the credit user's name) must be 1 to %d bytes of UTF-8", MaxNameLen)
	}
	if m.BeneficiaryAccount != "" {
		if _, ok := parseAddress(m.BeneficiaryAccount); !ok {
			return ErrInvalidMsg.Wrapf("beneficiary account %q is not a 0x-prefixed address with a valid checksum", m.BeneficiaryAccount)
		}
	}
	if _, known := creditsv1.Use_name[int32(m.Use)]; !known || m.Use == creditsv1.Use_USE_UNSPECIFIED {
		return ErrInvalidMsg.Wrapf("use must be one of the listed uses (global warming act, energy conservation act, carbon offset, CDP, SBTi, RE100, CORSIA, GX-ETS, other)")
	}
	if !validText(m.Details, MaxDetailsLen, false) {
		return ErrInvalidMsg.Wrapf("purpose details must be at most %d bytes of UTF-8", MaxDetailsLen)
	}
	if m.FiscalYear < MinFiscalYear || m.FiscalYear > MaxFiscalYear {
		return ErrInvalidMsg.Wrapf("fiscal year %d must be between %d and %d", m.FiscalYear, MinFiscalYear, MaxFiscalYear)
	}
	return nil
}

// Retire permanently retires (無効化) active credits the signer holds, for
// one use, and stores the retirement record in state so that it can be
// proven later. By quantity, it takes the oldest credits the use accepts;
// by serials, every named batch must satisfy the use's rule. A provider may
// retire its own holdings on a client's behalf by naming the client's
// account; any other account may name only itself. The record keeps the
// signing address and the beneficiary's address as named (history), and
// both accounts' numbers.
func (k *Keeper) Retire(ctx module.Context, m *creditsv1.MsgRetire) error {
	var ben uint64
	var benAddr string
	if m.BeneficiaryAccount != "" {
		addr, _ := parseAddress(m.BeneficiaryAccount)
		n, ok := k.accounts.AccountNumber(ctx.Store, addr)
		if !ok {
			return ErrInvalidMsg.Wrapf("beneficiary account %s is no account's key; name the beneficiary by name only, or give the address of its account", addr.Hex())
		}
		if n != ctx.Account && !k.accounts.HasRole(ctx.Store, ctx.Account, accountsv1.Role_ROLE_PROVIDER) {
			return ErrUnauthorized.Wrapf("only a J-Credit provider may retire on behalf of another account (%s); retire for yourself or ask your provider", addr.Hex())
		}
		ben, benAddr = n, addr.Hex()
	}
	st := store(ctx.Store)
	bc := newBatchCache(st)
	who := k.who(ctx.Store)
	var picks []pick
	var err error
	if m.Quantity > 0 {
		picks, err = selectOldest(st, bc, ctx.Account, who, m.Filter, func(b *creditsv1.Batch) error { return CheckUse(m.Use, b) }, m.Quantity)
	} else {
		picks, err = selectSerials(bc, m.Serials)
		for _, p := range picks {
			if err == nil {
				err = CheckUse(m.Use, p.b)
			}
		}
	}
	if err != nil {
		return err
	}
	n := nextSeq(st, types.SeqRetirement)
	rec := &creditsv1.Retirement{
		Id:                       types.RetirementID(n),
		Account:                  ctx.Signer.Hex(),
		AccountNumber:            ctx.Account,
		Beneficiary:              m.Beneficiary,
		BeneficiaryAccount:       benAddr,
		BeneficiaryAccountNumber: ben,
		Use:                      m.Use,
		Details:                  m.Details,
		FiscalYear:               m.FiscalYear,
		Height:                   ctx.Height,
		Time:                     timestamppb.New(ctx.Time),
		TxHash:                   hex.EncodeToString(ctx.TxHash),
	}
	for _, p := range picks {
		err := carve(st, p.b, p.start, p.end, requireHeld(p.b, ctx.Account, who), func(r *creditsv1.Range) {
			r.Status, r.RetirementId = creditsv1.RangeStatus_RANGE_STATUS_RETIRED, rec.Id
		})
		if err != nil {
			return err
		}
		q := p.quantity()
		p.b.Active -= q
		p.b.Retired += q
		rec.Quantity += q
		rec.Blocks = append(rec.Blocks, p.block())
		ctx.Emit(EventRetire,
			module.Indexed("retirement_id", rec.Id),
			module.Indexed("account", rec.Account),
			module.Indexed("batch", p.b.Id),
			module.Indexed("serials", types.FormatSerial(types.SerialOf(p.b, p.start, p.end))),
			module.Plain("quantity", fmt.Sprint(q)))
	}
	bc.save()
	saveRetirement(st, rec, n)
	ctx.Emit(EventRetirement,
		module.Indexed("retirement_id", rec.Id),
		module.Indexed("account", rec.Account),
		module.Indexed("account_number", fmt.Sprint(rec.AccountNumber)),
		module.Indexed("beneficiary", rec.Beneficiary),
		module.Indexed("beneficiary_account", rec.BeneficiaryAccount),
		module.Indexed("use", rec.Use.String()),
		module.Indexed("fiscal_year", fmt.Sprint(rec.FiscalYear)),
		module.Plain("quantity", fmt.Sprint(rec.Quantity)))
	return nil
}
