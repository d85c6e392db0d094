package credits

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Range storage. All functions take the module store (already prefixed).
//
// Invariant: for every batch, the ranges r/<batch#>/* tile [1, issued]
// exactly (no gap, no overlap), and every range has exactly one owner index
// entry. Every operation touches only the ranges around the serials it
// changes, so its cost is O(k log n) for k ranges changed among n stored:
// issuing 10^9 credits writes one range.

func getRange(st module.KVStore, batch, start uint64) (*creditsv1.Range, error) {
	bz := st.Get(types.RangeKey(batch, start))
	if bz == nil {
		return nil, nil
	}
	return decodeRange(bz, batch, start)
}

// decodeRangeOrNil is decodeRange, nil for no value.
func decodeRangeOrNil(bz []byte, batch, start uint64) (*creditsv1.Range, error) {
	if bz == nil {
		return nil, nil
	}
	return decodeRange(bz, batch, start)
}

func decodeRange(bz []byte, batch, start uint64) (*creditsv1.Range, error) {
	r := &creditsv1.Range{}
	if err := proto.Unmarshal(bz, r); err != nil {
		return nil, module.ErrInternal.Wrapf("range %d/%d: %v", batch, start, err)
	}
	return r, nil
}

// putRange writes r and its owner index entry. b is r's batch.
func putRange(st module.KVStore, b *creditsv1.Batch, r *creditsv1.Range) {
	st.Set(types.RangeKey(b.Number, r.Start), marshal(r))
	st.Set(types.OwnerKey(r.OwnerAccount, r.Status, b.VintageStart, b.Number, r.Start), module.Uint64(r.End))
}

// delRange removes r and its owner index entry.
func delRange(st module.KVStore, b *creditsv1.Batch, r *creditsv1.Range) {
	st.Delete(types.RangeKey(b.Number, r.Start))
	st.Delete(types.OwnerKey(r.OwnerAccount, r.Status, b.VintageStart, b.Number, r.Start))
}

// findRange returns the range of batch containing serial, or nil: the last
// range starting at or before serial, if it reaches serial.
func findRange(st module.KVStore, batch, serial uint64) (*creditsv1.Range, error) {
	end := module.PrefixEnd(types.RangeBatchPrefix(batch))
	if serial < ^uint64(0) {
		end = types.RangeKey(batch, serial+1)
	}
	it := st.ReverseIterator(types.RangeKey(batch, 0), end)
	defer it.Close()
	if !it.Valid() {
		return nil, nil
	}
	start := binary.BigEndian.Uint64(it.Key()[len(it.Key())-8:])
	r, err := decodeRange(it.Value(), batch, start)
	if err != nil {
		return nil, err
	}
	if r.End < serial {
		return nil, nil
	}
	return r, nil
}

// FindRange finds the stored range holding the credit s.Start in the whole
// state s (for example a committed snapshot) and returns it with its batch
// and full store key, which a proof of "serial S is (or is not) retired"
// proves. It checks that s's category and vintage year match the batch.
func FindRange(s module.KVStore, serial types.Serial) (*creditsv1.Range, *creditsv1.Batch, []byte, error) {
	st := store(s)
	b, err := getBatch(st, serial.Batch)
	if err != nil {
		return nil, nil, nil, err
	}
	if b == nil {
		return nil, nil, nil, ErrUnknownBatch.Wrapf("no batch %s", types.BatchID(serial.Batch))
	}
	if err := checkSerialMatches(b, serial); err != nil {
		return nil, nil, nil, err
	}
	if serial.Start > b.Issued {
		return nil, nil, nil, ErrUnknownSerial.Wrapf("batch %s has serials 1 to %d; %s is beyond them", b.Id, b.Issued, serial)
	}
	r, err := findRange(st, b.Number, serial.Start)
	if err != nil {
		return nil, nil, nil, err
	}
	if r == nil {
		return nil, nil, nil, module.ErrInternal.Wrapf("no range holds %s", serial)
	}
	return r, b, types.RangeStoreKey(b.Number, r.Start), nil
}

// checkSerialMatches checks the human-readable parts of a serial against
// its batch, so that a mistyped batch number is not silently accepted.
func checkSerialMatches(b *creditsv1.Batch, s types.Serial) error {
	if s.Category != b.Category || s.VintageYear != types.VintageYear(b.VintageStart) {
		return ErrSerialMismatch.Wrapf("batch %s is %s credits of vintage %d, but the serial says %s %04d; check the batch number",
			b.Id, types.CategoryCode(b.Category), types.VintageYear(b.VintageStart), types.CategoryCode(s.Category), s.VintageYear)
	}
	if s.End > b.Issued {
		return ErrUnknownSerial.Wrapf("batch %s has serials 1 to %d; %s goes beyond them", b.Id, b.Issued, s)
	}
	return nil
}

// carve changes the serials [start, end] of batch b. check must accept
// every stored range overlapping them (it sees the whole range); the ranges
// are then split at start and end so that only the pieces inside are handed
// to change, and finally active neighbours with the same owner are merged
// back, so that moving credits back and forth does not fragment state.
//
// It works in one pass: one reverse iterator reads the ranges overlapping
// [start-1, end+1] (the serials changed and both neighbours), the new
// tiling of that window is computed in memory (split, change, merge), and
// only the ranges that differ are written. The result is the same as
// splitting in the store and merging with a second scan, which is what
// this replaced: a transfer opened 4 to 6 store iterators, each a seek
// through every write buffer and IAVL.
func carve(st module.KVStore, b *creditsv1.Batch, start, end uint64, check func(*creditsv1.Range) error, change func(*creditsv1.Range)) error {
	if start < 1 || start > end || end > b.Issued {
		return ErrUnknownSerial.Wrapf("batch %s has serials 1 to %d; %d-%d is outside them", b.Id, b.Issued, start, end)
	}
	lo, hi := start, end
	if lo > 1 {
		lo--
	}
	if hi < b.Issued {
		hi++
	}
	olds, err := rangesAround(st, b, lo, hi)
	if err != nil {
		return err
	}
	if len(olds) == 0 || olds[0].Start > start {
		return module.ErrInternal.Wrapf("no range of %s holds serial %d", b.Id, start)
	}
	for _, r := range olds {
		if r.End >= start && r.Start <= end {
			if err := check(r); err != nil {
				return err
			}
		}
	}
	// The window's new tiling: each old range split at start and end, the
	// pieces inside changed.
	news := make([]*creditsv1.Range, 0, len(olds)+2)
	for _, old := range olds {
		if old.End < start || old.Start > end {
			news = append(news, old) // a neighbour, unchanged
			continue
		}
		if old.Start < start {
			left := proto.Clone(old).(*creditsv1.Range)
			left.End = start - 1
			news = append(news, left)
		}
		piece := proto.Clone(old).(*creditsv1.Range)
		piece.Start, piece.End = max(old.Start, start), min(old.End, end)
		change(piece)
		news = append(news, piece)
		if old.End > end {
			right := proto.Clone(old).(*creditsv1.Range)
			right.Start = end + 1
			news = append(news, right)
		}
	}
	news = mergeActive(news)
	// Write the difference: every old range that is not kept as it was is
	// removed (its record and owner index entry), every new one that is
	// not already stored as it is is written.
	kept := make(map[uint64]bool, len(olds))
	for _, n := range news {
		for _, o := range olds {
			if o.Start == n.Start && proto.Equal(o, n) {
				kept[o.Start] = true
			}
		}
	}
	for _, o := range olds {
		if !kept[o.Start] {
			delRange(st, b, o)
		}
	}
	for _, n := range news {
		if !kept[n.Start] {
			putRange(st, b, n)
		}
	}
	return nil
}

// mergeActive merges adjacent active ranges with the same owner in rs (in
// serial order, contiguous); the merged range keeps the first one's record.
// It never modifies the records of rs (carve compares against them): a
// range is cloned before it is first extended.
func mergeActive(rs []*creditsv1.Range) []*creditsv1.Range {
	out := make([]*creditsv1.Range, 0, len(rs))
	extended := false // whether out's last range is a clone being extended
	for _, r := range rs {
		if n := len(out); n > 0 {
			cur := out[n-1]
			if cur.Status == creditsv1.RangeStatus_RANGE_STATUS_ACTIVE && r.Status == cur.Status &&
				r.OwnerAccount == cur.OwnerAccount && cur.End+1 == r.Start {
				if !extended {
					cur = proto.Clone(cur).(*creditsv1.Range)
					out[n-1], extended = cur, true
				}
				cur.End = r.End
				continue
			}
		}
		out, extended = append(out, r), false
	}
	return out
}

// rangesAround returns the stored ranges of b overlapping [lo, hi], in
// serial order, with one reverse iterator: from the last range starting at
// or before hi down to the first one that starts at or before lo.
func rangesAround(st module.KVStore, b *creditsv1.Batch, lo, hi uint64) ([]*creditsv1.Range, error) {
	end := module.PrefixEnd(types.RangeBatchPrefix(b.Number))
	if hi < ^uint64(0) {
		end = types.RangeKey(b.Number, hi+1)
	}
	it := st.ReverseIterator(types.RangeKey(b.Number, 0), end)
	defer it.Close()
	var out []*creditsv1.Range
	for ; it.Valid(); it.Next() {
		k := it.Key()
		r, err := decodeRange(it.Value(), b.Number, binary.BigEndian.Uint64(k[len(k)-8:]))
		if err != nil {
			return nil, err
		}
		if r.End < lo {
			break
		}
		out = append(out, r)
		if r.Start <= lo {
			break
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// pick is a block of serials chosen for an operation.
type pick struct {
	b          *creditsv1.Batch
	start, end uint64
}

// batchCache loads each batch once per operation and remembers the order
// in which batches were first touched, so that counters are written and
// events emitted in a deterministic order.
type batchCache struct {
	st    module.KVStore
	byNum map[uint64]*creditsv1.Batch
	order []*creditsv1.Batch
}

func newBatchCache(st module.KVStore) *batchCache {
	return &batchCache{st: st, byNum: map[uint64]*creditsv1.Batch{}}
}

func (c *batchCache) get(n uint64) (*creditsv1.Batch, error) {
	if b, ok := c.byNum[n]; ok {
		return b, nil
	}
	b, err := getBatch(c.st, n)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, ErrUnknownBatch.Wrapf("no batch %s", types.BatchID(n))
	}
	c.byNum[n] = b
	c.order = append(c.order, b)
	return b, nil
}

// save writes every touched batch (with its updated counters).
func (c *batchCache) save() {
	for _, b := range c.order {
		setBatch(c.st, b)
	}
}

// selectOldest picks qty of owner's active credits, oldest vintage first
// (then batch, then serial), among batches matching filter and accept. It
// walks the owner index from the first matching entry and stops once qty
// is reached; a batch that does not match is skipped with one seek.
func selectOldest(st module.KVStore, bc *batchCache, owner uint64, who func(uint64) string, f *creditsv1.Filter, accept func(*creditsv1.Batch) error, qty uint64) ([]pick, error) {
	picks, got, err := pickOldest(st, bc, owner, f, accept, qty)
	if err != nil {
		return nil, err
	}
	if got < qty {
		return nil, ErrInsufficient.Wrapf("%s holds %d active credits matching the request, %d asked", who(owner), got, qty)
	}
	return picks, nil
}

// pickOldest is selectOldest's walk: it picks up to qty of owner's active
// credits matching f, oldest vintage first, and says how many it found
// (fewer than qty when the owner holds fewer). A batch filter naming a
// batch that does not match the rest of f is an error.
func pickOldest(st module.KVStore, bc *batchCache, owner uint64, f *creditsv1.Filter, accept func(*creditsv1.Batch) error, qty uint64) ([]pick, uint64, error) {
	prefix := types.OwnerStatusPrefix(owner, creditsv1.RangeStatus_RANGE_STATUS_ACTIVE)
	lo := prefix
	if f.GetBatchId() != "" {
		n, err := types.ParseBatchID(f.GetBatchId())
		if err != nil {
			return nil, 0, err
		}
		b, err := bc.get(n)
		if err != nil {
			return nil, 0, err
		}
		if err := matchFilter(b, f); err != nil {
			return nil, 0, err
		}
		if err := accept(b); err != nil {
			return nil, 0, err
		}
		lo = module.Key(prefix, types.VintageKey(b.VintageStart), module.Uint64(b.Number))
	} else if y := f.GetVintageYear(); y != 0 {
		lo = module.Key(prefix, fmt.Appendf(nil, "%04d", y))
	}
	hi := module.PrefixEnd(lo)
	var picks []pick
	need := qty
	cursor := lo
	for need > 0 && bytes.Compare(cursor, hi) < 0 {
		var skipTo []byte
		it := st.Iterator(cursor, hi)
		for ; it.Valid() && need > 0; it.Next() {
			batch, start, ok := types.ParseOwnerKey(it.Key())
			if !ok || len(it.Value()) != 8 {
				it.Close()
				return nil, 0, module.ErrInternal.Wrapf("malformed owner index entry %x", it.Key())
			}
			end := binary.BigEndian.Uint64(it.Value())
			b, err := bc.get(batch)
			if err != nil {
				it.Close()
				return nil, 0, err
			}
			if matchFilter(b, f) != nil || accept(b) != nil {
				skipTo = module.PrefixEnd(module.Key(prefix, types.VintageKey(b.VintageStart), module.Uint64(b.Number)))
				break
			}
			take := min(need, end-start+1)
			picks = append(picks, pick{b: b, start: start, end: start + take - 1})
			need -= take
		}
		it.Close()
		if skipTo == nil {
			break
		}
		cursor = skipTo
	}
	return picks, qty - need, nil
}

// matchFilter reports whether batch b passes f.
func matchFilter(b *creditsv1.Batch, f *creditsv1.Filter) error {
	if c := f.GetCategory(); c != creditsv1.Category_CATEGORY_UNSPECIFIED && b.Category != c {
		return ErrInsufficient.Wrapf("batch %s is %s, not %s", b.Id, b.Category, c)
	}
	if y := f.GetVintageYear(); y != 0 && types.VintageYear(b.VintageStart) != y {
		return ErrInsufficient.Wrapf("batch %s has vintage %d, not %d", b.Id, types.VintageYear(b.VintageStart), y)
	}
	return nil
}

// selectSerials turns serial strings into picks, checking that they name
// issued serials of existing batches and do not overlap each other.
func selectSerials(bc *batchCache, serials []string) ([]pick, error) {
	var picks []pick
	for _, str := range serials {
		s, err := types.ParseSerial(str)
		if err != nil {
			return nil, err
		}
		b, err := bc.get(s.Batch)
		if err != nil {
			return nil, err
		}
		if err := checkSerialMatches(b, s); err != nil {
			return nil, err
		}
		for _, p := range picks {
			if p.b.Number == s.Batch && p.start <= s.End && s.Start <= p.end {
				return nil, ErrInvalidMsg.Wrapf("serials %s and %s overlap; name each credit once", types.FormatSerial(types.SerialOf(p.b, p.start, p.end)), str)
			}
		}
		picks = append(picks, pick{b: b, start: s.Start, end: s.End})
	}
	return picks, nil
}

// requireHeld returns a check that accepts ranges that are active and held
// by account owner; who names accounts in the error.
func requireHeld(ctx module.Context, b *creditsv1.Batch, owner uint64, who func(uint64) string) func(*creditsv1.Range) error {
	active := requireActive(ctx, b)
	return func(r *creditsv1.Range) error {
		if r.Status == creditsv1.RangeStatus_RANGE_STATUS_LOCKED {
			return lockedError(b, r, who)
		}
		if err := active(r); err != nil {
			return err
		}
		if r.OwnerAccount != owner {
			return ErrNotHolder.Wrapf("%s is held by %s, not %s", types.FormatSerial(types.SerialOf(b, r.Start, r.End)), who(r.OwnerAccount), who(owner))
		}
		return nil
	}
}

// requireActive returns a check that accepts only active ranges. A range
// retired or cancelled by an earlier message of the same transaction is
// refused without citing that retirement's or cancellation's id: the
// transaction fails as a whole, so the record will never exist.
func requireActive(ctx module.Context, b *creditsv1.Batch) func(*creditsv1.Range) error {
	st := store(ctx.Store)
	thisTx := hex.EncodeToString(ctx.TxHash)
	return func(r *creditsv1.Range) error {
		serials := types.FormatSerial(types.SerialOf(b, r.Start, r.End))
		switch r.Status {
		case creditsv1.RangeStatus_RANGE_STATUS_ACTIVE:
			return nil
		case creditsv1.RangeStatus_RANGE_STATUS_RETIRED:
			if rec, err := getRetirement(st, r.RetirementId); err != nil {
				return err
			} else if rec == nil || rec.TxHash == thisTx {
				return ErrNotActive.Wrapf("%s is retired by an earlier message of this same transaction; name each credit once per transaction", serials)
			}
			return ErrNotActive.Wrapf("%s was retired (%s); retirement is permanent", serials, r.RetirementId)
		case creditsv1.RangeStatus_RANGE_STATUS_CANCELLED:
			if rec, err := getCancellation(st, r.CancellationId); err != nil {
				return err
			} else if rec == nil || rec.TxHash == thisTx {
				return ErrNotActive.Wrapf("%s is cancelled by an earlier message of this same transaction; name each credit once per transaction", serials)
			}
			return ErrNotActive.Wrapf("%s was cancelled (%s); cancellation is permanent", serials, r.CancellationId)
		case creditsv1.RangeStatus_RANGE_STATUS_LOCKED:
			return lockedError(b, r, func(n uint64) string { return fmt.Sprintf("account #%d", n) })
		}
		return module.ErrInternal.Wrapf("range %s has status %s", serials, r.Status)
	}
}

// block is the SerialBlock record of p.
func (p pick) block() *creditsv1.SerialBlock {
	return &creditsv1.SerialBlock{BatchId: p.b.Id, Start: p.start, End: p.end, Serials: types.FormatSerial(types.SerialOf(p.b, p.start, p.end))}
}

func (p pick) quantity() uint64 { return p.end - p.start + 1 }

// lockedError refuses to move a locked range: only its settlement agent
// may, until the lock's expiry height.
func lockedError(b *creditsv1.Batch, r *creditsv1.Range, who func(uint64) string) error {
	return ErrLocked.Wrapf("%s is locked (%s) for settlement agent %s until height %d: only the agent can settle or release it; if it does neither, it returns to %s at the end of block %d",
		types.FormatSerial(types.SerialOf(b, r.Start, r.End)), r.LockId, who(r.LockAgentAccount), r.LockExpiresHeight, who(r.OwnerAccount), r.LockExpiresHeight)
}
