package store

import (
	"bytes"
	"fmt"
	"math/rand"
	"runtime"
	"sort"
	"testing"

	dbm "github.com/cosmos/cosmos-db"

	"github.com/jcredit/jcredit/x/module"
)

func openMem(t testing.TB) *Tree {
	t.Helper()
	tr, err := Open(dbm.NewMemDB())
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// collect drains an iterator into "k=v" strings.
func collect(it module.Iterator) []string {
	defer it.Close()
	var out []string
	for ; it.Valid(); it.Next() {
		out = append(out, fmt.Sprintf("%s=%s", it.Key(), it.Value()))
	}
	return out
}

// TestCacheMatchesModel applies random writes through two nested caches over
// a tree and compares every read and range iteration with a plain map model.
func TestCacheMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	tree := openMem(t)
	model := map[string]string{}
	key := func() []byte { return []byte(fmt.Sprintf("k%02d", rng.Intn(40))) }

	for round := 0; round < 30; round++ {
		block := NewCache(tree)
		blockModel := clone(model)
		for txn := 0; txn < 5; txn++ {
			tx := NewCache(block)
			txModel := clone(blockModel)
			for op := 0; op < 20; op++ {
				k := key()
				if rng.Intn(3) == 0 {
					tx.Delete(k)
					delete(txModel, string(k))
				} else {
					v := fmt.Sprintf("v%d", rng.Intn(1000))
					tx.Set(k, []byte(v))
					txModel[string(k)] = v
				}
				checkSame(t, tx, txModel, rng)
			}
			if rng.Intn(4) == 0 {
				continue // the transaction fails: its writes are dropped
			}
			tx.Write()
			blockModel = txModel
			checkSame(t, block, blockModel, rng)
		}
		block.Write()
		model = blockModel
		if _, _, err := tree.Commit(); err != nil {
			t.Fatal(err)
		}
		checkSame(t, tree, model, rng)
	}
}

func clone(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func checkSame(t *testing.T, s module.KVStore, model map[string]string, rng *rand.Rand) {
	t.Helper()
	for i := 0; i < 40; i++ {
		k := fmt.Sprintf("k%02d", i)
		got := s.Get([]byte(k))
		want, ok := model[k]
		if ok != (got != nil) || (ok && string(got) != want) {
			t.Fatalf("Get(%s) = %q, want %q (present %v)", k, got, want, ok)
		}
	}
	var start, end []byte
	if rng.Intn(2) == 0 {
		start = []byte(fmt.Sprintf("k%02d", rng.Intn(40)))
	}
	if rng.Intn(2) == 0 {
		end = []byte(fmt.Sprintf("k%02d", rng.Intn(40)))
	}
	var want []string
	for k, v := range model {
		if (start == nil || k >= string(start)) && (end == nil || k < string(end)) {
			want = append(want, k+"="+v)
		}
	}
	sort.Strings(want)
	if got := collect(s.Iterator(start, end)); !equal(got, want) {
		t.Fatalf("Iterator(%s, %s) = %v, want %v", start, end, got, want)
	}
	rev := append([]string(nil), want...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	if got := collect(s.ReverseIterator(start, end)); !equal(got, rev) {
		t.Fatalf("ReverseIterator(%s, %s) = %v, want %v", start, end, got, rev)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestWriteOrderIsDeterministic: the same set of writes, buffered in
// different orders, produces the same root hash.
func TestWriteOrderIsDeterministic(t *testing.T) {
	var hashes [][]byte
	for _, seed := range []int64{1, 2, 3} {
		tree := openMem(t)
		c := NewCache(tree)
		keys := make([]int, 200)
		for i := range keys {
			keys[i] = i
		}
		rand.New(rand.NewSource(seed)).Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		for _, k := range keys {
			c.Set([]byte(fmt.Sprintf("key%03d", k)), []byte("v"))
		}
		c.Write()
		h, _, err := tree.Commit()
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	for _, h := range hashes[1:] {
		if !bytes.Equal(h, hashes[0]) {
			t.Fatalf("root hash depends on buffering order: %X vs %X", h, hashes[0])
		}
	}
}

// TestSnapshotReadsOldVersion: a snapshot keeps answering for its version
// after later commits, and refuses writes.
func TestSnapshotReadsOldVersion(t *testing.T) {
	tree := openMem(t)
	tree.Set([]byte("a"), []byte("1"))
	tree.Commit()
	snap, err := tree.At(1)
	if err != nil {
		t.Fatal(err)
	}
	tree.Set([]byte("a"), []byte("2"))
	tree.Commit()
	if got := string(snap.Get([]byte("a"))); got != "1" {
		t.Fatalf("snapshot at 1 reads %q", got)
	}
	if _, err := tree.At(9); err == nil {
		t.Fatal("At(9) of a 2-version tree succeeded")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("write to snapshot did not panic")
		}
	}()
	snap.Set([]byte("a"), []byte("x"))
}

func TestPrefixIsolation(t *testing.T) {
	tree := openMem(t)
	a, b := module.Prefix(tree, "a/"), module.Prefix(tree, "b/")
	a.Set([]byte("x"), []byte("1"))
	b.Set([]byte("x"), []byte("2"))
	b.Set([]byte("y"), []byte("3"))
	if got := collect(a.Iterator(nil, nil)); !equal(got, []string{"x=1"}) {
		t.Fatalf("a sees %v", got)
	}
	if got := collect(b.ReverseIterator(nil, nil)); !equal(got, []string{"y=3", "x=2"}) {
		t.Fatalf("b sees %v", got)
	}
}

// TestIteratorsSeeTheirOpeningState: iterators opened at random moments
// keep yielding the state of that moment while writes continue, through
// the same Cache, through a Cache above it that is written into it, and
// through Write into the parent; the model is a copy of the map taken when
// each iterator opened. Iterators are stepped a few keys at a time,
// interleaved with the writes, some left unclosed until the end and some
// closed early, so that every copy-on-write path is crossed.
func TestIteratorsSeeTheirOpeningState(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	tree := openMem(t)
	model := map[string]string{}
	key := func() []byte { return []byte(fmt.Sprintf("k%02d", rng.Intn(40))) }
	type open struct {
		it   module.Iterator
		want []string
		got  []string
	}
	step := func(o *open, n int) {
		for ; n > 0 && o.it.Valid(); n-- {
			o.got = append(o.got, fmt.Sprintf("%s=%s", o.it.Key(), o.it.Value()))
			o.it.Next()
		}
	}
	finish := func(o *open) {
		step(o, 1<<30)
		o.it.Close()
		if !equal(o.got, o.want) {
			t.Fatalf("iterator yielded %v, want the state it was opened on: %v", o.got, o.want)
		}
	}
	for round := 0; round < 40; round++ {
		block := NewCache(tree)
		blockModel := clone(model)
		var opens []*open
		for txn := 0; txn < 6; txn++ {
			tx := NewCache(block)
			txModel := clone(blockModel)
			for op := 0; op < 30; op++ {
				switch r := rng.Intn(10); {
				case r < 3: // open an iterator on the tx or the block cache
					var s module.KVStore = tx
					m := txModel
					if rng.Intn(3) == 0 {
						s, m = block, blockModel
					}
					var start, end []byte
					if rng.Intn(2) == 0 {
						start = key()
					}
					if rng.Intn(2) == 0 {
						end = key()
					}
					reverse := rng.Intn(2) == 0
					want := modelRange(m, start, end, reverse)
					var it module.Iterator
					if reverse {
						it = s.ReverseIterator(start, end)
					} else {
						it = s.Iterator(start, end)
					}
					o := &open{it: it, want: want}
					step(o, rng.Intn(3))
					opens = append(opens, o)
				case r < 5 && len(opens) > 0: // step or finish one
					i := rng.Intn(len(opens))
					if rng.Intn(3) == 0 {
						finish(opens[i])
						opens = append(opens[:i], opens[i+1:]...)
					} else {
						step(opens[i], 1+rng.Intn(3))
					}
				case r < 7:
					k := key()
					tx.Delete(k)
					delete(txModel, string(k))
				default:
					k := key()
					v := fmt.Sprintf("v%d", rng.Intn(1000))
					tx.Set(k, []byte(v))
					txModel[string(k)] = v
				}
			}
			checkSame(t, tx, txModel, rng)
			if rng.Intn(4) == 0 {
				continue
			}
			tx.Write()
			blockModel = txModel
			checkSame(t, block, blockModel, rng)
		}
		for _, o := range opens {
			finish(o)
		}
		block.Write()
		model = blockModel
		if _, _, err := tree.Commit(); err != nil {
			t.Fatal(err)
		}
		checkSame(t, tree, model, rng)
	}
}

// modelRange lists the model's entries in [start, end) in iteration order.
func modelRange(m map[string]string, start, end []byte, reverse bool) []string {
	var out []string
	for k, v := range m {
		if (start == nil || k >= string(start)) && (end == nil || k < string(end)) {
			out = append(out, k+"="+v)
		}
	}
	sort.Strings(out)
	if reverse {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}

// TestIteratorCostIsLazy (issue 10 finding 3): opening an iterator over a
// buffer of 10,000 writes and reading one key allocates a few hundred
// bytes, not a copy of every buffered entry in range (the old Cache copied
// ~5,000 entries here, ~280 KB, on every lookup, which made a transaction
// of many range splits quadratic).
func TestIteratorCostIsLazy(t *testing.T) {
	c := NewCache(openMem(t))
	for i := 0; i < 10_000; i++ {
		c.Set([]byte(fmt.Sprintf("k%06d", i)), []byte("v"))
	}
	end := []byte("k005000")
	const runs = 100
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < runs; i++ {
		it := c.ReverseIterator(nil, end)
		if string(it.Key()) != "k004999" {
			t.Fatalf("first key %s", it.Key())
		}
		it.Close()
	}
	runtime.ReadMemStats(&after)
	if perOpen := (after.TotalAlloc - before.TotalAlloc) / runs; perOpen > 4096 {
		t.Fatalf("opening an iterator and reading one key allocated %d bytes: the buffer is copied, not walked", perOpen)
	}
}

// BenchmarkCacheIterator opens an iterator over a buffer of n writes and
// reads two keys, as a range lookup does: flat in n since the merge walks
// the B-tree lazily (it used to copy the whole buffer in range).
func BenchmarkCacheIterator(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("buffered=%d", n), func(b *testing.B) {
			c := NewCache(openMem(b))
			for i := 0; i < n; i++ {
				c.Set([]byte(fmt.Sprintf("k%06d", i)), []byte("v"))
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				it := c.ReverseIterator(nil, []byte(fmt.Sprintf("k%06d", i%n)))
				for j := 0; j < 2 && it.Valid(); j++ {
					it.Next()
				}
				it.Close()
			}
		})
	}
}
