package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
)

// BenchmarkExportGenesis measures the whole-state export of registries of
// 10^3, 10^4 and 10^5 retirements (over n/100 batches): the time of one
// export (ns/op), its size (MB) and bytes per retirement, and the time
// of importing it (InitChain of a fresh app over a state in memory,
// import-s). No assertion on time: the README quotes the figures.
//
//	go test -run '^$' -bench BenchmarkExportGenesis -benchtime 3x ./app/
func BenchmarkExportGenesis(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			reg := apptest.NewRegistry(max(n/100, 10), n)
			credits, err := protojson.Marshal(reg.Genesis())
			if err != nil {
				b.Fatal(err)
			}
			c := apptest.New(b, app.GenesisState{"accounts": apptest.AccountsGenesis(apptest.DefaultAccounts()), "credits": json.RawMessage(credits)})
			b.ResetTimer()
			var e *app.Exported
			for i := 0; i < b.N; i++ {
				if e, err = c.App.ExportGenesis(c.Height); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(len(e.AppState))/1e6, "MB")
			b.ReportMetric(float64(len(e.AppState))/float64(n), "bytes/retirement")
			tree, err := store.NewMemTree()
			if err != nil {
				b.Fatal(err)
			}
			fresh, err := app.NewWithTree(tree)
			if err != nil {
				b.Fatal(err)
			}
			defer fresh.Close()
			start := time.Now()
			if _, err := fresh.InitChain(context.Background(), e.InitChainRequest(apptest.GenesisTime)); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "import-s")
		})
	}
}
