//go:build bench

package bench_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/testnet/bench"
)

// TestBenchNet is `make bench-net` (and, with -short, `make
// bench-net-short`, CI's end-to-end check of the harness on a tiny load:
// no timing is asserted, only that every part worked and every transaction
// is accounted for). BENCH_NET_* variables override the options (see
// bench.FromEnv).
func TestBenchNet(t *testing.T) {
	o := bench.DefaultOptions()
	if testing.Short() {
		o = bench.SmokeOptions()
	}
	out, err := filepath.Abs(filepath.Join("..", "..", "build", "bench"))
	if err != nil {
		t.Fatal(err)
	}
	o.OutDir = out
	if o, err = bench.FromEnv(o); err != nil {
		t.Fatal(err)
	}
	r := bench.Run(t, o)
	path, err := r.Write()
	if err != nil {
		t.Fatal(err)
	}
	summary := r.Markdown()
	t.Logf("summary written to %s:\n%s", path, summary)
	if r.Failed() {
		t.Fatalf("the run recorded failures (see the summary's FAILURES section)")
	}
	if !testing.Short() {
		return
	}
	// The smoke run's checks: each part of the harness produced something.
	for _, s := range r.Segments {
		if len(s.Phases) != 2 {
			t.Errorf("%s: %d phases, want saturation and rate-limited", s.Label, len(s.Phases))
		}
		for _, p := range s.Phases {
			if p.OK == 0 || p.TPS <= 0 || p.Samples == 0 || p.CPU.Nodes <= 0 {
				t.Errorf("%s %s: nothing measured: %d ok, %.1f tx/s, %d latency samples, nodes %.0f%% CPU", s.Label, p.Name, p.OK, p.TPS, p.Samples, p.CPU.Nodes)
			}
		}
		a := s.Accounting
		if a.Accepted == 0 || a.CommittedOK == 0 || a.Missing != 0 {
			t.Errorf("%s: accounting: %+v", s.Label, a)
		}
		if s.Profile == nil || s.Profile.Err != "" || len(s.Profile.Entry) == 0 {
			t.Errorf("%s: no profile: %+v", s.Label, s.Profile)
		} else if _, err := os.Stat(s.Profile.CPUFile); err != nil {
			t.Errorf("%s: %v", s.Label, err)
		}
	}
	if !strings.Contains(summary, "× kvstore") {
		t.Errorf("the summary has no ratio")
	}
}
