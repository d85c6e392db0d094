package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/node/api"
)

// BenchmarkLists measures the read side over registries of 10^3, 10^4 and
// 10^5 retirements (a real app over IAVL on disk, its state from genesis;
// the API in process): walking a whole list page by page, a filtered list,
// and streaming exports, each reported per record (ns/record) so that the
// sizes compare — the cost per record should stay flat, and an export's
// memory (peak-heap-MB over the heap before it) bounded, whatever the
// list's length. make bench (scripts/bench.sh) reports the ratios.
//
//	go test -run - -bench Lists -benchtime 2x ./node/api
func BenchmarkLists(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		base := registryServer(b, n)
		size := fmt.Sprintf("records=1e%d", len(fmt.Sprint(n))-1)
		b.Run("ListRetirements/"+size, func(b *testing.B) {
			perRecord(b, func() int { return walkAll(b, base+"/api/v1/retirements?limit=1000") })
		})
		// A filter its index serves: fiscal year 2023 (the registry's
		// first; 2,920 records from 10^4 on).
		b.Run("ListRetirementsByYear/"+size, func(b *testing.B) {
			perRecord(b, func() int { return walkAll(b, base+"/api/v1/retirements?limit=1000&fiscal_year=2023") })
		})
		// A filter no retirement index serves: one batch's (about 100
		// records whatever the registry's size), read from its ranges.
		b.Run("ListRetirementsByBatch/"+size, func(b *testing.B) {
			perRecord(b, func() int { return walkAll(b, base+"/api/v1/retirements?limit=1000&batch_id=JC-00000003") })
		})
		// Filters served by the time, project and category indexes (issue
		// 13): a month (about 240 records whatever the registry's size),
		// a project (a third), a category (a fifth), and a project within
		// the month (indexes walked in step).
		for _, c := range []struct{ name, query string }{
			{"ByDate", "from_date=2023-05-01&to_date=2023-05-31"},
			{"ByProject", "project_id=JCP-000002"},
			{"ByCategory", "category=CATEGORY_FOREST"},
			{"ByProjectDate", "project_id=JCP-000002&from_date=2023-05-01&to_date=2023-05-31"},
		} {
			b.Run("ListRetirements"+c.name+"/"+size, func(b *testing.B) {
				perRecord(b, func() int { return walkAll(b, base+"/api/v1/retirements?limit=1000&"+c.query) })
			})
		}
		for _, format := range []string{"csv", "jsonl"} {
			b.Run("Export"+strings.ToUpper(format)+"/"+size, func(b *testing.B) {
				perRecord(b, func() int { return export(b, base+"/api/v1/retirements?format="+format) })
			})
		}
		// The live heap (after collection) of the whole process while an
		// export streams, beyond what it held before, sampled 25 times
		// whatever the export's length (so that sizes compare); of three
		// exports, the least. It holds a page or two of records (the
		// exporter's own, measured alone in node/query's
		// TestExportHoldsOnePage, stays flat over 10^5 records), plus what
		// the storage keeps warm: IAVL's node cache (100,000 nodes), whose
		// nodes grow with the records read, and the storage engine's
		// background compactions after a large genesis.
		b.Run("ExportMemory/"+size, func(b *testing.B) {
			held := -1.0
			every := max(2*time.Millisecond, time.Duration(n)*40*time.Microsecond/25)
			for i := 0; i < b.N*3; i++ {
				h := liveHeapDuring(every, func() { export(b, base+"/api/v1/retirements?format=csv") })
				if held < 0 || h < held {
					held = h
				}
			}
			b.ReportMetric(held, "live-heap-MB")
		})
	}
}

// registryServer starts an app whose genesis holds a registry of n
// retirements (over n/100 batches, at least 15), and the API over it.
func registryServer(b testing.TB, n int) string {
	b.Helper()
	start := time.Now()
	reg := apptest.NewRegistry(max(n/100, 15), n) // 15: every project meets every category (query_cost_test.go)
	credits, err := protojson.Marshal(reg.Genesis())
	if err != nil {
		b.Fatal(err)
	}
	c := apptest.New(b, app.GenesisState{"accounts": apptest.AccountsGenesis(nodeAccounts()), "credits": json.RawMessage(credits)})
	srv := httptest.NewServer(api.New(c.App, nil).Handler())
	b.Cleanup(srv.Close)
	b.Logf("registry of %d retirements built in %s", n, time.Since(start).Round(time.Millisecond))
	return srv.URL
}

// perRecord runs f b.N times and reports the time per record it listed.
func perRecord(b *testing.B, f func() int) {
	b.Helper()
	records := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		records += f()
	}
	b.StopTimer()
	if records == 0 {
		b.Fatal("no record listed")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(records), "ns/record")
	b.ReportMetric(float64(records)/float64(b.N), "records/op")
}

// walkAll follows a list's cursors to its end and counts its records.
func walkAll(b testing.TB, url string) int {
	b.Helper()
	n, cursor := 0, ""
	for {
		u := url
		if cursor != "" {
			u += "&cursor=" + cursor
		}
		res, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		var page struct {
			Retirements []json.RawMessage `json:"retirements"`
			Page        struct {
				NextCursor string `json:"next_cursor"`
			} `json:"page"`
		}
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("GET %s: %d %v", u, res.StatusCode, err)
		}
		n += len(page.Retirements)
		if cursor = page.Page.NextCursor; cursor == "" {
			return n
		}
	}
}

// export streams an export and counts its records (its lines after the
// metadata line, and the CSV's column names).
func export(b testing.TB, url string) int {
	b.Helper()
	res, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		b.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	lines := 0
	buf := make([]byte, 64<<10)
	for {
		k, err := res.Body.Read(buf)
		for _, c := range buf[:k] {
			if c == '\n' {
				lines++
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	if strings.Contains(url, "format=csv") {
		return lines - 2
	}
	return lines - 1
}

// liveHeapDuring runs f and returns the most live heap it held meanwhile
// (collected, then measured, every period), in MB over the live heap
// before.
func liveHeapDuring(period time.Duration, f func()) float64 {
	live := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	base := live()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if h := live(); h > base && h-base > peak.Load() {
					peak.Store(h - base)
				}
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	return float64(peak.Load()) / (1 << 20)
}
