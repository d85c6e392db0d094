package credits

import (
	"encoding/json"
	"sort"

	"google.golang.org/protobuf/encoding/protojson"

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
	reports := map[string]bool{}
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
		if b.ProjectId == "" || b.ReportId == "" {
			return ErrInvalidGenesis.Wrapf("batch %s: project and report ids are required", b.Id)
		}
		if reports[b.ReportId] {
			return ErrInvalidGenesis.Wrapf("batch %s: report %q already has a batch", b.Id, b.ReportId)
		}
		reports[b.ReportId] = true
		batches[b.Id] = b
	}
	retirements := map[string]bool{}
	for _, r := range g.Retirements {
		if _, ok := types.ParseRetirementID(r.Id); !ok || retirements[r.Id] {
			return ErrInvalidGenesis.Wrapf("retirement id %q is malformed or repeated", r.Id)
		}
		if _, ok := parseAddress(r.Account); !ok && r.AccountNumber == 0 {
			return ErrInvalidGenesis.Wrapf("retirement %s: bad account %q", r.Id, r.Account)
		}
		if r.Use == creditsv1.Use_USE_UNSPECIFIED || r.Beneficiary == "" || len(r.Beneficiary) > MaxNameLen {
			return ErrInvalidGenesis.Wrapf("retirement %s: use and beneficiary are required", r.Id)
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
		default:
			return ErrInvalidGenesis.Wrapf("range %d of %s: status %s", i, r.BatchId, r.Status)
		}
		byBatch[r.BatchId] = append(byBatch[r.BatchId], r)
	}
	for _, b := range g.Batches {
		rs := append([]*creditsv1.Range(nil), byBatch[b.Id]...)
		sort.Slice(rs, func(i, j int) bool { return rs[i].Start < rs[j].Start })
		next := uint64(1)
		var active, retired, cancelled uint64
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
			default:
				cancelled += q
			}
			next = r.End + 1
		}
		if next != b.Issued+1 {
			return ErrInvalidGenesis.Wrapf("batch %s: serials %d to %d are in no range", b.Id, next, b.Issued)
		}
		if b.Active == 0 && b.Retired == 0 && b.Cancelled == 0 {
			b.Active, b.Retired, b.Cancelled = active, retired, cancelled
		}
		if b.Active != active || b.Retired != retired || b.Cancelled != cancelled {
			return ErrInvalidGenesis.Wrapf("batch %s: counters active/retired/cancelled %d/%d/%d do not match its ranges %d/%d/%d",
				b.Id, b.Active, b.Retired, b.Cancelled, active, retired, cancelled)
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
	if err := ValidateGenesis(g); err != nil {
		return err
	}
	if err := k.resolveGenesisAccounts(ctx.Store, g); err != nil {
		return err
	}
	st := store(ctx.Store)
	byID := map[string]*creditsv1.Batch{}
	var maxBatch, maxRet, maxCan uint64
	for _, b := range g.Batches {
		setBatch(st, b)
		st.Set(types.ReportKey(b.ReportId), module.Uint64(b.Number))
		byID[b.Id] = b
		maxBatch = max(maxBatch, b.Number)
	}
	for _, r := range g.Ranges {
		putRange(st, byID[r.BatchId], r)
	}
	for _, r := range g.Retirements {
		n, _ := types.ParseRetirementID(r.Id)
		saveRetirement(st, r, n)
		maxRet = max(maxRet, n)
	}
	for _, c := range g.Cancellations {
		n, _ := types.ParseCancellationID(c.Id)
		st.Set(types.CancellationKey(c.Id), marshal(c))
		maxCan = max(maxCan, n)
	}
	st.Set(types.SeqKey(types.SeqBatch), module.Uint64(maxBatch))
	st.Set(types.SeqKey(types.SeqRetirement), module.Uint64(maxRet))
	st.Set(types.SeqKey(types.SeqCancellation), module.Uint64(maxCan))
	return nil
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
