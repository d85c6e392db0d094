package store

// BenchmarkPebbleOptions chooses the state database's pebble settings
// (DefaultDBOptions) by measurement, robustly on a shared machine: one
// process builds the same state under each candidate setting, then runs
// the same blocks on every candidate in turn (the order rotated every
// block), summing each candidate's CPU time. Run:
//
//	go test ./app/store -run '^$' -bench PebbleOptions -benchtime 20000x
//
// The state is shaped like x/credits' after a busy market: 10^5 ranges
// (a record and an owner index entry each), committed in blocks; each
// operation is what a transfer does to the store: a reverse seek in the
// ranges, a forward seek in an owner's index, two point reads and five
// writes, in transactions of 10 and blocks of 100.

import (
	"encoding/binary"
	"fmt"
	"math/rand"
	"testing"

	"github.com/jcredit/jcredit/x/module"
)

const pebbleBenchRanges = 100_000

var pebbleCandidates = []struct {
	name string
	opts DBOptions
}{
	// cosmos-db v1.1.1's NewPebbleDB: pebble's defaults (8 MB cache, 4 MB
	// memtables, no filters).
	{"cosmos-db-default", DBOptions{CacheBytes: 8 << 20}},
	{"cache-64MB", DBOptions{CacheBytes: 64 << 20}},
	{"cache-256MB", DBOptions{CacheBytes: 256 << 20}},
	{"cache-256MB+memtable-32MB+bloom", DBOptions{CacheBytes: 256 << 20, MemTableBytes: 32 << 20, BloomBitsPerKey: 10}},
}

func rangeBenchKey(n uint64) []byte { return binary.BigEndian.AppendUint64([]byte("r/"), n) }

func ownerBenchKey(acct, n uint64) []byte {
	k := binary.BigEndian.AppendUint64([]byte("o/"), acct)
	return binary.BigEndian.AppendUint64(k, n)
}

// pebbleBenchTree builds the benchmark state on disk with opts.
func pebbleBenchTree(b *testing.B, opts DBOptions) *Tree {
	b.Helper()
	tr, err := OpenDirWith("state", b.TempDir(), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { tr.Close() })
	val := make([]byte, 48)
	for i := uint64(0); i < pebbleBenchRanges; i++ {
		tr.Set(rangeBenchKey(2*i), val)
		tr.Set(ownerBenchKey(i%1000, 2*i), val[:8])
		if i%10_000 == 9_999 {
			if _, _, err := tr.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, _, err := tr.Commit(); err != nil {
		b.Fatal(err)
	}
	return tr
}

// transferLike is one operation: what a transfer by quantity reads and
// writes, at random places.
func transferLike(tx module.KVStore, rng *rand.Rand) {
	n := 2 * uint64(rng.Intn(pebbleBenchRanges))
	it := tx.ReverseIterator(rangeBenchKey(0), rangeBenchKey(n+1))
	if it.Valid() {
		_ = it.Value()
	}
	it.Close()
	acct := uint64(rng.Intn(1000))
	it = tx.Iterator(ownerBenchKey(acct, 0), ownerBenchKey(acct+1, 0))
	if it.Valid() {
		_ = it.Value()
	}
	it.Close()
	tx.Get(rangeBenchKey(2 * uint64(rng.Intn(pebbleBenchRanges))))
	tx.Get(ownerBenchKey(acct, 2*uint64(rng.Intn(pebbleBenchRanges))))
	val := make([]byte, 48)
	rng.Read(val)
	tx.Set(rangeBenchKey(n), val)
	tx.Set(rangeBenchKey(n+1), val)
	tx.Delete(ownerBenchKey(acct, n))
	tx.Set(ownerBenchKey(acct, n+1), val[:8])
	tx.Set(ownerBenchKey((acct+1)%1000, n), val[:8])
}

func BenchmarkPebbleOptions(b *testing.B) {
	trees := make([]*Tree, len(pebbleCandidates))
	for i, c := range pebbleCandidates {
		trees[i] = pebbleBenchTree(b, c.opts)
	}
	rngs := make([]*rand.Rand, len(trees))
	for i := range rngs {
		rngs[i] = rand.New(rand.NewSource(1))
	}
	cpu := make([]int64, len(trees))
	block := func(i, n int) {
		cpu0 := cpuTime()
		blk := NewCache(trees[i])
		for done := 0; done < n; done += 10 {
			tx := NewCache(blk)
			for j := 0; j < 10 && done+j < n; j++ {
				transferLike(tx, rngs[i])
			}
			tx.Write()
		}
		blk.Write()
		trees[i].WorkingHash()
		if _, _, err := trees[i].Commit(); err != nil {
			b.Fatal(err)
		}
		cpu[i] += cpuTime() - cpu0
	}
	b.ResetTimer()
	for done, blk := 0, 0; done < b.N; blk++ {
		n := min(100, b.N-done)
		for k := range trees {
			block((blk+k)%len(trees), n)
		}
		done += n
	}
	for i, c := range pebbleCandidates {
		b.ReportMetric(float64(cpu[i])/float64(b.N), fmt.Sprintf("%s-cpu-ns/op", c.name))
	}
	for i := 1; i < len(trees); i++ {
		b.ReportMetric(100*(float64(cpu[i])/float64(cpu[0])-1), fmt.Sprintf("%s-vs-default-%%", pebbleCandidates[i].name))
	}
}
