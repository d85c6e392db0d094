package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/jcredit/jcredit/node/testnet"
)

// PhaseResult is one measured window.
type PhaseResult struct {
	Name    string
	Offered float64 // tx/s offered (0: saturation)
	// From and To: the window covers the blocks From+1..To.
	From, To               int64
	WindowStart, WindowEnd time.Time
	Blocks, OK, Failed     int
	// ChainSeconds is the window by the blocks' clock; TPS the committed
	// successful transactions per second over it (TPSAll with failures);
	// ObservedTPS the same count over the poller's wall clock.
	ChainSeconds, TPS, TPSAll, ObservedTPS float64
	TxsPerBlock, BlockSeconds              float64
	// Accepted in the window; Samples of them committed (latencies).
	Accepted, Samples  int
	P50, P90, P99, Max time.Duration
	CPU                cpuUse
	// NodeCPUPerTx is the CPU of the four validators together per
	// committed transaction, in ms.
	NodeCPUPerTx float64
	Drained      bool
	// The lanes' counters over the whole phase (warm-up included).
	MempoolFull, RPCErrors, NonceRejects, Rejected, Resyncs, Resent, Lagged int64
}

// SegmentResult is one workload on one network.
type SegmentResult struct {
	Round      int
	Workload   Workload
	Label      string
	Profiled   bool
	TxBytes    int
	Phases     []*PhaseResult
	Accounting Accounting
	Nodes      []NodeCounters
	Agreed     int64 // the height every validator agreed on at the end
	Profile    *ProfileResult
	Failures   []string
}

func (s *SegmentResult) phase(i int) *PhaseResult {
	if s == nil || i >= len(s.Phases) {
		return nil
	}
	return s.Phases[i]
}

// Result is a whole run.
type Result struct {
	Options           Options
	Started, Finished time.Time
	Cores             int
	CPUModel          string
	Segments          []*SegmentResult // the rounds, in run order
	Profiles          []*SegmentResult // the profiling segments
}

// percentiles of ds (p50, p90, p99, max; nearest rank).
func percentiles(ds []time.Duration) (p50, p90, p99, mx time.Duration) {
	if len(ds) == 0 {
		return
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(q float64) time.Duration {
		i := int(q*float64(len(ds))+0.999999) - 1
		return ds[min(max(i, 0), len(ds)-1)]
	}
	return at(0.50), at(0.90), at(0.99), ds[len(ds)-1]
}

// median of xs (0 for none).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianDur(ds []time.Duration) time.Duration {
	var xs []float64
	for _, d := range ds {
		xs = append(xs, float64(d))
	}
	return time.Duration(median(xs))
}

// byWorkload returns the segments of w in round order.
func (r *Result) byWorkload(w Workload) []*SegmentResult {
	var out []*SegmentResult
	for _, s := range r.Segments {
		if s.Workload == w {
			out = append(out, s)
		}
	}
	return out
}

func (r *Result) workloads() []Workload {
	return append([]Workload{KVStore}, r.Options.Workloads...)
}

// SaturationTPS is the median committed tx/s at saturation of w.
func (r *Result) SaturationTPS(w Workload) float64 {
	var xs []float64
	for _, s := range r.byWorkload(w) {
		if p := s.phase(0); p != nil {
			xs = append(xs, p.TPS)
		}
	}
	return median(xs)
}

// CPUPerTx is the median CPU of the four validators per committed
// transaction of w at saturation, in ms.
func (r *Result) CPUPerTx(w Workload) float64 {
	var xs []float64
	for _, s := range r.byWorkload(w) {
		if p := s.phase(0); p != nil && p.NodeCPUPerTx > 0 {
			xs = append(xs, p.NodeCPUPerTx)
		}
	}
	return median(xs)
}

// Ratio is w's median saturation rate over kvstore's, and the median of
// the per-round ratios.
func (r *Result) Ratio(w Workload) (ofMedians, medianOfRounds float64) {
	kv := r.SaturationTPS(KVStore)
	if kv > 0 {
		ofMedians = r.SaturationTPS(w) / kv
	}
	kvs, ws := r.byWorkload(KVStore), r.byWorkload(w)
	var xs []float64
	for i := range ws {
		if i < len(kvs) && kvs[i].phase(0) != nil && ws[i].phase(0) != nil && kvs[i].phase(0).TPS > 0 {
			xs = append(xs, ws[i].phase(0).TPS/kvs[i].phase(0).TPS)
		}
	}
	return ofMedians, median(xs)
}

// Failed reports whether any segment recorded a failure.
func (r *Result) Failed() bool {
	for _, s := range append(append([]*SegmentResult(nil), r.Segments...), r.Profiles...) {
		if len(s.Failures) > 0 {
			return true
		}
	}
	return false
}

// Markdown renders the summary.
func (r *Result) Markdown() string {
	o := r.Options
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Network throughput: jcredit beside CometBFT's kvstore\n\n")
	p("%s, %d cores (%s), %s/%s, %s. Command: `%s`.\n\n", r.Started.Format("2006-01-02 15:04 MST"), r.Cores, r.CPUModel, runtime.GOOS, runtime.GOARCH, runtime.Version(), o.Command)
	txBytes := 0
	for _, s := range r.Segments {
		txBytes = s.TxBytes
	}
	gen := testnet.DefaultConfig("")
	commit, mempool := gen.TimeoutCommit, "CometBFT's default mempool (5000 txs)"
	if o.TimeoutCommit > 0 {
		commit = o.TimeoutCommit
	}
	if o.MempoolSize > 0 {
		mempool = fmt.Sprintf("a mempool of %d txs", o.MempoolSize)
	}
	p("Each segment: a fresh network of 4 validators (real processes on loopback) generated by `jcreditd testnet`'s generator with the timeouts it writes (propose %s, prevote/precommit %s, commit %s), %s and kv tx indexer; ", gen.TimeoutPropose, gen.TimeoutVote, commit, mempool)
	p("kvstore runs in CometBFT's own `cometbft` binary (`--proxy_app=%s`) over the same kind of homes. %d lanes (one funded account each for jcredit; %d funded accounts) send over broadcast_tx_sync, lane i to validator i mod 4, one transaction in flight each. "+
		"Rounds: %d, interleaved (%s per round). Windows: %s warm-up, then %s at saturation and %s at %.0f %% of the reference workload's saturation rate in the same round. Transactions are %d bytes (kvstore `key=value` padded to a transfer's size).\n\n",
		o.KVStoreProxyApp, o.Senders, o.Accounts, o.Rounds, r.roundOrder(), o.Warmup, o.Saturate, o.Rated, 100*o.RateFraction, txBytes)
	p("Committed tx/s counts the transactions that succeeded in the blocks of the window, over the blocks' own clock (block h commits at the time block h+1 carries). Latency runs from the broadcast that CheckTx accepted to the moment a client polling /status saw the block.\n\n")

	// Saturation table.
	p("## Committed transactions per second at saturation\n\n| workload |")
	for i := 1; i <= o.Rounds; i++ {
		p(" round %d |", i)
	}
	p(" median | × kvstore (of medians / median of rounds) |\n|---|")
	for i := 0; i <= o.Rounds+1; i++ {
		p("---|")
	}
	p("\n")
	for _, w := range r.workloads() {
		p("| %s |", w.Label())
		segs := r.byWorkload(w)
		for i := 0; i < o.Rounds; i++ {
			if i < len(segs) && segs[i].phase(0) != nil {
				p(" %.0f |", segs[i].phase(0).TPS)
			} else {
				p(" - |")
			}
		}
		p(" **%.0f** |", r.SaturationTPS(w))
		if w == KVStore {
			p(" 1 |\n")
		} else {
			a, m := r.Ratio(w)
			p(" **%.2f×** / %.2f× |\n", a, m)
		}
	}

	// CPU cost: unlike tx/s, it does not depend on the machine's share.
	kvCost := r.CPUPerTx(KVStore)
	p("\nCPU of the four validators together per committed transaction at saturation (median of rounds; unlike tx/s, this does not depend on how much of the machine the nodes got):")
	for _, w := range r.workloads() {
		c := r.CPUPerTx(w)
		p(" %s %.2f ms", w.Label(), c)
		if w != KVStore && c > 0 {
			p(" (kvstore/this: %.2f×)", kvCost/c)
		}
		p(";")
	}
	p("\n")

	// Latency.
	p("\n## Submit-to-commit latency (medians over rounds)\n\n")
	p("| workload | phase | offered tx/s | committed tx/s | p50 | p90 | p99 | max | txs/block | s/block | failed in blocks (all rounds) | node CPU ms per committed tx (4 validators) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, w := range r.workloads() {
		for pi, name := range []string{"saturation", "rate-limited"} {
			var off, tps, tpb, spb, cpu []float64
			var p50, p90, p99, mx []time.Duration
			failed := 0
			for _, s := range r.byWorkload(w) {
				ph := s.phase(pi)
				if ph == nil {
					continue
				}
				off = append(off, ph.Offered)
				tps = append(tps, ph.TPS)
				tpb = append(tpb, ph.TxsPerBlock)
				spb = append(spb, ph.BlockSeconds)
				cpu = append(cpu, ph.NodeCPUPerTx)
				p50, p90, p99, mx = append(p50, ph.P50), append(p90, ph.P90), append(p99, ph.P99), append(mx, ph.Max)
				failed += ph.Failed
			}
			if len(tps) == 0 {
				continue
			}
			offered := "saturation"
			if pi == 1 {
				offered = fmt.Sprintf("%.0f", median(off))
			}
			p("| %s | %s | %s | %.0f | %s | %s | %s | %s | %.0f | %.2f | %d | %.2f |\n", w.Label(), name, offered, median(tps),
				ms(medianDur(p50)), ms(medianDur(p90)), ms(medianDur(p99)), ms(medianDur(mx)), median(tpb), median(spb), failed, median(cpu))
		}
	}

	// Load.
	p("\n## Machine load during each measured window\n\n")
	p("CPU in %% of one core (this machine has %d): the machine as a whole (/proc/stat), the four node processes, the bench process (lanes, poller) and everything else (other work on the machine). Load: /proc/loadavg's 1-minute average at the window's end.\n\n", r.Cores)
	p("| round | workload | phase | committed tx/s | load 1m | machine busy %% | nodes %% | bench %% | others %% |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range append(append([]*SegmentResult(nil), r.Segments...), r.Profiles...) {
		for _, ph := range s.Phases {
			round := fmt.Sprint(s.Round)
			if s.Profiled {
				round += " (profiled)"
			}
			c := ph.CPU
			warn := ""
			if c.Others > 100 {
				warn = " (more than a core)"
			}
			p("| %s | %s | %s | %.0f | %.2f | %.0f | %.0f | %.0f | %.0f%s |\n", round, s.Label, ph.Name, ph.TPS, c.Load1, c.MachineBusy, c.Nodes, c.Self, c.Others, warn)
		}
	}

	// Accounting.
	p("\n## Transaction accounting (every transaction built, per segment)\n\n")
	p("Accepted = CheckTx OK at broadcast. An accepted transaction is committed, still pending in a mempool, or evicted at recheck by the node that accepted it (checked against that node's `mempool_evicted_txs`); anything else is silently missing and fails the run. Revived: evicted, then accepted again when its lane resent the same bytes.\n\n")
	p("| round | workload | built | accepted | committed ok | committed, failed | pending | evicted at recheck (by node / node counters) | revived | silently missing | refused by CheckTx | unsent at stop (mempool full) | lanes: mempool-full retries, nonce refusals, resyncs |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range append(append([]*SegmentResult(nil), r.Segments...), r.Profiles...) {
		a := s.Accounting
		var full, nonce, resyncs int64
		for _, ph := range s.Phases {
			full += ph.MempoolFull
			nonce += ph.NonceRejects
			resyncs += ph.Resyncs
		}
		p("| %d | %s | %d | %d | %d | %d | %d | %d (%v / %v) | %d | %d | %d | %d | %d, %d, %d |\n", s.Round, s.Label, a.Built, a.Accepted, a.CommittedOK, sumMap(a.CommittedFailed),
			a.Pending, a.Evicted, a.EvictedByNode, floats(a.EvictedCounter), a.Revived, a.Missing, sumMap(a.Rejected), a.UnsentAtStop+a.RPCErrorAtStop, full, nonce, resyncs)
	}
	reasons := map[string]int{}
	refusals := map[string]int{}
	causes := map[string]int{}
	for _, s := range r.Segments {
		for k, v := range s.Accounting.CommittedFailed {
			reasons[s.Label+": "+k] += v
		}
		for k, v := range s.Accounting.AheadCauses {
			causes[s.Label+": "+k] += v
		}
		for k, v := range s.Accounting.Rejected {
			refusals[s.Label+": "+k] += v
		}
	}
	if len(reasons) > 0 {
		p("\nFailed in blocks, by code (all rounds):\n\n")
		for _, k := range sortedKeys(reasons) {
			p("- %s: %d\n", k, reasons[k])
		}
	}
	if len(causes) > 0 {
		p("\nWhy a block carried a transaction whose nonce was ahead (all rounds):\n\n")
		for _, k := range sortedKeys(causes) {
			p("- %s: %d\n", k, causes[k])
		}
	}
	if len(refusals) > 0 {
		p("\nRefused by CheckTx at broadcast, by code (all rounds; each was followed by the lane's resync):\n\n")
		for _, k := range sortedKeys(refusals) {
			p("- %s: %d\n", k, refusals[k])
		}
	}

	// Node counters.
	p("\n## CometBFT's counters (four validators together, whole segment)\n\n")
	p("Mempool: CheckTx refusals of new txs (incl. gossiped), refusals because the mempool was full (incl. gossiped), evictions at recheck, rechecks. ABCI: seconds inside each method on the four nodes together (CometBFT's method timings).\n\n")
	p("| round | workload | blocks | CheckTx refused | mempool full | evicted | rechecks | FinalizeBlock s | Commit s | CheckTx s | Prepare+Process s | FinalizeBlock ms/block |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range append(append([]*SegmentResult(nil), r.Segments...), r.Profiles...) {
		var t NodeCounters
		for _, n := range s.Nodes {
			t.Failed += n.Failed
			t.Rejected += n.Rejected
			t.Evicted += n.Evicted
			t.Rechecks += n.Rechecks
			t.FinalizeBlock += n.FinalizeBlock
			t.Commit += n.Commit
			t.CheckTx += n.CheckTx
			t.PrepareProposal += n.PrepareProposal + n.ProcessProposal
			t.Blocks += n.Blocks
		}
		perBlock := 0.0
		if t.Blocks > 0 {
			perBlock = 1000 * t.FinalizeBlock / t.Blocks
		}
		p("| %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %.0f |\n", s.Round, s.Label, t.Blocks/float64(max(1, len(s.Nodes))), t.Failed, t.Rejected, t.Evicted, t.Rechecks,
			t.FinalizeBlock, t.Commit, t.CheckTx, t.PrepareProposal, perBlock)
	}

	// Profiles.
	for _, s := range append(append([]*SegmentResult(nil), r.Segments...), r.Profiles...) {
		pr := s.Profile
		if pr == nil {
			continue
		}
		p("\n## Profile: %s at saturation, validator %s, %.0f s\n\n", s.Label, pr.Node, pr.Seconds)
		if pr.Err != "" {
			p("Profiling failed: %s\n", pr.Err)
			continue
		}
		if ph := s.phase(0); ph != nil && ph.OK > 0 {
			p("CPU samples: %.1f s over the window (%.0f %% of one core); the segment committed %.0f tx/s. Files: `%s`, `%s` (and `-top.txt` listings beside them).\n\n",
				pr.CPU.Seconds(), 100*pr.CPU.Seconds()/pr.Seconds, ph.TPS, filepath.Base(pr.CPUFile), filepath.Base(pr.AllocFile))
		}
		p("Where the work entered (each sample counted once):\n\n| entry | CPU %% | allocated bytes %% |\n|---|---|---|\n")
		shareRows(p, pr.Entry, pr.AllocEntry)
		p("\nWhat kind of work (a sample counts in every category its stack passes through, like pprof's cum; shares overlap):\n\n| work | CPU %% | allocated bytes %% |\n|---|---|---|\n")
		shareRows(p, pr.Work, pr.AllocWork)
		p("\nAllocated in the window: %.0f MB.\n", pr.AllocBytes/(1<<20))
	}

	// Failures.
	var fails []string
	for _, s := range append(append([]*SegmentResult(nil), r.Segments...), r.Profiles...) {
		for _, f := range s.Failures {
			fails = append(fails, fmt.Sprintf("round %d %s: %s", s.Round, s.Label, f))
		}
	}
	if len(fails) > 0 {
		p("\n## FAILURES\n\n")
		for _, f := range fails {
			p("- %s\n", f)
		}
	}
	p("\nRun took %s.\n", r.Finished.Sub(r.Started).Round(time.Second))
	return b.String()
}

func (r *Result) roundOrder() string {
	var names []string
	for _, w := range runOrder(r.Options) {
		names = append(names, w.Label())
	}
	return strings.Join(names, ", ")
}

// Write saves the summary to OutDir/Summary and returns its path.
func (r *Result) Write() (string, error) {
	if err := os.MkdirAll(r.Options.OutDir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(r.Options.OutDir, r.Options.Summary)
	return path, os.WriteFile(path, []byte(r.Markdown()), 0o644)
}

// shareRows prints one row per CPU share with the same category's share
// of allocations.
func shareRows(p func(string, ...any), cpu, alloc []Share) {
	a := map[string]float64{}
	for _, s := range alloc {
		a[s.Name] = s.Percent
	}
	for _, s := range cpu {
		p("| %s | %.1f | %.1f |\n", s.Name, s.Percent, a[s.Name])
	}
}

func sumMap(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func floats(xs []float64) string {
	var s []string
	for _, x := range xs {
		s = append(s, fmt.Sprintf("%.0f", x))
	}
	return "[" + strings.Join(s, " ") + "]"
}
