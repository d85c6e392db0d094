package credits

import (
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The v2 migration of this module (upgrade "v2", state version 1 -> 2; the
// app runs it after x/accounts' and x/projects').
//
// State version 1 (release v0.2.0) named accounts by address:
//
//	r/<batch#><start>                              -> Range{owner: address}
//	o/<20B owner><status><vintage><batch#><start>  -> end
//	t/<retirement id>                              -> Retirement{account, beneficiary_account: addresses}
//	a/<20B account><retirement#>                   -> empty (by retiring account; a
//	                                                  rotation added the new key's entries)
//	e/<20B account><retirement#>                   -> empty (by beneficiary account)
//	n/…, y/…, u/…                                  -> empty
//	c/<cancellation id>                            -> Cancellation{ministry: address}
//
// In key order: every batch gets its official identifiers (scheme symbol
// JC, credit type FM for forest and ER otherwise, the report id as
// certification number — what issuance gives a batch whose ministry named
// none), its project's name and location (from x/projects, migrated
// before), and for v0.2.0's CORSIA flag a CORSIA label of the first phase
// (2024-2026) with its label change record, signed by the ministry that
// certified the report, at the issuance height; every range gets owner_account (the v1 address cleared) and
// its owner index entry moves to o/<8B account#>…; the v1 retirement
// account indexes are deleted; every retirement gets account_number and
// beneficiary_account_number and is indexed again by number (and by name,
// fiscal year and use, now with non-empty values), and gains the indexes
// v0.2.0 did not keep, by time (rt/), project (rp/) and category (rc/) —
// the records are walked in id order, which is number order, so a v1
// record dated before an earlier-numbered one is noticed and named under
// s/retirement-time-order, as InitGenesis does; every cancellation gets
// ministry_account and is indexed by the batches it draws from (xb/,
// new). The addresses that signed stay in the records, as
// history. A retirement's single use becomes its list of uses, it names
// rule version 0 — the rules of v0.2.0, stored as use table version 0
// (V1UseTable) beside version 1, the scheme's table now in force — and
// gains what the new code records: the legal names of its accounts (no
// message of v0.2.0 could change a legal name, so today's are those of its
// height), a CORSIA retirement the phase containing its fiscal year, and
// each block its batch's project, methodology, identifiers, labels, place
// of origin and energy share (0: v0.2.0 recorded no energy). Settlement
// locks (lk/, lx/, Range's lock fields, Cancellation.released_locks,
// RANGE_STATUS_LOCKED) are new in version 2 and v0.2.0 had none: the
// migration writes no lock, and every batch's locked counter is 0
// (upgrade_v2_test checks CheckInvariants, which counts locked ranges).
// Two-step transfers (Lock.transfer_offer) are locks too, and offers of
// credits for sale (of/, the offer sequence) are new: v0.2.0 had none, so
// the migration writes none.
// resolve maps an address — a live key or one
// rotated away — to its account; origins tells what x/projects knows of the
// report a batch was issued for.

// migrateChunk bounds how many entries a migration walk reads at a time.
const migrateChunk = 1024

// v1 key lengths under StorePrefix, read by the migration only.
var (
	v1OwnerKeyLen           = 2 + common.AddressLength + 1 + 8 + 8 + 8
	v1RetirementIndexKeyLen = 2 + common.AddressLength + 8
)

// MigrateV2 rewrites this module's state from state version 1 to 2.
func (k *Keeper) MigrateV2(ctx module.Context, resolve func(module.KVStore, common.Address) (uint64, bool), origins IssuanceOrigins) error {
	st := store(ctx.Store)
	number := func(address, what string) (uint64, error) {
		addr, ok := parseAddress(address)
		if !ok {
			return 0, fmt.Errorf("credits: %s: %q is not an address", what, address)
		}
		n, ok := resolve(ctx.Store, addr)
		if !ok {
			return 0, fmt.Errorf("credits: %s: %s is no account's key", what, addr.Hex())
		}
		return n, nil
	}

	// 0. The use tables, and batches.
	v1, now := V1UseTable(), DefaultUseTable()
	now.Height, now.Time = ctx.Height, timestamppb.New(ctx.Time)
	putUseTable(st, v1, false)
	putUseTable(st, now, true)
	err := module.Walk(st, types.BatchPrefix, module.PrefixEnd(types.BatchPrefix), migrateChunk, func(key, value []byte) error {
		b := &creditsv1.Batch{}
		if err := proto.Unmarshal(value, b); err != nil {
			return fmt.Errorf("credits: batch %x: %w", key, err)
		}
		o, err := origins.IssuedFrom(ctx.Store, b.ReportId)
		if err != nil {
			// A batch imported at genesis (issuance height 0): v0.2.0's
			// genesis took credits migrated from the legacy registry
			// with that registry's project and report ids, which
			// x/projects never saw. It has no report to take a project
			// name, place or certifier from, and keeps its ids, as a
			// batch given in this release's genesis without them.
			if b.IssuanceHeight != 0 {
				return fmt.Errorf("credits: batch %s: %w", b.Id, err)
			}
			o = types.IssuanceOrigin{}
		}
		req := &creditsv1.IssuanceRequest{ReportId: b.ReportId, Category: b.Category}
		b.SchemeSymbol, b.CreditType, b.CertificationNumber = types.IssuanceIdentifiers(req)
		b.ProjectName, b.Origin = o.ProjectName, originOf(o.Location)
		if b.CorsiaEligible {
			b.CorsiaEligible = false
			label := types.V1CorsiaLabel()
			label.SinceHeight = b.IssuanceHeight
			b.Labels = append(b.Labels, label)
			b.LabelChanges++
			var n uint64
			if o.Certifier != "" {
				n, _ = resolve(ctx.Store, common.HexToAddress(o.Certifier))
			}
			st.Set(types.LabelChangeKey(b.Number, b.LabelChanges), marshal(&creditsv1.LabelChange{
				BatchId: b.Id, Number: b.LabelChanges, Action: creditsv1.LabelAction_LABEL_ACTION_ADDED, Label: label,
				MinistryAccount: n, Ministry: o.Certifier, Reason: labelReason(o, b.ReportId),
				Height: b.IssuanceHeight, Time: b.IssuanceTime, TxHash: b.IssuanceTxHash,
			}))
		}
		st.Set(types.CertNumberKey(b.SchemeSymbol, b.CertificationNumber), module.Uint64(b.Number))
		setBatch(st, b)
		return nil
	})
	if err != nil {
		return err
	}

	// 1. Ranges and the owner index, batch by batch.
	var b *creditsv1.Batch
	err = module.Walk(st, types.RangePrefix, module.PrefixEnd(types.RangePrefix), migrateChunk, func(key, value []byte) error {
		if len(key) != len(types.RangePrefix)+16 {
			return fmt.Errorf("credits: malformed range key %x", key)
		}
		batch := binary.BigEndian.Uint64(key[len(types.RangePrefix):])
		start := binary.BigEndian.Uint64(key[len(types.RangePrefix)+8:])
		if b == nil || b.Number != batch {
			var err error
			if b, err = getBatch(st, batch); err != nil {
				return err
			}
			if b == nil {
				return fmt.Errorf("credits: range %d/%d of a missing batch", batch, start)
			}
		}
		r, err := decodeRange(value, batch, start)
		if err != nil {
			return err
		}
		owner, err := number(r.Owner, fmt.Sprintf("owner of range %s %d-%d", b.Id, r.Start, r.End))
		if err != nil {
			return err
		}
		st.Delete(module.Key(types.OwnerPrefix, common.HexToAddress(r.Owner).Bytes(), []byte{byte(r.Status)},
			types.VintageKey(b.VintageStart), module.Uint64(b.Number), module.Uint64(r.Start)))
		r.OwnerAccount, r.Owner = owner, ""
		putRange(st, b, r)
		return nil
	})
	if err != nil {
		return err
	}
	// 2. The v1 account indexes of retirements (and owner index entries no
	// range named, none in a consistent state), deleted by their length.
	for _, old := range []struct {
		prefix []byte
		length int
	}{{types.OwnerPrefix, v1OwnerKeyLen}, {types.ByAccountPrefix, v1RetirementIndexKeyLen}, {types.ByBenefAcctPrefix, v1RetirementIndexKeyLen}} {
		err := module.Walk(st, old.prefix, module.PrefixEnd(old.prefix), migrateChunk, func(key, _ []byte) error {
			if len(key) == old.length {
				st.Delete(key)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	// 3. Retirement records, numbered and indexed by account number, time,
	// project and category (saveRetirement).
	err = module.Walk(st, types.RetirementPrefix, module.PrefixEnd(types.RetirementPrefix), migrateChunk, func(key, value []byte) error {
		r := &creditsv1.Retirement{}
		if err := proto.Unmarshal(value, r); err != nil {
			return fmt.Errorf("credits: retirement %q: %w", key, err)
		}
		seq, ok := types.ParseRetirementID(r.Id)
		if !ok || string(key[len(types.RetirementPrefix):]) != r.Id {
			return fmt.Errorf("credits: retirement record %q stored under %q", r.Id, key)
		}
		n, err := number(r.Account, "account of "+r.Id)
		if err != nil {
			return err
		}
		r.AccountNumber = n
		if r.BeneficiaryAccount != "" {
			// v1 accepted any address here; one that is no account's
			// key keeps number 0 and stays named by its address.
			if addr, ok := parseAddress(r.BeneficiaryAccount); ok {
				r.BeneficiaryAccountNumber, _ = resolve(ctx.Store, addr)
			}
		}
		r.AccountLegalName, r.BeneficiaryLegalName = k.legalName(ctx.Store, r.AccountNumber), k.legalName(ctx.Store, r.BeneficiaryAccountNumber)
		r.Uses, r.Use, r.RuleVersion = []creditsv1.Use{r.Use}, creditsv1.Use_USE_UNSPECIFIED, v1.Version
		if r.Uses[0] == creditsv1.Use_USE_CORSIA {
			r.CorsiaPhase = types.CorsiaPhaseOf(r.FiscalYear)
		}
		for i, blk := range r.Blocks {
			bn, err := types.ParseBatchID(blk.BatchId)
			if err != nil {
				return fmt.Errorf("credits: %s: %w", r.Id, err)
			}
			b, err := getBatch(st, bn)
			if err != nil || b == nil {
				return fmt.Errorf("credits: %s names batch %s: %v", r.Id, blk.BatchId, err)
			}
			r.Blocks[i] = RetiredBlock(b, blk.Start, blk.End)
			r.ElectricityKwh += r.Blocks[i].ElectricityKwh
			r.HeatMj += r.Blocks[i].HeatMj
		}
		return saveRetirement(st, r, seq)
	})
	if err != nil {
		return err
	}
	// 4. Cancellation records, and their batch index (xb/, new).
	err = module.Walk(st, types.CancellationPrefix, module.PrefixEnd(types.CancellationPrefix), migrateChunk, func(key, value []byte) error {
		c := &creditsv1.Cancellation{}
		if err := proto.Unmarshal(value, c); err != nil {
			return fmt.Errorf("credits: cancellation %q: %w", key, err)
		}
		n, err := number(c.Ministry, "ministry of "+c.Id)
		if err != nil {
			return err
		}
		c.MinistryAccount = n
		seq, ok := types.ParseCancellationID(c.Id)
		if !ok || string(key[len(types.CancellationPrefix):]) != c.Id {
			return fmt.Errorf("credits: cancellation record %q stored under %q", c.Id, key)
		}
		return saveCancellation(st, c, seq)
	})
	if err != nil {
		return err
	}
	// 5. The statistics and account totals, which v0.2.0 did not keep,
	// from the migrated batches and retirement records.
	return RebuildStats(ctx.Store)
}

// labelReason is the reason of the CORSIA label change the migration
// records for v0.2.0's flag.
func labelReason(o types.IssuanceOrigin, reportID string) string {
	if o.Certifier == "" {
		return "labelled at genesis (imported from the legacy registry as report " + reportID + ")"
	}
	return "labelled at the certification of report " + reportID
}
