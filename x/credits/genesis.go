package credits

import (
	"encoding/json"
	"fmt"
	"sort"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/timestamppb"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// ValidateGenesis checks a genesis state, typically credits migrated from
// the legacy registry: each batch's ranges must tile its serials 1..issued
// exactly, retired and cancelled ranges must point at records that exist,
// and the supply counters must match the ranges (all-zero counters are
// filled in). It normalises owner addresses in place. Accounts may be named
// by number (owner_account, account_number, …) or, as a legacy export does,
// by address; InitGenesis resolves addresses through x/accounts' genesis,
// which is loaded first.
func ValidateGenesis(g *creditsv1.GenesisState) error {
	batches := map[string]*creditsv1.Batch{}
	reports, certs := map[string]bool{}, map[string]bool{}
	for i, b := range g.Batches {
		if b.Number == 0 || b.Id != types.BatchID(b.Number) {
			return ErrInvalidGenesis.Wrapf("batch %d: id %q must be %s", i, b.Id, types.BatchID(b.Number))
		}
		if batches[b.Id] != nil {
			return ErrInvalidGenesis.Wrapf("batch %s appears twice", b.Id)
		}
		if types.CategoryCode(b.Category) == "" {
			return ErrInvalidGenesis.Wrapf("batch %s: unknown category %s", b.Id, b.Category)
		}
		if _, err := parseDate(b.VintageStart); err != nil {
			return ErrInvalidGenesis.Wrapf("batch %s: vintage start: %v", b.Id, err)
		}
		if _, err := parseDate(b.VintageEnd); err != nil {
			return ErrInvalidGenesis.Wrapf("batch %s: vintage end: %v", b.Id, err)
		}
		if b.Issued == 0 || b.Issued > MaxBatchQuantity {
			return ErrInvalidGenesis.Wrapf("batch %s: issued must be 1 to %d", b.Id, uint64(MaxBatchQuantity))
		}
		if b.ProjectId == "" || (b.ReportId == "" && b.Legacy == nil) {
			return ErrInvalidGenesis.Wrapf("batch %s: project and report ids are required", b.Id)
		}
		if b.ReportId != "" {
			if reports[b.ReportId] {
				return ErrInvalidGenesis.Wrapf("batch %s: report %q already has a batch", b.Id, b.ReportId)
			}
			reports[b.ReportId] = true
		}
		if err := normalizeGenesisBatch(b); err != nil {
			return ErrInvalidGenesis.Wrapf("batch %s: %v", b.Id, err)
		}
		if b.Legacy == nil {
			cn := b.SchemeSymbol + " " + b.CertificationNumber
			if certs[cn] {
				return ErrInvalidGenesis.Wrapf("batch %s: certification number %s belongs to another batch", b.Id, cn)
			}
			certs[cn] = true
		}
		batches[b.Id] = b
	}
	if err := validateGenesisRules(g, batches); err != nil {
		return err
	}
	tableVersions := map[uint64]bool{}
	for _, t := range g.UseTables {
		tableVersions[t.Version] = true
	}
	if g.CurrentUseTable != 0 && !tableVersions[g.CurrentUseTable] {
		return ErrInvalidGenesis.Wrapf("current_use_table %d is not among the use tables", g.CurrentUseTable)
	}
	retirements := map[string]bool{}
	for _, r := range g.Retirements {
		if _, ok := types.ParseRetirementID(r.Id); !ok || retirements[r.Id] {
			return ErrInvalidGenesis.Wrapf("retirement id %q is malformed or repeated", r.Id)
		}
		if _, ok := parseAddress(r.Account); !ok && r.AccountNumber == 0 {
			return ErrInvalidGenesis.Wrapf("retirement %s: bad account %q", r.Id, r.Account)
		}
		if len(r.Uses) == 0 && r.Use != creditsv1.Use_USE_UNSPECIFIED {
			r.Uses, r.Use = []creditsv1.Use{r.Use}, creditsv1.Use_USE_UNSPECIFIED // as the v2 migration does
		}
		if len(r.Uses) == 0 || r.Use != creditsv1.Use_USE_UNSPECIFIED || r.Beneficiary == "" || len(r.Beneficiary) > MaxNameLen {
			return ErrInvalidGenesis.Wrapf("retirement %s: uses and beneficiary are required", r.Id)
		}
		if r.RuleVersion != 0 && !tableVersions[r.RuleVersion] {
			// 0: checked by rules before this chain's tables (release
			// v0.2.0's, or the registry the genesis migrates).
			return ErrInvalidGenesis.Wrapf("retirement %s: rule version %d is not among the genesis use tables", r.Id, r.RuleVersion)
		}
		retirements[r.Id] = true
	}
	cancellations := map[string]bool{}
	for _, c := range g.Cancellations {
		if _, ok := types.ParseCancellationID(c.Id); !ok || cancellations[c.Id] {
			return ErrInvalidGenesis.Wrapf("cancellation id %q is malformed or repeated", c.Id)
		}
		cancellations[c.Id] = true
	}
	locks, err := validateGenesisLocks(g.Locks)
	if err != nil {
		return err
	}
	if err := validateGenesisGx(g); err != nil {
		return err
	}
	if err := validateGenesisOffers(g); err != nil {
		return err
	}
	if err := validateSeqs(g); err != nil {
		return err
	}
	byBatch := map[string][]*creditsv1.Range{}
	for i, r := range g.Ranges {
		b := batches[r.BatchId]
		if b == nil {
			return ErrInvalidGenesis.Wrapf("range %d: unknown batch %q", i, r.BatchId)
		}
		if r.OwnerAccount == 0 {
			addr, ok := parseAddress(r.Owner) // genesis may name the owner by address
			if !ok {
				return ErrInvalidGenesis.Wrapf("range %d of %s: bad owner %q", i, r.BatchId, r.Owner)
			}
			r.Owner = addr.Hex()
		}
		if r.Start < 1 || r.End < r.Start || r.End > b.Issued {
			return ErrInvalidGenesis.Wrapf("range %d of %s: [%d, %d] is outside 1..%d", i, r.BatchId, r.Start, r.End, b.Issued)
		}
		switch r.Status {
		case creditsv1.RangeStatus_RANGE_STATUS_ACTIVE:
			if r.RetirementId != "" || r.CancellationId != "" {
				return ErrInvalidGenesis.Wrapf("active range %d of %s names a retirement or cancellation", i, r.BatchId)
			}
		case creditsv1.RangeStatus_RANGE_STATUS_RETIRED:
			if !retirements[r.RetirementId] || r.CancellationId != "" {
				return ErrInvalidGenesis.Wrapf("retired range %d of %s: no retirement record %q", i, r.BatchId, r.RetirementId)
			}
		case creditsv1.RangeStatus_RANGE_STATUS_CANCELLED:
			if !cancellations[r.CancellationId] || r.RetirementId != "" {
				return ErrInvalidGenesis.Wrapf("cancelled range %d of %s: no cancellation record %q", i, r.BatchId, r.CancellationId)
			}
		case creditsv1.RangeStatus_RANGE_STATUS_LOCKED:
			l := locks[r.LockId]
			if l == nil || l.Status != creditsv1.LockStatus_LOCK_STATUS_OPEN || r.RetirementId != "" || r.CancellationId != "" ||
				r.LockAgentAccount != l.AgentAccount || r.LockExpiresHeight != l.ExpiresHeight || r.OwnerAccount != l.HolderAccount {
				return ErrInvalidGenesis.Wrapf("locked range %d of %s: no open lock %q of its holder, agent and expiry", i, r.BatchId, r.LockId)
			}
		default:
			return ErrInvalidGenesis.Wrapf("range %d of %s: status %s", i, r.BatchId, r.Status)
		}
		if r.Status != creditsv1.RangeStatus_RANGE_STATUS_LOCKED && (r.LockId != "" || r.LockAgentAccount != 0 || r.LockExpiresHeight != 0) {
			return ErrInvalidGenesis.Wrapf("range %d of %s is %s but names a lock", i, r.BatchId, r.Status)
		}
		byBatch[r.BatchId] = append(byBatch[r.BatchId], r)
	}
	for _, b := range g.Batches {
		rs := append([]*creditsv1.Range(nil), byBatch[b.Id]...)
		sort.Slice(rs, func(i, j int) bool { return rs[i].Start < rs[j].Start })
		next := uint64(1)
		var active, retired, cancelled, locked uint64
		for _, r := range rs {
			if r.Start != next {
				return ErrInvalidGenesis.Wrapf("batch %s: serial %d is in no range or in two", b.Id, next)
			}
			q := r.End - r.Start + 1
			switch r.Status {
			case creditsv1.RangeStatus_RANGE_STATUS_ACTIVE:
				active += q
			case creditsv1.RangeStatus_RANGE_STATUS_RETIRED:
				retired += q
			case creditsv1.RangeStatus_RANGE_STATUS_LOCKED:
				locked += q
			default:
				cancelled += q
			}
			next = r.End + 1
		}
		if next != b.Issued+1 {
			return ErrInvalidGenesis.Wrapf("batch %s: serials %d to %d are in no range", b.Id, next, b.Issued)
		}
		if b.Active == 0 && b.Retired == 0 && b.Cancelled == 0 && b.Locked == 0 {
			b.Active, b.Retired, b.Cancelled, b.Locked = active, retired, cancelled, locked
		}
		if b.Active != active || b.Retired != retired || b.Cancelled != cancelled || b.Locked != locked {
			return ErrInvalidGenesis.Wrapf("batch %s: counters active/locked/retired/cancelled %d/%d/%d/%d do not match its ranges %d/%d/%d/%d",
				b.Id, b.Active, b.Locked, b.Retired, b.Cancelled, active, locked, retired, cancelled)
		}
	}
	return nil
}

// normalizeGenesisBatch fills in what a batch from an earlier registry
// may leave out, as issuance would (the official identifiers; v0.2.0's
// CORSIA flag as a first-phase CORSIA label), and checks what it states.
func normalizeGenesisBatch(b *creditsv1.Batch) error {
	if b.CorsiaEligible {
		if !hasLabel(b, creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE, creditsv1.CorsiaPhase_CORSIA_PHASE_UNSPECIFIED) {
			b.Labels = append(b.Labels, types.V1CorsiaLabel())
		}
		b.CorsiaEligible = false
	}
	if b.SchemeSymbol == "" {
		b.SchemeSymbol = types.SchemeJC
	}
	if b.CreditType == "" && types.JCredit(b.SchemeSymbol) {
		b.CreditType = types.DefaultCreditType(b.SchemeSymbol, b.Category)
	}
	if b.CertificationNumber == "" {
		b.CertificationNumber = b.ReportId
	}
	if types.Legacy(b.SchemeSymbol) != (b.Legacy != nil) {
		return fmt.Errorf("a batch of scheme %s %s", b.SchemeSymbol, map[bool]string{true: "records its original serials (legacy)", false: "has no legacy origin"}[types.Legacy(b.SchemeSymbol)])
	}
	if lg := b.Legacy; lg != nil && (lg.OriginalSerialStart == 0 || lg.OriginalSerialEnd-lg.OriginalSerialStart+1 != b.Issued) {
		return fmt.Errorf("original serials %d-%d do not number its %d credits", lg.OriginalSerialStart, lg.OriginalSerialEnd, b.Issued)
	}
	return checkBatchFacts(b.SchemeSymbol, b.CreditType, b.CertificationNumber, b.Category, b.ElectricityKwh, b.HeatMj, b.ProjectName, b.Origin, b.Labels)
}

// validateGenesisRules checks the use tables (the default when none are
// given) and the label histories.
func validateGenesisRules(g *creditsv1.GenesisState, batches map[string]*creditsv1.Batch) error {
	if len(g.UseTables) == 0 {
		g.UseTables = []*creditsv1.UseTable{DefaultUseTable()}
	}
	for i, t := range g.UseTables {
		if i > 0 && t.Version <= g.UseTables[i-1].Version {
			return ErrInvalidGenesis.Wrapf("use tables must be listed in increasing version order")
		}
		if err := ValidateUseTable(t); err != nil {
			return ErrInvalidGenesis.Wrapf("use table %d: %v", t.Version, err)
		}
	}
	counts := map[string]uint64{}
	for _, c := range g.LabelChanges {
		b := batches[c.BatchId]
		if b == nil {
			return ErrInvalidGenesis.Wrapf("label change of unknown batch %q", c.BatchId)
		}
		counts[c.BatchId]++
		if c.Number != counts[c.BatchId] {
			return ErrInvalidGenesis.Wrapf("label changes of %s must be numbered 1, 2, … in order", c.BatchId)
		}
		if err := validateLabel(c.Label); err != nil {
			return ErrInvalidGenesis.Wrapf("label change %d of %s: %v", c.Number, c.BatchId, err)
		}
	}
	for id, n := range counts {
		if batches[id].LabelChanges != n {
			return ErrInvalidGenesis.Wrapf("batch %s counts %d label changes, the genesis lists %d", id, batches[id].LabelChanges, n)
		}
	}
	return nil
}

// InitGenesis loads the credits genesis (nil: no credits yet).
func (k *Keeper) InitGenesis(ctx module.Context, raw json.RawMessage) error {
	g := &creditsv1.GenesisState{}
	if len(raw) > 0 {
		if err := protojson.Unmarshal(raw, g); err != nil {
			return ErrInvalidGenesis.Wrapf("%v", err)
		}
	}
	if len(g.UseTables) == 0 {
		// The scheme's table, in force from the chain's first block.
		t := DefaultUseTable()
		t.Height, t.Time = ctx.Height, timestamppb.New(ctx.Time)
		g.UseTables = []*creditsv1.UseTable{t}
	}
	if err := ValidateGenesis(g); err != nil {
		return err
	}
	if err := k.resolveGenesisAccounts(ctx.Store, g); err != nil {
		return err
	}
	st := store(ctx.Store)
	byID := map[string]*creditsv1.Batch{}
	var maxBatch, maxRet, maxCan uint64
	for _, t := range g.UseTables {
		putUseTable(st, t, true) // in version order: the last is current
	}
	given := map[string]bool{}
	for _, c := range g.LabelChanges {
		n, _ := types.ParseBatchID(c.BatchId)
		st.Set(types.LabelChangeKey(n, c.Number), marshal(c))
		given[c.BatchId] = true
	}
	for _, b := range g.Batches {
		if !given[b.Id] && len(b.Labels) > 0 {
			// Labels without a history: their history starts here.
			labels := b.Labels
			b.Labels, b.LabelChanges = nil, 0
			for _, l := range labels {
				if _, err := changeLabel(ctx, st, b, l, false, "label given at genesis"); err != nil {
					return ErrInvalidGenesis.Wrapf("batch %s: %v", b.Id, err)
				}
			}
		}
		setBatch(st, b)
		if b.ReportId != "" {
			st.Set(types.ReportKey(b.ReportId), module.Uint64(b.Number))
		}
		if lg := b.Legacy; lg != nil {
			st.Set(types.LegacyKey(b.SchemeSymbol, b.CertificationNumber, lg.OriginalSerialStart), types.LegacyValue(lg.OriginalSerialEnd, b.Number))
		} else {
			st.Set(types.CertNumberKey(b.SchemeSymbol, b.CertificationNumber), module.Uint64(b.Number))
		}
		byID[b.Id] = b
		maxBatch = max(maxBatch, b.Number)
	}
	for _, r := range g.Ranges {
		putRange(st, byID[r.BatchId], r)
	}
	// In number order, as the chain writes them (saveRetirement notices a
	// record dated before an earlier-numbered one).
	rets := append([]*creditsv1.Retirement(nil), g.Retirements...)
	sort.Slice(rets, func(i, j int) bool {
		a, _ := types.ParseRetirementID(rets[i].Id)
		b, _ := types.ParseRetirementID(rets[j].Id)
		return a < b
	})
	for _, r := range rets {
		n, _ := types.ParseRetirementID(r.Id)
		if err := saveRetirement(st, r, n); err != nil {
			return ErrInvalidGenesis.Wrapf("%v", err)
		}
		maxRet = max(maxRet, n)
	}
	for _, c := range g.Cancellations {
		n, _ := types.ParseCancellationID(c.Id)
		if err := saveCancellation(st, c, n); err != nil {
			return ErrInvalidGenesis.Wrapf("%v", err)
		}
		maxCan = max(maxCan, n)
	}
	for _, g := range g.GxRetired {
		st.Set(types.GxRetiredKey(g.OperatorAccount, g.FiscalYear), marshal(g))
	}
	var maxLock uint64
	for _, l := range g.Locks {
		n, _ := types.ParseLockID(l.Id)
		setLock(st, l)
		if l.Status == creditsv1.LockStatus_LOCK_STATUS_OPEN {
			st.Set(types.LockExpiryKey(l.ExpiresHeight, n), module.IndexValue)
		}
		maxLock = max(maxLock, n)
	}
	if maxLock > 0 {
		st.Set(types.SeqKey(types.SeqLock), module.Uint64(maxLock))
	}
	var maxOffer uint64
	for _, o := range g.Offers {
		n, _ := types.ParseOfferID(o.Id)
		st.Set(types.OfferKey(o.Id), marshal(o))
		maxOffer = max(maxOffer, n)
	}
	if n := seqFrom(g.LastOfferNumber, maxOffer); n > 0 {
		st.Set(types.SeqKey(types.SeqOffer), module.Uint64(n))
	}
	st.Set(types.SeqKey(types.SeqBatch), module.Uint64(seqFrom(g.LastBatchNumber, maxBatch)))
	st.Set(types.SeqKey(types.SeqRetirement), module.Uint64(seqFrom(g.LastRetirementNumber, maxRet)))
	st.Set(types.SeqKey(types.SeqCancellation), module.Uint64(seqFrom(g.LastCancellationNumber, maxCan)))
	if g.CurrentUseTable != 0 {
		st.Set(types.SeqKey(types.SeqUseTable), module.Uint64(g.CurrentUseTable))
	}
	// The statistics and account totals are derived: a genesis does not
	// carry them (ExportGenesis leaves them out), they are computed here
	// from the batches and retirement records.
	return RebuildStats(ctx.Store)
}

// resolveGenesisAccounts turns the addresses a genesis names accounts by
// into account numbers (x/accounts' genesis is loaded before this one), and
// clears the ranges' address field, which state does not keep.
func (k *Keeper) resolveGenesisAccounts(s module.KVStore, g *creditsv1.GenesisState) error {
	number := func(addr string) (uint64, bool) {
		a, ok := parseAddress(addr)
		if !ok {
			return 0, false
		}
		return k.accounts.AccountNumber(s, a)
	}
	for i, r := range g.Ranges {
		if r.OwnerAccount == 0 {
			n, ok := number(r.Owner) // genesis may name the owner by address
			if !ok {
				return ErrInvalidGenesis.Wrapf("range %d of %s: owner %s has no account", i, r.BatchId, r.Owner)
			}
			r.OwnerAccount = n
		}
		r.Owner = ""
	}
	for _, r := range g.Retirements {
		if r.AccountNumber == 0 {
			n, ok := number(r.Account)
			if !ok {
				return ErrInvalidGenesis.Wrapf("retirement %s: account %s has no account", r.Id, r.Account)
			}
			r.AccountNumber = n
		}
		if r.BeneficiaryAccountNumber == 0 && r.BeneficiaryAccount != "" {
			r.BeneficiaryAccountNumber, _ = number(r.BeneficiaryAccount)
		}
	}
	for _, c := range g.Cancellations {
		if c.MinistryAccount == 0 {
			c.MinistryAccount, _ = number(c.Ministry)
		}
	}
	return nil
}

// validateGenesisLocks checks the settlement locks of a genesis and
// returns them by id. An open lock's credits must be exactly its locked
// ranges (checked by the ranges and CheckInvariants after loading).
func validateGenesisLocks(locks []*creditsv1.Lock) (map[string]*creditsv1.Lock, error) {
	byID := map[string]*creditsv1.Lock{}
	for _, l := range locks {
		if _, ok := types.ParseLockID(l.Id); !ok || byID[l.Id] != nil {
			return nil, ErrInvalidGenesis.Wrapf("lock id %q is malformed or repeated", l.Id)
		}
		if l.HolderAccount == 0 || l.AgentAccount == 0 || l.ExpiresHeight <= 0 || len(l.Blocks) == 0 || len(l.Blocks) > MaxLockBlocks {
			return nil, ErrInvalidGenesis.Wrapf("lock %s: holder, agent, expiry height and 1 to %d blocks are required", l.Id, MaxLockBlocks)
		}
		if _, ok := creditsv1.LockStatus_name[int32(l.Status)]; !ok || l.Status == creditsv1.LockStatus_LOCK_STATUS_UNSPECIFIED {
			return nil, ErrInvalidGenesis.Wrapf("lock %s: status %s", l.Id, l.Status)
		}
		var sum uint64
		for _, b := range l.Blocks {
			if _, err := types.ParseBatchID(b.BatchId); err != nil || b.Start < 1 || b.End < b.Start {
				return nil, ErrInvalidGenesis.Wrapf("lock %s: block %s %d-%d", l.Id, b.BatchId, b.Start, b.End)
			}
			sum += b.End - b.Start + 1
		}
		if sum != l.Quantity {
			return nil, ErrInvalidGenesis.Wrapf("lock %s: quantity %d, its blocks hold %d", l.Id, l.Quantity, sum)
		}
		byID[l.Id] = l
	}
	return byID, nil
}

// validateGenesisGx checks the GX-ETS totals: each names an operator and
// fiscal year once, and is the sum of the GX-ETS retirements it lists,
// which name that operator and year.
func validateGenesisGx(g *creditsv1.GenesisState) error {
	byID := map[string]*creditsv1.Retirement{}
	for _, r := range g.Retirements {
		byID[r.Id] = r
	}
	seen := map[[2]uint64]bool{}
	for _, t := range g.GxRetired {
		k := [2]uint64{t.OperatorAccount, uint64(t.FiscalYear)}
		if t.OperatorAccount == 0 || t.FiscalYear < MinFiscalYear || t.FiscalYear > MaxFiscalYear || seen[k] {
			return ErrInvalidGenesis.Wrapf("GX-ETS total of operator %d, fiscal year %d: missing operator, bad year or repeated", t.OperatorAccount, t.FiscalYear)
		}
		seen[k] = true
		var sum uint64
		for _, id := range t.RetirementIds {
			r := byID[id]
			if r == nil || r.GxOperatorAccount != t.OperatorAccount || r.FiscalYear != t.FiscalYear {
				return ErrInvalidGenesis.Wrapf("GX-ETS total of operator %d, fiscal year %d lists %q, which is not its retirement", t.OperatorAccount, t.FiscalYear, id)
			}
			sum += r.Quantity
		}
		if sum != t.Retired {
			return ErrInvalidGenesis.Wrapf("GX-ETS total of operator %d, fiscal year %d: %d retired, its retirements hold %d", t.OperatorAccount, t.FiscalYear, t.Retired, sum)
		}
	}
	return nil
}

// validateGenesisOffers checks the open offers of a genesis: well-formed
// ids, not repeated, not beyond the offer sequence, each with a holder,
// a quantity and a contact, and a valid filter.
func validateGenesisOffers(g *creditsv1.GenesisState) error {
	seen := map[string]bool{}
	for _, o := range g.Offers {
		n, ok := types.ParseOfferID(o.Id)
		if !ok || seen[o.Id] {
			return ErrInvalidGenesis.Wrapf("offer id %q is malformed or repeated", o.Id)
		}
		seen[o.Id] = true
		if g.LastOfferNumber != 0 && n > g.LastOfferNumber {
			return ErrInvalidGenesis.Wrapf("offer %s is beyond the offer sequence %d", o.Id, g.LastOfferNumber)
		}
		if o.HolderAccount == 0 {
			return ErrInvalidGenesis.Wrapf("offer %s names no holder account", o.Id)
		}
		if err := validatePublishOffer(&creditsv1.MsgPublishOffer{Filter: offerFilter(o), Quantity: o.Quantity, PriceYenPerT: o.PriceYenPerT, Contact: o.Contact}); err != nil {
			return ErrInvalidGenesis.Wrapf("offer %s: %v", o.Id, err)
		}
	}
	return nil
}
