package credits

import (
	"encoding/hex"
	"fmt"
	"slices"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Fiscal years a retirement may be reported in, whatever the rules.
const (
	MinFiscalYear = 2000
	MaxFiscalYear = 2100
)

// MaxUses bounds the uses one retirement names.
const MaxUses = 12

// RetireUses are the uses a MsgRetire names: its uses, or its single use.
func RetireUses(m *creditsv1.MsgRetire) []creditsv1.Use {
	if len(m.Uses) > 0 {
		return m.Uses
	}
	if m.Use != creditsv1.Use_USE_UNSPECIFIED {
		return []creditsv1.Use{m.Use}
	}
	return nil
}

// validateRetire checks MsgRetire without state.
func validateRetire(m *creditsv1.MsgRetire) error {
	if err := validateSelection(m.Quantity, m.Filter, m.Serials); err != nil {
		return err
	}
	if p := module.TextProblem(m.Beneficiary, MaxNameLen, true); p != "" {
		return ErrInvalidMsg.Wrapf("beneficiary (the credit user's name) %s", p)
	}
	if m.BeneficiaryAccount != "" {
		if _, ok := parseAddress(m.BeneficiaryAccount); !ok {
			return ErrInvalidMsg.Wrapf("beneficiary account %q is not a 0x-prefixed address with a valid checksum", m.BeneficiaryAccount)
		}
	}
	if m.Use != creditsv1.Use_USE_UNSPECIFIED && len(m.Uses) > 0 {
		return ErrInvalidMsg.Wrapf("give one use or a list of uses, not both")
	}
	uses := RetireUses(m)
	if len(uses) == 0 || len(uses) > MaxUses {
		return ErrInvalidMsg.Wrapf("a retirement names 1 to %d uses (global warming act, its emission factor, energy conservation act, carbon offset, CDP, SBTi, RE100, SHIFT/ASSET, Keidanren, CORSIA, GX-ETS, other)", MaxUses)
	}
	for i, u := range uses {
		if _, known := creditsv1.Use_name[int32(u)]; !known || u == creditsv1.Use_USE_UNSPECIFIED {
			return ErrInvalidMsg.Wrapf("use %d is not one of the listed uses", u)
		}
		if slices.Contains(uses[:i], u) {
			return ErrInvalidMsg.Wrapf("%s is named twice", useName(u))
		}
	}
	if p := module.TextProblem(m.Details, MaxDetailsLen, false); p != "" {
		return ErrInvalidMsg.Wrapf("purpose details %s", p)
	}
	if m.FiscalYear < MinFiscalYear || m.FiscalYear > MaxFiscalYear {
		return ErrInvalidMsg.Wrapf("fiscal year %d must be between %d and %d", m.FiscalYear, MinFiscalYear, MaxFiscalYear)
	}
	if t := m.OffsetTarget; t != nil {
		if _, ok := creditsv1.OffsetKind_name[int32(t.Kind)]; !ok || t.Kind == creditsv1.OffsetKind_OFFSET_KIND_UNSPECIFIED {
			return ErrOffsetTarget.Wrapf("say what is offset: an event, product, organisation or place")
		}
		if p := module.TextProblem(t.Name, MaxNameLen, true); p != "" {
			return ErrOffsetTarget.Wrapf("name the offset %s in 1 to %d bytes of plain text; its name %s", offsetKindName(t.Kind), MaxNameLen, p)
		}
		if t.Location == nil {
			return ErrOffsetTarget.Wrapf("give the place where the emissions of the offset %s arise (prefecture code and, ideally, municipality): it must differ from where the credits were created", offsetKindName(t.Kind))
		}
		if err := checkLocation("offset target", t.Location); err != nil {
			return err
		}
	}
	if p := m.CorsiaPhase; p != creditsv1.CorsiaPhase_CORSIA_PHASE_UNSPECIFIED && (p < creditsv1.CorsiaPhase_CORSIA_PHASE_PILOT || p > creditsv1.CorsiaPhase_CORSIA_PHASE_FOURTH) {
		return ErrInvalidMsg.Wrapf("unknown CORSIA phase %d", p)
	}
	return nil
}

// retirePlan is what a retirement would do: the checked rules and the
// serial blocks it takes.
type retirePlan struct {
	table *creditsv1.UseTable
	uses  []creditsv1.Use
	rules []*creditsv1.UseRule
	phase creditsv1.CorsiaPhase
	picks []pick
	bc    *batchCache
}

// Retire permanently retires (無効化) active credits the signer holds, for
// one or more uses of one scope, and stores the retirement record in state
// so that it can be proven later. The current use table decides: every
// batch drawn must satisfy every use's row (category, scheme symbol,
// credit type, labels as they stand now), the uses must share one scope,
// the fiscal year must satisfy every use's rule, and a carbon offset names
// a target whose place differs from where each batch was created. By
// quantity, it takes the oldest credits every use accepts; by serials,
// each named batch is checked. A refusal lists every rule that fails (its
// code is the first's). A provider may retire its own holdings on a
// client's behalf by naming the client's account; any other account may
// name only itself. The record keeps, besides the signing address and the
// beneficiary's address as named, the table version it was checked
// against, the legal names at this height, and for each block what a
// report needs from its batch.
func (k *Keeper) Retire(ctx module.Context, m *creditsv1.MsgRetire) error {
	// Under a delegation the agent retires the grantor's credits: from here
	// on ctx.Account is the grantor, and the record names the agent too.
	ctx, agent, err := k.accounts.ActFor(ctx, m.OnBehalfOf, accountsv1.DelegatedAction_DELEGATED_ACTION_RETIRE)
	if err != nil {
		return err
	}
	var ben uint64
	var benAddr string
	if m.BeneficiaryAccount != "" {
		addr, _ := parseAddress(m.BeneficiaryAccount)
		n, err := k.accountOf(ctx.Store, addr, "beneficiary account")
		if err != nil {
			return err
		}
		if n != ctx.Account && !k.accounts.HasRole(ctx.Store, ctx.Account, accountsv1.Role_ROLE_PROVIDER) {
			return ErrUnauthorized.Wrapf("only a J-Credit provider may retire on behalf of another account (%s); retire for yourself or ask your provider", addr.Hex())
		}
		ben, benAddr = n, addr.Hex()
	}
	plan, err := k.planRetire(ctx, m)
	if err != nil {
		return err
	}
	if agent != 0 {
		var q uint64
		for _, p := range plan.picks {
			q += p.quantity()
		}
		if err := k.accounts.ChargeDelegation(ctx, ctx.Account, agent, q); err != nil {
			return err
		}
	}
	account := ctx.Signer.Hex()
	if agent != 0 {
		account = k.addressOf(ctx.Store, ctx.Account)
	}
	st := store(ctx.Store)
	who := k.who(ctx.Store)
	var gxOperator uint64
	if isGxRetirement(plan.uses) {
		// GX-ETS compliance: the operator is the credit user's account.
		op := ctx.Account
		if ben != 0 {
			op = ben
		}
		var qty uint64
		for _, p := range plan.picks {
			qty += p.quantity()
		}
		var err error
		if gxOperator, err = k.checkGxCap(ctx, op, m.FiscalYear, qty); err != nil {
			return err
		}
	}
	n := nextSeq(st, types.SeqRetirement)
	rec := &creditsv1.Retirement{
		Id:                       types.RetirementID(n),
		Account:                  account,
		AccountNumber:            ctx.Account,
		AccountLegalName:         k.legalName(ctx.Store, ctx.Account),
		Beneficiary:              m.Beneficiary,
		BeneficiaryAccount:       benAddr,
		BeneficiaryAccountNumber: ben,
		BeneficiaryLegalName:     k.legalName(ctx.Store, ben),
		Uses:                     plan.uses,
		RuleVersion:              plan.table.Version,
		OffsetTarget:             m.OffsetTarget,
		CorsiaPhase:              plan.phase,
		Details:                  m.Details,
		FiscalYear:               m.FiscalYear,
		Height:                   ctx.Height,
		Time:                     timestamppb.New(ctx.Time),
		TxHash:                   hex.EncodeToString(ctx.TxHash),
		GxOperatorAccount:        gxOperator,
		AgentAccount:             agent,
		AgentLegalName:           k.legalName(ctx.Store, agent),
	}
	var t tally
	for _, p := range plan.picks {
		err := carve(st, p.b, p.start, p.end, requireHeld(ctx, p.b, ctx.Account, who), func(r *creditsv1.Range) {
			r.Status, r.RetirementId = creditsv1.RangeStatus_RANGE_STATUS_RETIRED, rec.Id
		})
		if err != nil {
			return err
		}
		q := p.quantity()
		p.b.Active -= q
		p.b.Retired += q
		moveSupply(&t, p.b, creditsv1.StatMeasure_STAT_MEASURE_ACTIVE, creditsv1.StatMeasure_STAT_MEASURE_RETIRED, q)
		rec.Quantity += q
		blk := RetiredBlock(p.b, p.start, p.end)
		rec.ElectricityKwh += blk.ElectricityKwh
		rec.HeatMj += blk.HeatMj
		rec.Blocks = append(rec.Blocks, blk)
		ctx.Emit(EventRetire,
			module.Indexed("retirement_id", rec.Id),
			module.Indexed("account", rec.Account),
			module.Indexed("batch", p.b.Id),
			module.Indexed("serials", blk.Serials),
			module.Plain("quantity", fmt.Sprint(q)))
	}
	plan.bc.save()
	if err := saveRetirement(st, rec, n); err != nil {
		return err
	}
	countRetirement(&t, rec)
	if err := t.save(st); err != nil {
		return err
	}
	if gxOperator != 0 {
		if err := addGxRetired(st, rec); err != nil {
			return err
		}
	}
	attrs := []module.Attr{
		module.Indexed("retirement_id", rec.Id),
		module.Indexed("account", rec.Account),
		module.Indexed("account_number", fmt.Sprint(rec.AccountNumber)),
		module.Indexed("beneficiary", rec.Beneficiary),
		module.Indexed("beneficiary_account", rec.BeneficiaryAccount),
	}
	if agent != 0 {
		attrs = append(attrs, module.Indexed("agent_account", fmt.Sprint(agent)))
	}
	for _, u := range rec.Uses {
		attrs = append(attrs, module.Indexed("use", u.String()))
	}
	ctx.Emit(EventRetirement, append(attrs,
		module.Indexed("fiscal_year", fmt.Sprint(rec.FiscalYear)),
		module.Plain("rule_version", fmt.Sprint(rec.RuleVersion)),
		module.Plain("quantity", fmt.Sprint(rec.Quantity)))...)
	return nil
}

// RetiredBlock is the record of serials [start, end] of batch b in a
// retirement: the block and what a report needs from its batch as it
// stands (identifiers, energy share, labels, origin).
func RetiredBlock(b *creditsv1.Batch, start, end uint64) *creditsv1.SerialBlock {
	blk := &creditsv1.SerialBlock{
		BatchId: b.Id, Start: start, End: end, Serials: types.FormatSerial(types.SerialOf(b, start, end)),
		ProjectId: b.ProjectId, ProjectName: b.ProjectName, Methodology: b.Methodology, Category: b.Category,
		VintageStart: b.VintageStart, VintageEnd: b.VintageEnd,
		SchemeSymbol: b.SchemeSymbol, CreditType: b.CreditType, CertificationNumber: b.CertificationNumber,
		ElectricityKwh: types.EnergyShare(b.ElectricityKwh, b.Issued, start, end),
		HeatMj:         types.EnergyShare(b.HeatMj, b.Issued, start, end),
	}
	for _, l := range b.Labels {
		blk.Labels = append(blk.Labels, proto.Clone(l).(*creditsv1.Label))
	}
	if b.Origin != nil {
		blk.Origin = proto.Clone(b.Origin).(*creditsv1.Location)
	}
	if lg := b.Legacy; lg != nil {
		blk.OriginalSerials = fmt.Sprintf("%s %s %d-%d", b.SchemeSymbol, b.CertificationNumber, lg.OriginalSerialStart+start-1, lg.OriginalSerialStart+end-1)
	}
	return blk
}

// planRetire checks m against the current use table and picks the serial
// blocks it would retire, writing nothing. Every rule that fails is
// reported (see refusal).
func (k *Keeper) planRetire(ctx module.Context, m *creditsv1.MsgRetire) (*retirePlan, error) {
	st := store(ctx.Store)
	table, err := k.CurrentUseTable(ctx.Store)
	if err != nil {
		return nil, err
	}
	plan := &retirePlan{table: table, uses: RetireUses(m), bc: newBatchCache(st)}
	var fails refusal
	// The uses: a row each, one scope, an offset target exactly when one
	// is needed, a CORSIA phase for CORSIA.
	needTarget := false
	for _, u := range plan.uses {
		r := ruleOf(table, u)
		if r == nil {
			fails.add(ErrUseNotAllowed.Wrapf("the use table (version %d) has no row for %s: the ministries have not made it a use", table.Version, useName(u)))
			continue
		}
		plan.rules = append(plan.rules, r)
		needTarget = needTarget || r.OffsetTargetRequired
	}
	if len(plan.rules) > 1 {
		for _, r := range plan.rules[1:] {
			if r.Scope != plan.rules[0].Scope {
				fails.add(ErrScopeMismatch.Wrapf("%s counts against %s, %s against %s; one retirement serves several reports only of one company and one scope (活用範囲, %s)",
					useName(plan.rules[0].Use), scopeName(plan.rules[0].Scope), useName(r.Use), scopeName(r.Scope), SourceSupport))
				break
			}
		}
	}
	switch {
	case needTarget && m.OffsetTarget == nil:
		fails.add(ErrOffsetTarget.Wrapf("a carbon offset names what it offsets (an event, product, organisation or place) and where its emissions arise"))
	case !needTarget && m.OffsetTarget != nil:
		fails.add(ErrOffsetTarget.Wrapf("only a carbon-offset retirement names an offset target"))
	}
	if slices.Contains(plan.uses, creditsv1.Use_USE_CORSIA) {
		plan.phase = m.CorsiaPhase
		if plan.phase == creditsv1.CorsiaPhase_CORSIA_PHASE_UNSPECIFIED {
			plan.phase = types.CorsiaPhaseOf(m.FiscalYear)
		}
		if plan.phase == creditsv1.CorsiaPhase_CORSIA_PHASE_UNSPECIFIED {
			fails.add(ErrInvalidMsg.Wrapf("fiscal year %d is in no CORSIA phase (2021-2035); name the phase", m.FiscalYear))
		}
	} else if m.CorsiaPhase != creditsv1.CorsiaPhase_CORSIA_PHASE_UNSPECIFIED {
		fails.add(ErrInvalidMsg.Wrapf("only a CORSIA retirement names a CORSIA phase"))
	}
	accept := func(b *creditsv1.Batch) error {
		var bf refusal
		for _, r := range plan.rules {
			bf.add(Accepts(r, b, plan.phase))
		}
		if t := m.OffsetTarget; t != nil && needTarget {
			if b.Origin.GetPrefectureCode() == "" {
				bf.add(ErrOffsetTarget.Wrapf("batch %s does not record where its credits were created, so a carbon offset cannot show it offsets elsewhere; use other credits", b.Id))
			} else if types.SamePlace(t.Location, b.Origin) {
				bf.add(ErrOffsetTarget.Wrapf("the credits of batch %s were created in %s and the offset %s %q is in %s: a carbon offset uses credits created elsewhere (name the municipalities if they differ; %s)",
					b.Id, types.DescribePlace(b.Origin), offsetKindName(t.Kind), t.Name, types.DescribePlace(t.Location), SourceSupport))
			}
		}
		return bf.err()
	}
	who := k.who(ctx.Store)
	if m.Quantity > 0 {
		if len(fails) > 0 {
			return nil, fails.err()
		}
		plan.picks, err = selectOldest(st, plan.bc, ctx.Account, who, m.Filter, accept, m.Quantity)
		if err != nil {
			return nil, k.explainShortfall(ctx.Store, ctx.Account, err, accept)
		}
	} else {
		plan.picks, err = selectSerials(plan.bc, m.Serials)
		if err != nil {
			return nil, err
		}
		for _, p := range plan.picks {
			fails.add(accept(p.b))
		}
	}
	// The fiscal year, from the block time and the earliest vintage drawn.
	var earliest uint32
	for _, p := range plan.picks {
		if fy := types.DateFiscalYear(p.b.VintageStart); earliest == 0 || fy < earliest {
			earliest = fy
		}
	}
	fails.add(checkFiscalYear(plan.rules, m.FiscalYear, ctx, earliest))
	if err := fails.err(); err != nil {
		return nil, err
	}
	return plan, nil
}

// checkFiscalYear checks fy against every rule's fiscal-year rule, at
// block time ctx.Time, with earliest the fiscal year of the earliest
// vintage drawn; the error names the years allowed.
func checkFiscalYear(rules []*creditsv1.UseRule, fy uint32, ctx module.Context, earliest uint32) error {
	cur := types.FiscalYear(ctx.Time)
	lo, hi := uint32(MinFiscalYear), uint32(MaxFiscalYear)
	var why []string
	for _, r := range rules {
		switch r.FiscalYearRule {
		case creditsv1.FiscalYearRule_FISCAL_YEAR_RULE_CURRENT_OR_PREVIOUS_UNTIL_JUNE:
			l := cur
			if types.InAprilToJune(ctx.Time) {
				l = cur - 1
			}
			lo, hi = max(lo, l), min(hi, cur)
			if l < cur {
				why = append(why, fmt.Sprintf("%s counts the fiscal year of the retirement (%d) or, until 30 June, the previous one (%d)", useName(r.Use), cur, l))
			} else {
				why = append(why, fmt.Sprintf("%s counts the fiscal year of the retirement (%d); the previous year's reports took credits retired by 30 June", useName(r.Use), cur))
			}
		case creditsv1.FiscalYearRule_FISCAL_YEAR_RULE_VINTAGE_TO_CURRENT:
			lo, hi = max(lo, earliest), min(hi, cur)
			why = append(why, fmt.Sprintf("%s counts a fiscal year from the earliest vintage drawn (%d) to the retirement's (%d)", useName(r.Use), earliest, cur))
		}
	}
	if fy >= lo && fy <= hi {
		return nil
	}
	allowed := "none: the uses' years do not meet; retire for them separately"
	if lo <= hi {
		allowed = fmt.Sprint(lo)
		for y := lo + 1; y <= hi; y++ {
			allowed += fmt.Sprintf(", %d", y)
		}
	}
	return ErrFiscalYear.Wrapf("fiscal year %d is not allowed (block time %s JST is in fiscal %d): %s; allowed: %s",
		fy, ctx.Time.In(types.JST).Format("2006-01-02 15:04"), cur, joinClauses(why), allowed)
}

func joinClauses(s []string) string {
	out := ""
	for i, c := range s {
		if i > 0 {
			out += "; "
		}
		out += c
	}
	return out
}

// legalName is account n's legal name now ("" for none).
func (k *Keeper) legalName(s module.KVStore, n uint64) string {
	if n == 0 {
		return ""
	}
	acc, err := k.accounts.Account(s, n)
	if err != nil || acc == nil {
		return ""
	}
	return acc.LegalName
}

func scopeName(s creditsv1.UseScope) string {
	switch s {
	case creditsv1.UseScope_USE_SCOPE_ORGANISATION:
		return "the company's own emissions and energy use"
	case creditsv1.UseScope_USE_SCOPE_ELECTRICITY_SUPPLY:
		return "the emission factor of the electricity it sells"
	case creditsv1.UseScope_USE_SCOPE_OFFSET_TARGET:
		return "the offset target"
	case creditsv1.UseScope_USE_SCOPE_CORSIA:
		return "an aeroplane operator's CORSIA requirement"
	case creditsv1.UseScope_USE_SCOPE_GX_ETS:
		return "a GX-ETS compliance obligation"
	}
	return "a scope of its own"
}

func offsetKindName(k creditsv1.OffsetKind) string {
	switch k {
	case creditsv1.OffsetKind_OFFSET_KIND_EVENT:
		return "event"
	case creditsv1.OffsetKind_OFFSET_KIND_PRODUCT:
		return "product"
	case creditsv1.OffsetKind_OFFSET_KIND_ORGANISATION:
		return "organisation"
	case creditsv1.OffsetKind_OFFSET_KIND_PLACE:
		return "place"
	}
	return "target"
}
