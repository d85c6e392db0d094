package credits

import (
	"encoding/binary"
	"math"
	"time"

	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// jst is Japan Standard Time (UTC+9, no daylight saving), the zone of the
// scheme's dates.
var jst = time.FixedZone("JST", 9*60*60)

// retirementFilter is a QueryRetirementsRequest resolved: accounts to
// numbers, dates to instants.
type retirementFilter struct {
	account, benefAccount       uint64
	hasAccount, hasBenefAccount bool
	beneficiary                 string
	fiscalYear                  uint32
	use                         creditsv1.Use
	from, to                    time.Time // [from, to)
	hasFrom, hasTo              bool
	batch, projectID            string
	category                    creditsv1.Category
	// needBatches: the project or category filter reads each drawn
	// block's batch (cached for the page).
	needBatches bool
	batches     *batchCache
}

func (k *Keeper) newRetirementFilter(q module.QueryContext, req *creditsv1.QueryRetirementsRequest) (*retirementFilter, error) {
	f := &retirementFilter{fiscalYear: req.FiscalYear, use: req.Use, beneficiary: req.Beneficiary,
		projectID: req.ProjectId, category: req.Category, batches: newBatchCache(store(q.Store))}
	var err error
	if req.Account != "" {
		if f.account, err = k.queryAccount(q.Store, "account", req.Account); err != nil {
			return nil, err
		}
		f.hasAccount = true
	}
	if req.BeneficiaryAccount != "" {
		if f.benefAccount, err = k.queryAccount(q.Store, "beneficiary_account", req.BeneficiaryAccount); err != nil {
			return nil, err
		}
		f.hasBenefAccount = true
	}
	if len(req.Beneficiary) > MaxNameLen {
		return nil, module.ErrBadQuery.Wrapf("beneficiary names are at most %d bytes", MaxNameLen)
	}
	if req.FiscalYear != 0 && (req.FiscalYear < 1900 || req.FiscalYear > 9999) {
		return nil, module.ErrBadQuery.Wrapf("fiscal_year %d is not a year like 2025", req.FiscalYear)
	}
	if _, ok := creditsv1.Use_name[int32(req.Use)]; !ok {
		return nil, module.ErrBadQuery.Wrapf("unknown use %d", req.Use)
	}
	if _, ok := creditsv1.Category_name[int32(req.Category)]; !ok {
		return nil, module.ErrBadQuery.Wrapf("unknown category %d", req.Category)
	}
	if req.FromDate != "" {
		d, err := time.ParseInLocation(time.DateOnly, req.FromDate, jst)
		if err != nil {
			return nil, module.ErrBadQuery.Wrapf("from_date %q is not a date like 2025-04-01", req.FromDate)
		}
		f.from, f.hasFrom = d, true
	}
	if req.ToDate != "" {
		d, err := time.ParseInLocation(time.DateOnly, req.ToDate, jst)
		if err != nil {
			return nil, module.ErrBadQuery.Wrapf("to_date %q is not a date like 2026-03-31", req.ToDate)
		}
		f.to, f.hasTo = d.AddDate(0, 0, 1), true // inclusive: up to the end of that day
	}
	if req.BatchId != "" {
		if _, err := types.ParseBatchID(req.BatchId); err != nil {
			return nil, module.ErrBadQuery.Wrapf("batch_id: %v", err)
		}
		f.batch = req.BatchId
	}
	if err := checkIDFilter("project_id", req.ProjectId); err != nil {
		return nil, err
	}
	f.needBatches = req.ProjectId != "" || req.Category != 0
	return f, nil
}

// indexes are the number-ordered indexes of the filters given, each the
// exact set of records its filter admits: retiring account (a/),
// beneficiary account (e/), beneficiary name (n/), fiscal year (y/), use
// (u/), project (rp/), category (rc/).
func (f *retirementFilter) indexes() [][]byte {
	var ix [][]byte
	if f.hasAccount {
		ix = append(ix, module.Key(types.ByAccountPrefix, module.Uint64(f.account)))
	}
	if f.hasBenefAccount {
		ix = append(ix, module.Key(types.ByBenefAcctPrefix, module.Uint64(f.benefAccount)))
	}
	if f.beneficiary != "" {
		ix = append(ix, module.Key(types.ByBenefNamePrefix, types.NameHead(f.beneficiary)))
	}
	if f.fiscalYear != 0 {
		ix = append(ix, module.Key(types.ByFiscalYearPrefix, types.FiscalYearHead(f.fiscalYear)))
	}
	if f.use != 0 {
		ix = append(ix, module.Key(types.ByUsePrefix, []byte{byte(f.use)}))
	}
	if f.projectID != "" {
		ix = append(ix, module.Key(types.ByProjectPrefix, types.ProjectHead(f.projectID)))
	}
	if f.category != 0 {
		ix = append(ix, module.Key(types.ByCategoryPrefix, types.CategoryHead(f.category)))
	}
	return ix
}

// matches checks every filter on a record.
func (f *retirementFilter) matches(r *creditsv1.Retirement) (bool, error) {
	if (f.hasAccount && r.AccountNumber != f.account) ||
		(f.hasBenefAccount && r.BeneficiaryAccountNumber != f.benefAccount) ||
		(f.beneficiary != "" && r.Beneficiary != f.beneficiary) ||
		(f.fiscalYear != 0 && r.FiscalYear != f.fiscalYear) ||
		(f.use != 0 && !hasUse(r, f.use)) {
		return false, nil
	}
	if f.hasFrom || f.hasTo {
		t := r.GetTime().AsTime()
		if (f.hasFrom && t.Before(f.from)) || (f.hasTo && !t.Before(f.to)) {
			return false, nil
		}
	}
	if f.batch == "" && !f.needBatches {
		return true, nil
	}
	for _, bl := range r.Blocks {
		if f.batch != "" && bl.BatchId != f.batch {
			continue
		}
		if !f.needBatches {
			return true, nil
		}
		// A block records its batch's project and category (state version
		// 2); a record that does not is read against the batch.
		project, category := bl.ProjectId, bl.Category
		if project == "" || category == 0 {
			n, err := types.ParseBatchID(bl.BatchId)
			if err != nil {
				return false, module.ErrInternal.Wrapf("retirement %s names batch %q: %v", r.Id, bl.BatchId, err)
			}
			b, err := f.batches.get(n)
			if err != nil {
				return false, err
			}
			project, category = b.ProjectId, b.Category
		}
		if (f.projectID == "" || project == f.projectID) && (f.category == 0 || category == f.category) {
			return true, nil
		}
	}
	return false, nil
}

func (k *Keeper) queryRetirements(q module.QueryContext, req *creditsv1.QueryRetirementsRequest) (*creditsv1.QueryRetirementsResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	f, err := k.newRetirementFilter(q, req)
	if err != nil {
		return nil, err
	}
	st := store(q.Store)
	// The records, read in the walk's order (every index is ordered by
	// retirement number) by stepping one iterator rather than seeking each.
	records := module.NewLookup(st, types.RetirementPrefix, pg.Reverse())
	defer records.Close()
	out := &creditsv1.QueryRetirementsResponse{}
	var nums []uint64
	keep := func(r *creditsv1.Retirement) (bool, error) {
		ok, err := f.matches(r)
		if err != nil || !ok {
			return false, err
		}
		out.Retirements = append(out.Retirements, r)
		nums = append(nums, r.AccountNumber, r.BeneficiaryAccountNumber)
		return true, nil
	}
	if f.batch != "" && !f.hasAccount && !f.hasBenefAccount {
		// The batch's ranges name the retirement of each retired range:
		// walking them reads only this batch's records, where the
		// retirements' indexes would examine every record to find them.
		n, _ := types.ParseBatchID(f.batch) // checked by newRetirementFilter
		out.Page, err = pg.Walk(st, types.RangeBatchPrefix(n), func(key, value []byte) (bool, error) {
			r, err := firstRetiredRange(records, n, key, value, f.batch)
			if err != nil || r == nil {
				return false, err
			}
			return keep(r)
		})
	} else {
		out.Page, err = walkRetirements(st, pg, f, records, keep)
	}
	if err != nil {
		return nil, err
	}
	if out.Accounts, err = k.refs(q, nums...); err != nil {
		return nil, err
	}
	return out, nil
}

// walkRetirements lists the records f admits in retirement-number order
// (reverse: descending). The indexes of the filters given are walked in
// step (a leapfrog join): each is asked for its first number at or after
// the candidate, and a candidate all of them hold is read and checked
// against every filter; with no index filter the records themselves (t/)
// are the one index (without a date range, walked by key as ever). A
// date range narrows every index to the numbers between its first and
// last time-index entry (dateNumbers), so it costs two seeks, not a walk. The cursor's position is the last number
// examined. A page examines at most module.ScanBudget entries (seeks and
// steps) and says so when it stops short.
func walkRetirements(st module.KVStore, pg *module.Page, f *retirementFilter, records *module.Lookup, keep func(*creditsv1.Retirement) (bool, error)) (*queryv1.PageResponse, error) {
	if f.batch == "" {
		// The rp/ and rc/ indexes walked hold exactly the records with a
		// block of the project and category (as matches reads them): no
		// batch need be read to check them again. With a batch, both must
		// hold of one block, which matches checks.
		f.needBatches = false
	}
	w := &leapfrog{reverse: pg.Reverse()}
	lo, hi, ok, err := dateNumbers(st, f, &w.scanned)
	if err != nil {
		return nil, err
	}
	if !ok {
		return pg.Response(w.scanned, nil, false), nil
	}
	for _, p := range f.indexes() {
		w.ix = append(w.ix, &numberIndex{st: st, prefix: p, reverse: w.reverse, lo: lo, hi: hi, scanned: &w.scanned})
	}
	recordsIx := len(w.ix) == 0
	if recordsIx && hi > maxRecordNumber {
		// No index filter and no date range narrowing to eight-digit ids:
		// the records in key order (ids beyond eight digits do not sort as
		// numbers), each checked.
		return pg.Walk(st, types.RetirementPrefix, func(_, value []byte) (bool, error) {
			r := &creditsv1.Retirement{}
			if err := proto.Unmarshal(value, r); err != nil {
				return false, module.ErrInternal.Wrapf("retirement: %v", err)
			}
			return keep(r)
		})
	}
	if recordsIx {
		w.ix = append(w.ix, &numberIndex{st: st, prefix: types.RetirementPrefix, records: true, reverse: w.reverse, lo: lo, hi: hi, scanned: &w.scanned})
	}
	defer w.close()
	cand := lo
	if w.reverse {
		cand = hi
	}
	if after := pg.After(); after != nil {
		if len(after) != 8 {
			return nil, module.ErrBadQuery.Wrapf("the cursor is not one of this list (pass a page's next_cursor as it is)")
		}
		a := binary.BigEndian.Uint64(after)
		switch {
		case !w.reverse && a >= hi, w.reverse && a <= lo:
			return pg.Response(w.scanned, nil, false), nil
		case !w.reverse:
			cand = max(lo, a+1)
		default:
			cand = min(hi, a-1)
		}
	}
	listed := 0
	var last []byte
	for {
		n, found, stopped, err := w.align(cand)
		if err != nil {
			return nil, err
		}
		if !found {
			return pg.Response(w.scanned, nil, false), nil
		}
		if listed == pg.Limit() {
			return pg.Response(w.scanned, last, false), nil
		}
		if stopped {
			// The scan budget ran out before n was examined: go on at n.
			return pg.Response(w.scanned, module.Uint64(w.before(n)), true), nil
		}
		var value []byte
		if recordsIx {
			value = w.ix[0].it.Value()
		} else {
			value = records.Get(types.RetirementKey(types.RetirementID(n)))
		}
		id := types.RetirementID(n)
		r, err := decodeRetirement(id, value)
		if err != nil {
			return nil, err
		}
		if r == nil {
			return nil, module.ErrInternal.Wrapf("a retirement index names %s, which does not exist", id)
		}
		ok, err := keep(r)
		if err != nil {
			return nil, err
		}
		if ok {
			listed++
		}
		last = module.Uint64(n)
		if (!w.reverse && n == hi) || (w.reverse && n == lo) {
			return pg.Response(w.scanned, nil, false), nil
		}
		cand = w.next(n)
	}
}

// dateNumbers is the range [lo, hi] of retirement numbers a walk reads:
// every number, or with a date range the numbers from the first rt/ entry
// at or after its start to the last before its end — exactly the records
// in the range, as long as times never go back as numbers go up
// (types.RetirementTimeOrderKey absent; else every number, and matches
// checks each record's time). ok is false when no record can match.
func dateNumbers(st module.KVStore, f *retirementFilter, scanned *int) (lo, hi uint64, ok bool, err error) {
	lo, hi = 1, math.MaxUint64
	if (!f.hasFrom && !f.hasTo) || st.Get(types.RetirementTimeOrderKey()) != nil {
		return lo, hi, true, nil
	}
	bound := func(it module.Iterator) (uint64, bool, error) {
		defer it.Close()
		*scanned++
		if !it.Valid() {
			return 0, false, it.Error()
		}
		k := it.Key()
		if len(k) != len(types.ByTimePrefix)+types.TimeHeadLen+8 {
			return 0, false, module.ErrInternal.Wrapf("malformed time index key")
		}
		return binary.BigEndian.Uint64(k[len(k)-8:]), true, nil
	}
	if f.hasFrom {
		if lo, ok, err = bound(st.Iterator(module.Key(types.ByTimePrefix, types.TimeHead(f.from)), module.PrefixEnd(types.ByTimePrefix))); !ok {
			return 0, 0, false, err
		}
	}
	// Without an end, the last record (the latest).
	end := module.PrefixEnd(types.ByTimePrefix)
	if f.hasTo {
		end = module.Key(types.ByTimePrefix, types.TimeHead(f.to))
	}
	if hi, ok, err = bound(st.ReverseIterator(types.ByTimePrefix, end)); !ok {
		return 0, 0, false, err
	}
	return lo, hi, lo <= hi, nil
}

// leapfrog walks number-ordered indexes in step.
type leapfrog struct {
	ix      []*numberIndex
	reverse bool
	scanned int
}

// align returns the first number at or after cand (in the walk's order)
// that every index holds; found false when an index has none left;
// stopped when the scan budget ran out first (n is then where to go on).
func (w *leapfrog) align(cand uint64) (n uint64, found, stopped bool, err error) {
	agreed := 0
	for i := 0; agreed < len(w.ix); i = (i + 1) % len(w.ix) {
		if w.scanned >= module.ScanBudget {
			return cand, true, true, nil
		}
		m, ok, err := w.ix[i].seek(cand)
		if err != nil || !ok {
			return 0, false, false, err
		}
		if m == cand {
			agreed++
		} else {
			cand, agreed = m, 1
		}
	}
	return cand, true, false, nil
}

// next and before are the numbers after and before n in the walk's order.
func (w *leapfrog) next(n uint64) uint64 {
	if w.reverse {
		return n - 1
	}
	return n + 1
}

func (w *leapfrog) before(n uint64) uint64 {
	if w.reverse {
		return n + 1
	}
	return n - 1
}

func (w *leapfrog) close() {
	for _, x := range w.ix {
		x.close()
	}
}

// numberIndex is one number-ordered retirement index being walked: the
// entries <prefix><retirement# 8B>, or (records) the records t/<id>, whose
// ids sort as their numbers, within [lo, hi].
type numberIndex struct {
	st      module.KVStore
	prefix  []byte
	records bool
	reverse bool
	lo, hi  uint64
	scanned *int

	it   module.Iterator
	cur  uint64 // the number at it
	done bool   // no entry remains in the walk's direction
}

// stepsBeforeSeek is how many entries an index steps over before it seeks
// instead: a dense index steps from one candidate to the next, a sparse
// one jumps.
const stepsBeforeSeek = 8

// maxRecordNumber is the largest number whose record id sorts as the
// number does (eight digits).
const maxRecordNumber = 99_999_999

// startKey is the key of number n (the first at or after it).
func (x *numberIndex) startKey(n uint64) []byte {
	if !x.records {
		return module.Key(x.prefix, module.Uint64(n))
	}
	if n > maxRecordNumber {
		return module.PrefixEnd(x.prefix)
	}
	return types.RetirementKey(types.RetirementID(n))
}

// endKey is the key just after number n's.
func (x *numberIndex) endKey(n uint64) []byte {
	if n == math.MaxUint64 || (x.records && n >= maxRecordNumber) {
		return module.PrefixEnd(x.prefix)
	}
	return x.startKey(n + 1)
}

func (x *numberIndex) number(key []byte) (uint64, error) {
	rel := key[len(x.prefix):]
	if x.records {
		n, ok := types.ParseRetirementID(string(rel))
		if !ok {
			return 0, module.ErrInternal.Wrapf("retirement record under %q", rel)
		}
		return n, nil
	}
	if len(rel) != 8 {
		return 0, module.ErrInternal.Wrapf("malformed retirement index key")
	}
	return binary.BigEndian.Uint64(rel), nil
}

// reached reports whether the index's position is at or after n.
func (x *numberIndex) reached(n uint64) bool {
	if x.reverse {
		return x.cur <= n
	}
	return x.cur >= n
}

// seek moves to the first entry at or after n in the walk's order and
// returns its number; ok is false when none remains. It steps the open
// iterator a few entries before it seeks afresh.
func (x *numberIndex) seek(n uint64) (uint64, bool, error) {
	if x.done {
		return 0, false, nil
	}
	if x.it != nil {
		for steps := 0; ; steps++ {
			if x.reached(n) {
				return x.cur, true, nil
			}
			if steps == stepsBeforeSeek {
				break
			}
			x.it.Next()
			*x.scanned++
			if !x.it.Valid() {
				x.done = true
				return 0, false, x.it.Error()
			}
			var err error
			if x.cur, err = x.number(x.it.Key()); err != nil {
				return 0, false, err
			}
		}
		x.it.Close()
	}
	if x.reverse {
		x.it = x.st.ReverseIterator(x.startKey(x.lo), x.endKey(n))
	} else {
		x.it = x.st.Iterator(x.startKey(n), x.endKey(x.hi))
	}
	*x.scanned++
	if !x.it.Valid() {
		x.done = true
		return 0, false, x.it.Error()
	}
	var err error
	x.cur, err = x.number(x.it.Key())
	return x.cur, err == nil, err
}

func (x *numberIndex) close() {
	if x.it != nil {
		x.it.Close()
		x.it = nil
	}
}

// firstRetiredRange is the retirement of the range at key (relative to
// the batch's range prefix) if the range is retired and is the first, in
// serial order, of that retirement's ranges in the batch (so a walk of the
// batch's ranges lists each retirement once, at its lowest serial; a range
// holds one retirement's serials only, so no block of it starts below the
// first range); nil otherwise.
func firstRetiredRange(records *module.Lookup, batch uint64, key, value []byte, batchID string) (*creditsv1.Retirement, error) {
	if len(key) != 8 {
		return nil, module.ErrInternal.Wrapf("malformed range key in batch %d", batch)
	}
	rg, err := decodeRange(value, batch, binary.BigEndian.Uint64(key))
	if err != nil || rg.Status != creditsv1.RangeStatus_RANGE_STATUS_RETIRED || rg.RetirementId == "" {
		return nil, err
	}
	r, err := decodeRetirement(rg.RetirementId, records.Get(types.RetirementKey(rg.RetirementId)))
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, module.ErrInternal.Wrapf("range %d/%d names %s, which does not exist", batch, rg.Start, rg.RetirementId)
	}
	for _, bl := range r.Blocks {
		if bl.BatchId == batchID && bl.Start < rg.Start {
			return nil, nil // listed at an earlier range
		}
	}
	return r, nil
}
