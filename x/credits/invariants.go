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
//     counter equals the credits in ranges of that status (no range is
//     locked until locks exist: issue 14);
//   - every range has exactly one owner index entry, which records its end,
//     and there are no other owner index entries;
//   - every retired or cancelled range points at a record that exists;
//   - every statistic and account total (stats.go) equals its sum over the
//     batches' counters (issued, active, locked, retired, cancelled by
//     category, vintage year, methodology, prefecture, and in total) or over
//     the retirement records (retired and retirements by fiscal year, use,
//     use within a year; each account's retired per use and fiscal year), and
//     no other counter is stored.
//
// It costs O(ranges): it is for tests, audits and operators' tools, never
// for transactions.
func CheckInvariants(s module.KVStore) error {
	st := store(s)
	ranges := 0
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
		var sums [4]uint64
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
			if r.Status < 1 || r.Status > 3 {
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
			}
		}
		rit.Close()
		if next != b.Issued+1 {
			return fmt.Errorf("batch %s: ranges end at %d, issued %d", b.Id, next-1, b.Issued)
		}
		if sums[1] != b.Active || sums[2] != b.Retired || sums[3] != b.Cancelled || b.Locked != 0 {
			return fmt.Errorf("batch %s: counters active/locked/retired/cancelled %d/%d/%d/%d, ranges hold %d/0/%d/%d",
				b.Id, b.Active, b.Locked, b.Retired, b.Cancelled, sums[1], sums[2], sums[3])
		}
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
