package credits

import (
	"bytes"
	"fmt"
	"slices"

	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Statistics kept in state (key layout: x/credits/types/stats.go).
//
// Every counter changes in the transaction that changes what it counts,
// through the same code that changes a batch's supply counters: issuance
// and legacy import (createBatch), retirement and cancellation (the moves
// of each block, and the record of a retirement). A transfer changes no
// total. So a statistic costs O(1) per transaction — a fixed number of
// counters per batch drawn, per use and per account — and never a walk:
//
//   - batch dimensions (total, category, vintage year, methodology,
//     prefecture of creation): issued, locked, retired, cancelled, moved as
//     the batch's own counters move (active is computed: issued - locked -
//     retired - cancelled, so that a retirement writes one counter per
//     dimension rather than two);
//   - retirements: retired credits by fiscal year, use, and use within a
//     fiscal year; retirement records in total and by fiscal year;
//   - account totals: retired for each account (the beneficiary account a
//     retirement names, else the retiring account), per use (and every
//     use) and fiscal year.
//
// A retirement of one use drawing one batch thus writes 11 counters
// (about 375,000 gas by the cost table, x/module/gas.go): 5 batch
// dimensions, the count, the year's credits and count, the use's and the
// use-in-year's credits, 2 account totals.
//
// A tally gathers a transaction's changes and writes each counter it
// touched once (a read and a write, metered like any other), in the order
// first touched, so that the writes are deterministic. CheckInvariants
// recomputes every counter from the batches and retirement records;
// RebuildStats computes them from scratch (genesis, migration).

// adder takes counter changes: a tally (a transaction's) or counts (a
// recomputation's).
type adder interface {
	add(key []byte, plus, minus uint64)
}

// tally is a transaction's pending counter changes, in the order first
// touched.
type tally struct {
	keys  [][]byte
	delta []delta
	index map[string]int
}

// delta is a counter's change: plus minus minus, kept apart so that no
// sum is ever signed.
type delta struct{ plus, minus uint64 }

func (t *tally) add(key []byte, plus, minus uint64) {
	if i, ok := t.index[string(key)]; ok {
		t.delta[i].plus += plus
		t.delta[i].minus += minus
		return
	}
	if t.index == nil {
		t.index = map[string]int{}
	}
	t.index[string(key)] = len(t.keys)
	t.keys = append(t.keys, key)
	t.delta = append(t.delta, delta{plus, minus})
}

// counts are counters computed from scratch.
type counts map[string]uint64

func (c counts) add(key []byte, plus, minus uint64) { c[string(key)] += plus - minus }

// sorted are the counters' keys in key order.
func (c counts) sorted() []string {
	out := make([]string, 0, len(c))
	for k, v := range c {
		if v != 0 {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// moveSupply records q credits of batch b moving from one status to
// another in every batch dimension. Active is not stored: an issuance is
// ISSUED (from UNSPECIFIED to ACTIVE), a retirement or cancellation moves
// from ACTIVE, and a lock (issue 14) from ACTIVE to LOCKED and back.
func moveSupply(t adder, b *creditsv1.Batch, from, to creditsv1.StatMeasure, q uint64) {
	if q == 0 {
		return
	}
	if from == creditsv1.StatMeasure_STAT_MEASURE_UNSPECIFIED {
		to = creditsv1.StatMeasure_STAT_MEASURE_ISSUED
	}
	for _, dv := range types.BatchStatValues(b) {
		if from != creditsv1.StatMeasure_STAT_MEASURE_ACTIVE && from != creditsv1.StatMeasure_STAT_MEASURE_UNSPECIFIED {
			t.add(types.StatKey(dv.Dim, from, dv.Value), 0, q)
		}
		if to != creditsv1.StatMeasure_STAT_MEASURE_ACTIVE {
			t.add(types.StatKey(dv.Dim, to, dv.Value), q, 0)
		}
	}
}

// retirement records a retirement record's own counters: by fiscal year,
// use and use within the year, and its accounts' totals.
func countRetirement(t adder, r *creditsv1.Retirement) {
	retired, count := creditsv1.StatMeasure_STAT_MEASURE_RETIRED, creditsv1.StatMeasure_STAT_MEASURE_RETIREMENTS
	q := r.Quantity
	fy := types.YearValue(r.FiscalYear)
	t.add(types.StatKey(types.DimTotal, count, nil), 1, 0)
	t.add(types.StatKey(types.DimFiscalYear, retired, fy), q, 0)
	t.add(types.StatKey(types.DimFiscalYear, count, fy), 1, 0)
	for _, u := range r.Uses {
		t.add(types.StatKey(types.DimUse, retired, types.UseValue(u)), q, 0)
		t.add(types.StatKey(types.DimUseFiscalYear, retired, types.UseYearValue(u, r.FiscalYear)), q, 0)
	}
	for _, at := range accountTotalKeys(r) {
		t.add(at, q, 0)
	}
}

// accountTotalKeys are the account totals a retirement counts in: its
// beneficiary account's (else the retiring account's), for every use and
// for each of its uses, in its fiscal year.
func accountTotalKeys(r *creditsv1.Retirement) [][]byte {
	n := AccountTotalsAccount(r)
	if n == 0 {
		return nil
	}
	out := [][]byte{types.AccountTotalKey(n, 0, r.FiscalYear)}
	for _, u := range r.Uses {
		out = append(out, types.AccountTotalKey(n, u, r.FiscalYear))
	}
	return out
}

// AccountTotalsAccount is the account a retirement counts for: its
// beneficiary account, or the retiring account when it names none.
func AccountTotalsAccount(r *creditsv1.Retirement) uint64 {
	if r.BeneficiaryAccountNumber != 0 {
		return r.BeneficiaryAccountNumber
	}
	return r.AccountNumber
}

// save writes every counter touched, once each; one that would go below 0
// is an internal error (the counters no longer match the batches), and the
// transaction fails.
func (t *tally) save(st module.KVStore) error {
	for i, k := range t.keys {
		d := t.delta[i]
		if d.plus == d.minus {
			continue
		}
		v := readCounter(st, k)
		if v+d.plus < d.minus {
			return module.ErrInternal.Wrapf("statistic %x would go below 0 (%d + %d - %d); the counters disagree with the batches", k, v, d.plus, d.minus)
		}
		writeCounter(st, k, v+d.plus-d.minus)
	}
	t.keys, t.delta, t.index = nil, nil, nil
	return nil
}

// readCounter reads a counter (0 if absent).
func readCounter(st module.KVStore, key []byte) uint64 {
	bz := st.Get(key)
	if bz == nil {
		return 0
	}
	c := &creditsv1.Counter{}
	if err := proto.Unmarshal(bz, c); err != nil {
		return 0
	}
	return c.Value
}

// writeCounter stores a counter, deleting it at 0 (no value is empty; an
// absent key is a proven 0).
func writeCounter(st module.KVStore, key []byte, v uint64) {
	if v == 0 {
		st.Delete(key)
		return
	}
	st.Set(key, marshal(&creditsv1.Counter{Value: v}))
}

// RebuildStats deletes every statistic and account total and computes
// them again from the batches and retirement records, walking each once:
// for a state that carries no counters (a genesis file, the v2 migration
// of release v0.2.0's state). Counters are written in key order.
func RebuildStats(s module.KVStore) error {
	st := store(s)
	for _, p := range [][]byte{types.StatsPrefix, types.AccountTotalsPrefix} {
		var keys [][]byte
		err := module.Walk(st, p, module.PrefixEnd(p), migrateChunk, func(key, _ []byte) error {
			keys = append(keys, bytes.Clone(key))
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range keys {
			st.Delete(k)
		}
	}
	want, err := expectedStats(st)
	if err != nil {
		return err
	}
	for _, k := range want.sorted() {
		writeCounter(st, []byte(k), want[k])
	}
	return nil
}

// expectedStats computes every counter from the batches (their supply
// counters, in each batch dimension) and the retirement records.
func expectedStats(st module.KVStore) (counts, error) {
	c := counts{}
	err := module.Walk(st, types.BatchPrefix, module.PrefixEnd(types.BatchPrefix), migrateChunk, func(key, value []byte) error {
		b := &creditsv1.Batch{}
		if err := proto.Unmarshal(value, b); err != nil {
			return module.ErrInternal.Wrapf("batch %x: %v", key, err)
		}
		addBatchSupply(c, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = module.Walk(st, types.RetirementPrefix, module.PrefixEnd(types.RetirementPrefix), migrateChunk, func(key, value []byte) error {
		r := &creditsv1.Retirement{}
		if err := proto.Unmarshal(value, r); err != nil {
			return module.ErrInternal.Wrapf("retirement %q: %v", key, err)
		}
		countRetirement(c, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// addBatchSupply counts a batch's supply as it stands.
func addBatchSupply(a adder, b *creditsv1.Batch) {
	for _, m := range []struct {
		measure creditsv1.StatMeasure
		q       uint64
	}{
		{creditsv1.StatMeasure_STAT_MEASURE_ISSUED, b.Issued}, {creditsv1.StatMeasure_STAT_MEASURE_LOCKED, b.Locked}, {creditsv1.StatMeasure_STAT_MEASURE_RETIRED, b.Retired},
		{creditsv1.StatMeasure_STAT_MEASURE_CANCELLED, b.Cancelled},
	} {
		if m.q == 0 {
			continue
		}
		for _, dv := range types.BatchStatValues(b) {
			a.add(types.StatKey(dv.Dim, m.measure, dv.Value), m.q, 0)
		}
	}
}

// checkStats compares the stored counters with expectedStats: the
// statistics' part of the conservation invariant.
func checkStats(st module.KVStore) error {
	want, err := expectedStats(st)
	if err != nil {
		return err
	}
	seen := 0
	for _, p := range [][]byte{types.StatsPrefix, types.AccountTotalsPrefix} {
		it := st.Iterator(p, module.PrefixEnd(p))
		for ; it.Valid(); it.Next() {
			c := &creditsv1.Counter{}
			if err := proto.Unmarshal(it.Value(), c); err != nil || c.Value == 0 {
				it.Close()
				return fmt.Errorf("counter %x holds %x, not a counter above 0", it.Key(), it.Value())
			}
			if w := want[string(it.Key())]; w != c.Value {
				it.Close()
				return fmt.Errorf("counter %x is %d; the batches and retirement records say %d", it.Key(), c.Value, w)
			}
			seen++
		}
		it.Close()
	}
	if n := len(want.sorted()); n != seen {
		for _, k := range want.sorted() {
			if !st.Has([]byte(k)) {
				return fmt.Errorf("counter %x is missing; the batches and retirement records say %d", k, want[k])
			}
		}
		return fmt.Errorf("%d counters stored, %d expected", seen, n)
	}
	return nil
}
