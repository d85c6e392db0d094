package store

// Calibration of the gas cost table (module.Costs): what one store access
// costs through the real stack a transaction sees — a per-transaction
// Cache over a per-block Cache over an IAVL tree on pebble on disk, with
// 200,000 keys committed — including the work a write causes at the end of
// its block (the IAVL update, the root hash, the commit to disk). Run:
//
//	go test ./app/store -run '^$' -bench Op -benchtime 20000x
//
// and see module.GasCosts for how the figures became the table.

import (
	"encoding/binary"
	"math/rand"
	"syscall"
	"testing"

	"github.com/jcredit/jcredit/x/module"
)

const calibKeys = 200_000

// calibTree is a committed tree of calibKeys keys "c/<8 bytes>" with 64-byte
// values, on disk.
func calibTree(b *testing.B) *Tree {
	b.Helper()
	tr, err := OpenDir("state", b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { tr.Close() })
	val := make([]byte, 64)
	for i := 0; i < calibKeys; i++ {
		tr.Set(calibKey(uint64(i)*2), val)
		if i%50_000 == 49_999 {
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

// cpuTime is the CPU time this process has used (all threads: the Go
// runtime's GC and pebble's background work included), in nanoseconds.
// Gas tracks CPU, not wall-clock time: fsync waits and a busy machine
// stretch the latter.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func calibKey(n uint64) []byte { return binary.BigEndian.AppendUint64([]byte("c/"), n) }

// calibRun runs b.N operations in blocks of 1,000 (transactions of 10),
// each block written, hashed and committed, as FinalizeBlock and Commit do.
func calibRun(b *testing.B, tr *Tree, op func(tx module.KVStore, rng *rand.Rand)) {
	rng := rand.New(rand.NewSource(1))
	b.ResetTimer()
	cpu0 := cpuTime()
	defer func() { b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op") }()
	for done := 0; done < b.N; {
		block := NewCache(tr)
		for i := 0; i < 1000 && done < b.N; i += 10 {
			tx := NewCache(block)
			for j := 0; j < 10 && done < b.N; j++ {
				op(tx, rng)
				done++
			}
			tx.Write()
		}
		block.Write()
		tr.WorkingHash()
		if _, _, err := tr.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpRead: a Get of a random present key.
func BenchmarkOpRead(b *testing.B) {
	tr := calibTree(b)
	calibRun(b, tr, func(tx module.KVStore, rng *rand.Rand) {
		if tx.Get(calibKey(uint64(rng.Intn(calibKeys))*2)) == nil {
			b.Fatal("missing key")
		}
	})
}

func benchWrite(b *testing.B, size int) {
	tr := calibTree(b)
	val := make([]byte, size)
	calibRun(b, tr, func(tx module.KVStore, rng *rand.Rand) {
		// Half overwrite a present key, half insert a new one.
		tx.Set(calibKey(uint64(rng.Intn(2*calibKeys))), val)
	})
}

// BenchmarkOpWrite: a Set of a 64-byte value, with its share of the
// block's IAVL update, hash and commit.
func BenchmarkOpWrite(b *testing.B) { benchWrite(b, 64) }

// BenchmarkOpWrite1K: the same with 1,024-byte values (the difference per
// byte is WritePerByte).
func BenchmarkOpWrite1K(b *testing.B) { benchWrite(b, 1024) }

// BenchmarkOpIterOpen: open a reverse iterator at a random key, read the
// key before it (a range lookup), close.
func BenchmarkOpIterOpen(b *testing.B) {
	tr := calibTree(b)
	calibRun(b, tr, func(tx module.KVStore, rng *rand.Rand) {
		it := tx.ReverseIterator(calibKey(0), calibKey(uint64(rng.Intn(calibKeys))*2+1))
		if !it.Valid() {
			b.Fatal("empty iterator")
		}
		it.Close()
	})
}

// BenchmarkOpIterStep100: open an iterator and take 100 steps; per step,
// (this - IterOpen) / 100.
func BenchmarkOpIterStep100(b *testing.B) {
	tr := calibTree(b)
	calibRun(b, tr, func(tx module.KVStore, rng *rand.Rand) {
		it := tx.Iterator(calibKey(uint64(rng.Intn(calibKeys-200))*2), nil)
		for i := 0; i < 100; i++ {
			_ = it.Value()
			it.Next()
		}
		it.Close()
	})
}

// BenchmarkMeteredRead: what the gas meter adds to one read of a buffered
// key (the cheapest access, so the wrapper's share is largest).
func BenchmarkMeteredRead(b *testing.B) {
	for _, metered := range []bool{false, true} {
		name := "direct"
		if metered {
			name = "metered"
		}
		b.Run(name, func(b *testing.B) {
			c := NewCache(openMem(b))
			keys := make([][]byte, 1000)
			for i := range keys {
				keys[i] = calibKey(uint64(i))
				c.Set(keys[i], []byte("v"))
			}
			var s module.KVStore = c
			if metered {
				s = Metered(c, module.NewGasMeter(^uint64(0)))
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = s.Get(keys[i%1000])
			}
		})
	}
}

// BenchmarkMeteredAccess: what the gas meter adds to each store access,
// measured on a write buffer in memory (so that the store itself costs
// little and the wrapper's share shows): a read, a write and an iterator
// opened and stepped twice, through Metered and directly. An ordinary
// transfer makes about 20 store accesses.
func BenchmarkMeteredAccess(b *testing.B) {
	for _, metered := range []bool{false, true} {
		name := "direct"
		if metered {
			name = "metered"
		}
		b.Run(name, func(b *testing.B) {
			c := NewCache(NewCache(openMem(b)))
			for i := 0; i < 1000; i++ {
				c.Set(calibKey(uint64(i)), []byte("v"))
			}
			var s module.KVStore = c
			if metered {
				s = Metered(c, module.NewGasMeter(^uint64(0)))
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := calibKey(uint64(i % 1000))
				_ = s.Get(k)
				s.Set(k, []byte("w"))
				it := s.Iterator(k, nil)
				for j := 0; j < 2 && it.Valid(); j++ {
					it.Next()
				}
				it.Close()
			}
		})
	}
}
