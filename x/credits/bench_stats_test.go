package credits

import (
	"fmt"
	"math/rand"
	"syscall"
	"testing"

	dbm "github.com/cosmos/cosmos-db"

	"google.golang.org/protobuf/types/known/timestamppb"

	appstore "github.com/jcredit/jcredit/app/store"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
)

// BenchmarkStatsUpdate is what the statistics add to one retirement: the
// tally of a one-use retirement drawing one batch (5 batch dimensions, the
// count, the year, the use, the use in the year, 2 account totals) and its
// writes, committed every 100, in a state (a real IAVL tree, in memory:
// what is measured is the statistics' own work, not the shared machine's
// disk) already holding 10^3 or 10^5 retirement records, their indexes and
// their counters, over 100 batches of 7 categories, 6 vintages and 47
// prefectures, 1,000 accounts, 12 uses and 5 fiscal years. The cost must
// not grow with the records — a counter is found by its key — beyond the
// tree's depth (log n); make bench prints the ratio. cpu-ns/op is the
// process's CPU time (user + system) per update.
//
//	go test ./x/credits -run '^$' -bench BenchmarkStatsUpdate -benchtime 2000x
func BenchmarkStatsUpdate(b *testing.B) {
	for _, sz := range []struct {
		name string
		n    int
	}{{"records=1e3", 1_000}, {"records=1e5", 100_000}} {
		b.Run(sz.name, func(b *testing.B) {
			b.StopTimer()
			tree, batches, cleanup := statsBenchState(b, sz.n)
			defer cleanup()
			rng := rand.New(rand.NewSource(2))
			cpu0 := cpuNanos()
			b.StartTimer()
			for i := 0; i < b.N; i++ {
				tx := appstore.NewCache(tree)
				st := store(tx)
				bt := batches[rng.Intn(len(batches))]
				r := statsBenchRecord(rng, i)
				var t tally
				moveSupply(&t, bt, creditsv1.StatMeasure_STAT_MEASURE_ACTIVE, creditsv1.StatMeasure_STAT_MEASURE_RETIRED, 1)
				countRetirement(&t, r)
				if err := t.save(st); err != nil {
					b.Fatal(err)
				}
				tx.Write()
				if (i+1)%100 == 0 {
					if _, _, err := tree.Commit(); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(cpuNanos()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// statsBenchRecord is a retirement of one credit for a random account,
// use and fiscal year.
func statsBenchRecord(rng *rand.Rand, i int) *creditsv1.Retirement {
	return &creditsv1.Retirement{
		Id: types.RetirementID(uint64(i + 1)), AccountNumber: uint64(1 + rng.Intn(1000)),
		Uses: []creditsv1.Use{creditsv1.Use(1 + rng.Intn(12))}, FiscalYear: uint32(2021 + rng.Intn(5)), Quantity: 1,
		Beneficiary: "x", Time: timestamppb.New(benchTime),
	}
}

// statsBenchState commits n retirement records (with their indexes) and
// the counters they and their batches give.
func statsBenchState(b *testing.B, n int) (*appstore.Tree, []*creditsv1.Batch, func()) {
	b.Helper()
	tree, err := appstore.Open(dbm.NewMemDB())
	if err != nil {
		b.Fatal(err)
	}
	st := store(tree)
	cats := []creditsv1.Category{1, 2, 3, 4, 5, 6, 7}
	var batches []*creditsv1.Batch
	for i := 0; i < 100; i++ {
		bt := &creditsv1.Batch{Id: types.BatchID(uint64(i + 1)), Number: uint64(i + 1), ProjectId: "P", ReportId: fmt.Sprint("R", i),
			Methodology: fmt.Sprintf("EN-S-%03d", i%20), Category: cats[i%len(cats)], VintageStart: fmt.Sprintf("%d-04-01", 2019+i%6),
			VintageEnd: "2030-03-31", Issued: uint64(n), Active: uint64(n),
			Origin: &creditsv1.Location{PrefectureCode: fmt.Sprintf("%02d", 1+i%47)}}
		setBatch(st, bt)
		batches = append(batches, bt)
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < n; i++ {
		r := statsBenchRecord(rng, i)
		bt := batches[rng.Intn(len(batches))]
		bt.Active--
		bt.Retired++
		r.Blocks = []*creditsv1.SerialBlock{RetiredBlock(bt, bt.Retired, bt.Retired)}
		saveRetirement(st, r, uint64(i+1))
		if (i+1)%10_000 == 0 {
			if _, _, err := tree.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, bt := range batches {
		setBatch(st, bt)
	}
	if err := RebuildStats(tree); err != nil {
		b.Fatal(err)
	}
	if _, _, err := tree.Commit(); err != nil {
		b.Fatal(err)
	}
	if err := checkStats(store(tree)); err != nil {
		b.Fatal(err)
	}
	return tree, batches, func() { tree.Close() }
}

// cpuNanos is the process's CPU time so far (user + system).
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
