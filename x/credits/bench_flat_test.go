package credits

// Issue 16's target "per-transfer cost flat from 10^3 to 10^6 holdings":
// BenchmarkTransferFlat measures transfers in states of 10^3 and 10^6
// ranges, BenchmarkTransferHistory the cost of one sender's transfers over
// successive rounds. `make bench-flat` (scripts/bench-flat.sh) runs both
// and prints the medians and the 1e6/1e3 ratios.
//
// The states are built in bulk (newFlatEnv with bulk = true): the batches
// are issued by the module's own IssueBatch, and the fragmentation that n
// transfers would make is written directly with the module's own putRange
// and delRange, committed to IAVL on disk every flatCommitEvery ranges. A
// 10^6-range state builds in about a minute this way; by transactions it
// took about half an hour. TestFlatBulkMatchesTransactions checks that the
// bulk state equals, key by key, the one the transactions make.

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	appstore "github.com/jcredit/jcredit/app/store"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// flatHolders hold batch 1's ranges round-robin, so that no two
// neighbouring ranges share an owner (and merge).
const flatHolders = 1000

// flatCommitEvery is the number of ranges the bulk builder writes per
// committed version: large enough that the commits' overhead vanishes,
// small enough that IAVL's unsaved nodes fit in memory easily.
const flatCommitEvery = 100_000

// newFlatEnv returns a committed state in a temporary directory (removed
// by tb.Cleanup) where batch 1 has n two-credit ranges, range i (serials
// 2i+1 and 2i+2) held by benchAddr(i % flatHolders), and batch 2 (an older
// vintage, 2^40 credits) is held whole by alice. Both batches are issued
// by IssueBatch to one holder each; batch 1 is then split either by the
// n - n/flatHolders transfers of serials that would produce it (bulk =
// false), or by writing the resulting ranges directly (bulk = true).
func newFlatEnv(tb testing.TB, n int, bulk bool) *benchEnv {
	tb.Helper()
	e := newBenchTree(tb, "credits-flat-bench", flatHolders)
	tb.Cleanup(e.cleanup)
	tree := e.tree
	putUseTable(store(tree), DefaultUseTable(), true) // what InitGenesis writes
	issue := func(report, vintageStart, vintageEnd string, holder int, qty uint64) {
		e.run(tb, common.Address{}, func(ctx module.Context) error {
			_, err := e.k.IssueBatch(ctx, &creditsv1.IssuanceRequest{
				ProjectId: "P", ReportId: report, Methodology: "EN-S-001",
				Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageStart: vintageStart, VintageEnd: vintageEnd,
				Allocations: []*creditsv1.Allocation{{Account: benchNum(holder), Quantity: qty}},
			})
			return err
		})
	}
	issue("R1", "2020-04-01", "2021-03-31", 0, uint64(2*n))
	issue("R2", "2019-04-01", "2020-03-31", -1, 1<<40)
	if _, _, err := tree.Commit(); err != nil {
		tb.Fatal(err)
	}
	st := store(tree)
	var ok bool
	if e.batch1, ok = getBatchOrNil(st, 1); !ok {
		tb.Fatal("batch 1 was not issued")
	}
	if bulk {
		e.splitBulk(tb, n)
	} else {
		e.splitByTransfers(tb, n)
	}
	if _, _, err := tree.Commit(); err != nil {
		tb.Fatal(err)
	}
	e.rangesInTree = n + 1
	return e
}

func getBatchOrNil(st module.KVStore, n uint64) (*creditsv1.Batch, bool) {
	b, err := getBatch(st, n)
	return b, err == nil && b != nil
}

// splitByTransfers: benchAddr(0), holding all of batch 1, sends range i to
// its holder, one transaction each (in blocks of 100, as run commits).
func (e *benchEnv) splitByTransfers(tb testing.TB, n int) {
	for i := 0; i < n; i++ {
		if i%flatHolders == 0 {
			continue // benchAddr(0)'s own: it keeps it
		}
		s := types.FormatSerial(types.SerialOf(e.batch1, uint64(2*i+1), uint64(2*i+2)))
		to := benchAddr(i % flatHolders).Hex()
		e.run(tb, benchAddr(0), func(ctx module.Context) error {
			return e.k.Transfer(ctx, &creditsv1.MsgTransfer{Recipient: to, Serials: []string{s}})
		})
	}
}

// splitBulk writes what splitByTransfers leaves: benchAddr(0)'s one range
// of batch 1 replaced by the n two-credit ranges, each a copy of it with
// its own serials and owner (as carve makes them), flatCommitEvery to a
// committed version.
func (e *benchEnv) splitBulk(tb testing.TB, n int) {
	st := store(e.tree)
	whole, err := getRange(st, e.batch1.Number, 1)
	if err != nil || whole == nil {
		tb.Fatalf("batch 1's issued range: %v", err)
	}
	delRange(st, e.batch1, whole)
	for i := 0; i < n; i++ {
		r := proto.Clone(whole).(*creditsv1.Range)
		r.Start, r.End, r.OwnerAccount = uint64(2*i+1), uint64(2*i+2), benchNum(i%flatHolders)
		putRange(st, e.batch1, r)
		if (i+1)%flatCommitEvery == 0 {
			if _, _, err := e.tree.Commit(); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// TestFlatBulkMatchesTransactions: the bulk builder's state is the
// transactions' state, key by key (10^3 ranges: 999 transfers). The trees'
// own root hashes differ, since an IAVL node's hash includes the version
// that wrote it; loaded into fresh trees in one version each, the two
// states have the same root hash.
func TestFlatBulkMatchesTransactions(t *testing.T) {
	const n = 1_000
	byTx, bulk := newFlatEnv(t, n, false), newFlatEnv(t, n, true)
	a, b := dumpState(t, byTx.tree), dumpState(t, bulk.tree)
	for i := 0; i < len(a) || i < len(b); i++ {
		switch {
		case i >= len(a):
			t.Fatalf("only the bulk state has %x", b[i][0])
		case i >= len(b):
			t.Fatalf("only the transactions' state has %x", a[i][0])
		case !bytes.Equal(a[i][0], b[i][0]):
			t.Fatalf("key %d: transactions %x, bulk %x", i, a[i][0], b[i][0])
		case !bytes.Equal(a[i][1], b[i][1]):
			t.Fatalf("key %x: transactions %x, bulk %x", a[i][0], a[i][1], b[i][1])
		}
	}
	// The ranges are there: n of batch 1, one of batch 2, each indexed.
	ranges := 0
	for _, kv := range a {
		if bytes.HasPrefix(kv[0], []byte(StorePrefix)) && bytes.HasPrefix(kv[0][len(StorePrefix):], types.RangeBatchPrefix(1)) {
			ranges++
		}
	}
	if ranges != n {
		t.Fatalf("batch 1 has %d ranges, want %d", ranges, n)
	}
	if ha, hb := canonicalHash(t, a), canonicalHash(t, b); !bytes.Equal(ha, hb) {
		t.Fatalf("root hashes in fresh trees differ: %x, %x", ha, hb)
	}
}

// dumpState is every key and value of the tree's last committed version.
func dumpState(t *testing.T, tree *appstore.Tree) [][2][]byte {
	t.Helper()
	snap, err := tree.At(tree.Version())
	if err != nil {
		t.Fatal(err)
	}
	var kvs [][2][]byte
	it := snap.Iterator(nil, nil)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		kvs = append(kvs, [2][]byte{bytes.Clone(it.Key()), bytes.Clone(it.Value())})
	}
	return kvs
}

// canonicalHash is the root hash of kvs written to a fresh tree and
// committed as its first version.
func canonicalHash(t *testing.T, kvs [][2][]byte) []byte {
	t.Helper()
	tree, err := appstore.Open(dbm.NewMemDB())
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	for _, kv := range kvs {
		tree.Set(kv[0], kv[1])
	}
	h, _, err := tree.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// report adds a transaction's accesses to the committed tree under its
// write buffer, per operation, to b's results: point reads, iterators
// opened and their steps, and writes (made when the buffer is written).
func (c *StoreCounter) report(b *testing.B) {
	n := float64(b.N)
	b.ReportMetric(float64(c.Gets)/n, "reads/op")
	b.ReportMetric(float64(c.Seeks)/n, "iters/op")
	b.ReportMetric(float64(c.Steps)/n, "steps/op")
	b.ReportMetric(float64(c.Writes)/n, "writes/op")
}

// flatEnvs are built once per size and process: `go test -count 5` then
// measures both sizes in turn five times over one build of each.
var flatEnvs = map[int]*benchEnv{}

// flatSizes are BenchmarkTransferFlat's states; JCREDIT_FLAT_SMALL=1
// keeps only 10^3 (a quick check of the benchmark itself).
func flatSizes() []struct {
	name string
	n    int
} {
	if os.Getenv("JCREDIT_FLAT_SMALL") == "1" {
		return benchSizes[:1]
	}
	return benchSizes
}

// flatEnvFor builds the state of n ranges once per process. Its temporary
// directory is removed when the process ends (TestMain), not when the
// benchmark that built it does: the next -count round uses it again.
func flatEnvFor(b *testing.B, n int) *benchEnv {
	if e, ok := flatEnvs[n]; ok {
		return e
	}
	b.StopTimer()
	defer b.StartTimer()
	e := newFlatEnv(&keepTB{B: b}, n, true)
	flatEnvs[n] = e
	return e
}

// keepTB defers the cleanups newFlatEnv registers to flatCleanups, run at
// the process's exit (TestMain).
type keepTB struct{ *testing.B }

func (k *keepTB) Cleanup(f func()) { flatCleanups = append(flatCleanups, f) }

var flatCleanups []func()

// TestMain removes the benchmarks' states (hundreds of MB at 10^6 ranges)
// once every test and benchmark has run.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range flatCleanups {
		f()
	}
	for _, es := range []map[int]*benchEnv{envs, rotationEnvs} {
		for _, e := range es {
			e.cleanup()
		}
	}
	os.Exit(code)
}

// BenchmarkTransferFlat: one transfer in a state of 10^3 or 10^6 ranges,
// (quantity) alice sends one credit by quantity to bob, oldest first (her
// range shrinks, bob's grows: the number of ranges stays put); (serials)
// a random one of batch 1's ranges goes to bob by its serials and back
// (one operation is both transfers). A transaction's accesses to the
// committed tree are counted per operation; the tree commits every 100
// transactions, inside the measurement, as blocks would.
func BenchmarkTransferFlat(b *testing.B) {
	for _, sz := range flatSizes() {
		b.Run(sz.name, func(b *testing.B) {
			e := flatEnvFor(b, sz.n)
			b.Run("quantity", func(b *testing.B) {
				msg := &creditsv1.MsgTransfer{Recipient: e.bob.Hex(), Quantity: 1}
				c := StoreCounter{KVStore: e.tree}
				b.ResetTimer()
				defer cpuPerOp(b)()
				for i := 0; i < b.N; i++ {
					e.runOver(b, &c, e.alice, func(ctx module.Context) error { return e.k.Transfer(ctx, msg) })
				}
				b.StopTimer()
				c.report(b)
			})
			b.Run("serials", func(b *testing.B) {
				// A new seed each run: a -count round must not find the
				// previous round's ranges in IAVL's node cache.
				flatSeed++
				rng := rand.New(rand.NewSource(flatSeed))
				c := StoreCounter{KVStore: e.tree}
				b.ResetTimer()
				defer cpuPerOp(b)()
				for i := 0; i < b.N; i++ {
					j := rng.Intn(sz.n)
					owner := benchAddr(j % flatHolders)
					s := types.FormatSerial(types.SerialOf(e.batch1, uint64(2*j+1), uint64(2*j+2)))
					e.runOver(b, &c, owner, func(ctx module.Context) error {
						return e.k.Transfer(ctx, &creditsv1.MsgTransfer{Recipient: e.bob.Hex(), Serials: []string{s}})
					})
					e.runOver(b, &c, e.bob, func(ctx module.Context) error {
						return e.k.Transfer(ctx, &creditsv1.MsgTransfer{Recipient: owner.Hex(), Serials: []string{s}})
					})
				}
				b.StopTimer()
				c.report(b)
			})
		})
	}
}

// flatSeed seeds the serials benchmark's choice of ranges.
var flatSeed int64

// historyRounds is the number of rounds BenchmarkTransferHistory measures.
const historyRounds = 5

// BenchmarkTransferHistory: alice sends one credit by quantity to bob,
// b.N transfers in historyRounds rounds in a row, in a fresh state of 10^3
// ranges; it reports the CPU time per transfer of each round and the last
// round's over the first's. Each transfer rewrites alice's range under a
// new key (its start moves up by one), so a cost that grows from round to
// round grows with the sender's history: dead keys a lookup steps over.
func BenchmarkTransferHistory(b *testing.B) {
	b.StopTimer()
	e := newFlatEnv(b, 1_000, true)
	msg := &creditsv1.MsgTransfer{Recipient: e.bob.Hex(), Quantity: 1}
	c := StoreCounter{KVStore: e.tree}
	per := make([]float64, historyRounds)
	done := 0
	for r := range per {
		n := (b.N*(r+1))/historyRounds - done // b.N in all, as evenly as may be
		cpu0 := cpuTime()
		b.StartTimer()
		for i := 0; i < n; i++ {
			e.runOver(b, &c, e.alice, func(ctx module.Context) error { return e.k.Transfer(ctx, msg) })
		}
		b.StopTimer()
		done += n
		per[r] = float64(cpuTime()-cpu0) / float64(max(n, 1))
		b.ReportMetric(per[r], fmt.Sprintf("cpu-ns/op@round%d", r+1))
	}
	b.ReportMetric(per[historyRounds-1]/per[0], fmt.Sprintf("ratio-round%d/round1", historyRounds))
	c.report(b)
}
