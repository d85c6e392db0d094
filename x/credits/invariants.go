package credits

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// CheckInvariants walks the whole credits state in s and reports the first
// broken invariant:
//
//   - per batch, the ranges tile serials 1..issued: no gap, no overlap;
//   - per batch, issued = active + locked + retired + cancelled, and each
//     counter equals the credits in ranges of that status;
//   - every locked range names an open lock of the same holder, agent and
//     expiry, inside one of its blocks; every open lock has exactly one
//     expiry index entry, and no closed lock has one;
//   - every range has exactly one owner index entry, which records its end,
//     and there are no other owner index entries;
//   - every retired or cancelled range points at a record that exists;
//   - every statistic and account total (stats.go) equals its sum over the
//     batches' counters (issued, active, locked, retired, cancelled by
//     category, vintage year, methodology, prefecture, and in total) or over
//     the retirement records (retired and retirements by fiscal year, use,
//     use within a year; each account's retired per use and fiscal year), and
//     no other counter is stored;
//   - every GX-ETS total is the sum of the retirements it lists, each of
//     its operator and fiscal year.
//
// It costs O(ranges): it is for tests, audits and operators' tools, never
// for transactions.
func CheckInvariants(s module.KVStore) error {
	st := store(s)
	ranges := 0
	lockedIn := map[string]uint64{} // open lock id -> credits found locked
	bit := st.Iterator(types.BatchPrefix, module.PrefixEnd(types.BatchPrefix))
	defer bit.Close()
	for ; bit.Valid(); bit.Next() {
		b := &creditsv1.Batch{}
		if err := proto.Unmarshal(bit.Value(), b); err != nil {
			return fmt.Errorf("batch key %x: %v", bit.Key(), err)
		}
		if b.Active+b.Locked+b.Retired+b.Cancelled != b.Issued {
			return fmt.Errorf("batch %s: issued %d != active %d + locked %d + retired %d + cancelled %d", b.Id, b.Issued, b.Active, b.Locked, b.Retired, b.Cancelled)
		}
		var sums [5]uint64
		next := uint64(1)
		p := types.RangeBatchPrefix(b.Number)
		rit := st.Iterator(p, module.PrefixEnd(p))
		for ; rit.Valid(); rit.Next() {
			start := binary.BigEndian.Uint64(rit.Key()[len(rit.Key())-8:])
			r, err := decodeRange(rit.Value(), b.Number, start)
			if err != nil {
				rit.Close()
				return err
			}
			ranges++
			if r.Start != start || r.Start != next || r.End < r.Start || r.BatchId != b.Id {
				rit.Close()
				return fmt.Errorf("batch %s: range at %d is [%d, %d], expected to start at %d", b.Id, start, r.Start, r.End, next)
			}
			next = r.End + 1
			if r.Status < 1 || r.Status > 4 {
				rit.Close()
				return fmt.Errorf("batch %s: range %d has status %s", b.Id, start, r.Status)
			}
			sums[r.Status] += r.End - r.Start + 1
			if r.OwnerAccount == 0 || r.Owner != "" { // the v1 field must be gone
				rit.Close()
				return fmt.Errorf("batch %s: range %d has owner account %d (address field %q)", b.Id, start, r.OwnerAccount, r.Owner)
			}
			if v := st.Get(types.OwnerKey(r.OwnerAccount, r.Status, b.VintageStart, b.Number, r.Start)); !bytes.Equal(v, module.Uint64(r.End)) {
				rit.Close()
				return fmt.Errorf("batch %s: range [%d, %d] of account %d has owner index value %x", b.Id, r.Start, r.End, r.OwnerAccount, v)
			}
			switch {
			case r.Status == creditsv1.RangeStatus_RANGE_STATUS_RETIRED && !st.Has(types.RetirementKey(r.RetirementId)):
				rit.Close()
				return fmt.Errorf("batch %s: range %d names missing retirement %q", b.Id, start, r.RetirementId)
			case r.Status == creditsv1.RangeStatus_RANGE_STATUS_CANCELLED && !st.Has(types.CancellationKey(r.CancellationId)):
				rit.Close()
				return fmt.Errorf("batch %s: range %d names missing cancellation %q", b.Id, start, r.CancellationId)
			case r.Status == creditsv1.RangeStatus_RANGE_STATUS_LOCKED:
				if err := lockedRangeOK(st, b, r); err != nil {
					rit.Close()
					return err
				}
				lockedIn[r.LockId] += r.End - r.Start + 1
			case r.LockId != "" || r.LockAgentAccount != 0 || r.LockExpiresHeight != 0:
				rit.Close()
				return fmt.Errorf("batch %s: %s range %d carries lock fields", b.Id, r.Status, start)
			}
		}
		rit.Close()
		if next != b.Issued+1 {
			return fmt.Errorf("batch %s: ranges end at %d, issued %d", b.Id, next-1, b.Issued)
		}
		if sums[1] != b.Active || sums[2] != b.Retired || sums[3] != b.Cancelled || sums[4] != b.Locked {
			return fmt.Errorf("batch %s: counters active/locked/retired/cancelled %d/%d/%d/%d, ranges hold %d/%d/%d/%d",
				b.Id, b.Active, b.Locked, b.Retired, b.Cancelled, sums[1], sums[4], sums[2], sums[3])
		}
	}
	if err := checkLocks(st, lockedIn); err != nil {
		return err
	}
	if err := checkGxTotals(st); err != nil {
		return err
	}
	entries := 0
	oit := st.Iterator(types.OwnerPrefix, module.PrefixEnd(types.OwnerPrefix))
	defer oit.Close()
	for ; oit.Valid(); oit.Next() {
		if _, _, ok := types.ParseOwnerKey(oit.Key()); !ok {
			return fmt.Errorf("malformed owner index key %x", oit.Key())
		}
		entries++
	}
	if entries != ranges {
		return fmt.Errorf("%d owner index entries for %d ranges", entries, ranges)
	}
	return checkStats(st)
}

// lockedRangeOK checks a locked range against its lock.
func lockedRangeOK(st module.KVStore, b *creditsv1.Batch, r *creditsv1.Range) error {
	l, err := getLock(st, r.LockId)
	if err != nil {
		return err
	}
	if l == nil || l.Status != creditsv1.LockStatus_LOCK_STATUS_OPEN {
		return fmt.Errorf("batch %s: range %d is locked by %q, which is not an open lock", b.Id, r.Start, r.LockId)
	}
	if l.HolderAccount != r.OwnerAccount || l.AgentAccount != r.LockAgentAccount || l.ExpiresHeight != r.LockExpiresHeight {
		return fmt.Errorf("batch %s: range %d (holder %d, agent %d, expiry %d) disagrees with lock %s (%d, %d, %d)",
			b.Id, r.Start, r.OwnerAccount, r.LockAgentAccount, r.LockExpiresHeight, l.Id, l.HolderAccount, l.AgentAccount, l.ExpiresHeight)
	}
	for _, blk := range l.Blocks {
		if blk.BatchId == b.Id && blk.Start <= r.Start && r.End <= blk.End {
			return nil
		}
	}
	return fmt.Errorf("batch %s: range [%d, %d] is locked by %s but in none of its blocks", b.Id, r.Start, r.End, l.Id)
}

// checkLocks checks every lock record: an open lock's credits are all
// found locked (lockedIn, from the ranges) and it has its expiry index
// entry; a closed one has no credits locked and no entry; and the expiry
// index names only open locks.
func checkLocks(st module.KVStore, lockedIn map[string]uint64) error {
	open := 0
	it := st.Iterator(types.LockPrefix, module.PrefixEnd(types.LockPrefix))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		l := &creditsv1.Lock{}
		if err := proto.Unmarshal(it.Value(), l); err != nil {
			return fmt.Errorf("lock key %x: %v", it.Key(), err)
		}
		n, ok := types.ParseLockID(l.Id)
		if !ok || !bytes.Equal(it.Key(), types.LockKey(l.Id)) {
			return fmt.Errorf("lock %q under key %q", l.Id, it.Key())
		}
		var sum uint64
		for _, blk := range l.Blocks {
			sum += blk.End - blk.Start + 1
		}
		hasEntry := st.Has(types.LockExpiryKey(l.ExpiresHeight, n))
		if l.Status == creditsv1.LockStatus_LOCK_STATUS_OPEN {
			open++
			if sum != l.Quantity || lockedIn[l.Id] != l.Quantity || !hasEntry {
				return fmt.Errorf("open lock %s: quantity %d, blocks %d, credits locked %d, expiry entry %v", l.Id, l.Quantity, sum, lockedIn[l.Id], hasEntry)
			}
		} else if lockedIn[l.Id] != 0 || hasEntry {
			return fmt.Errorf("%s lock %s: %d credits still locked, expiry entry %v", l.Status, l.Id, lockedIn[l.Id], hasEntry)
		}
	}
	entries := 0
	xit := st.Iterator(types.LockExpiryPrefix, module.PrefixEnd(types.LockExpiryPrefix))
	defer xit.Close()
	for ; xit.Valid(); xit.Next() {
		entries++
	}
	if entries != open {
		return fmt.Errorf("%d lock expiry entries for %d open locks", entries, open)
	}
	return nil
}

// checkGxTotals checks each GX-ETS total against its retirements.
func checkGxTotals(st module.KVStore) error {
	it := st.Iterator(types.GxRetiredPrefix, module.PrefixEnd(types.GxRetiredPrefix))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		g := &creditsv1.GxRetired{}
		if err := proto.Unmarshal(it.Value(), g); err != nil {
			return fmt.Errorf("GX-ETS total %x: %v", it.Key(), err)
		}
		if !bytes.Equal(it.Key(), types.GxRetiredKey(g.OperatorAccount, g.FiscalYear)) {
			return fmt.Errorf("GX-ETS total of %d/%d under key %x", g.OperatorAccount, g.FiscalYear, it.Key())
		}
		var sum uint64
		for _, id := range g.RetirementIds {
			r, err := getRetirement(st, id)
			if err != nil {
				return err
			}
			if r == nil || r.GxOperatorAccount != g.OperatorAccount || r.FiscalYear != g.FiscalYear {
				return fmt.Errorf("GX-ETS total of %d/%d lists %s, which is not its retirement", g.OperatorAccount, g.FiscalYear, id)
			}
			sum += r.Quantity
		}
		if sum != g.Retired {
			return fmt.Errorf("GX-ETS total of %d/%d is %d, its retirements hold %d", g.OperatorAccount, g.FiscalYear, g.Retired, sum)
		}
	}
	return nil
}
