package bench

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cfg "github.com/cometbft/cometbft/config"
	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/testnet"
	"github.com/jcredit/jcredit/testnet/harness"
)

// segment is one workload on one fresh network: a saturation phase, then
// (if asked) a rate-limited phase, then the accounting.
type segment struct {
	t     testing.TB
	opts  Options
	round int
	wl    Workload
	label string

	net     *harness.Network
	maker   *maker
	lanes   []*lane
	poller  *poller
	phases  []*phase
	pids    []int
	profile *profileSpec

	blocks map[int64]*blockData

	mu       sync.Mutex
	failures []string
}

// profileSpec asks a segment to profile one validator during its
// saturation window.
type profileSpec struct {
	node     int
	duration time.Duration
	dir      string
	prefix   string
	out      *ProfileResult
}

func (s *segment) fail(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, fmt.Sprintf(format, args...))
}

func (s *segment) logf(format string, args ...any) {
	s.t.Helper()
	s.t.Logf("%s %s r%d: "+format, append([]any{time.Now().Format("15:04:05"), s.wl, s.round}, args...)...)
}

// configure returns what is applied to every node's config.toml, on both
// apps alike: CometBFT's Prometheus metrics (the mempool's eviction
// counters, ABCI timings) and Go's pprof listener, each on the node's own
// address, and o's overrides of the generator's settings.
func configure(o Options) func(spec testnet.Node, c *cfg.Config) {
	return func(spec testnet.Node, c *cfg.Config) {
		configureNode(spec, c)
		if o.TimeoutCommit > 0 {
			c.Consensus.TimeoutCommit = o.TimeoutCommit //nolint:staticcheck // the block interval knob in v1.0
		}
		if o.MempoolSize > 0 {
			c.Mempool.Size = o.MempoolSize
		}
	}
}

func configureNode(spec testnet.Node, c *cfg.Config) {
	c.Instrumentation.Prometheus = true
	c.Instrumentation.Namespace = "cometbft"
	c.Instrumentation.PrometheusListenAddr = fmt.Sprintf("%s:%d", spec.Host, PrometheusPort)
	c.RPC.PprofListenAddress = fmt.Sprintf("%s:%d", spec.Host, PprofPort)
}

// runSegment runs wl on a fresh network. rateFor gives the rate-limited
// phase's offered rate from this segment's saturation rate (nil: no
// rate-limited phase).
func runSegment(t testing.TB, o Options, round int, wl Workload, rateFor func(sat float64) float64, prof *profileSpec) *SegmentResult {
	s := &segment{t: t, opts: o, round: round, wl: wl, label: wl.Label(), profile: prof, blocks: map[int64]*blockData{}}
	res := &SegmentResult{Round: round, Workload: wl, Label: wl.Label(), Profiled: prof != nil}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	credits := harness.NewCredits(o.Accounts, o.PerAccount)
	s.net = harness.New(t, harness.Options{
		Users:             credits.Users(),
		ExtraGenesis:      credits.Genesis,
		App:               wl.App(),
		KVStoreProxyApp:   o.KVStoreProxyApp,
		GeneratorTimeouts: true,
		Configure:         configure(o),
		LogLevel:          o.LogLevel,
	})
	credits.Bind(s.net)
	s.net.CheckAppLimits()
	size, err := sampleTransferSize(s.net.Manifest.ChainID)
	if err != nil {
		t.Fatal(err)
	}
	s.maker = &maker{wl: wl, chainID: s.net.Manifest.ChainID, credits: credits, kvSize: size,
		segment: fmt.Sprintf("%d%x", round, rand.Uint32())}
	res.TxBytes = size

	// Generous: on a machine shared with other work, four nodes may take
	// minutes to reach height 2.
	startCtx, startCancel := context.WithTimeout(ctx, 5*time.Minute)
	s.net.Start(startCtx)
	startCancel()
	vals := s.net.Validators()
	for _, nd := range vals {
		s.pids = append(s.pids, nd.Pid())
	}
	pc, err := rpchttp.NewWithTimeout(vals[0].RPC(), 10)
	if err != nil {
		t.Fatal(err)
	}
	s.poller = newPoller(pc)
	go s.poller.run(ctx)

	for i := 0; i < o.Senders; i++ {
		nd := vals[i%len(vals)]
		c, err := client.New(nd.RPC())
		if err != nil {
			t.Fatal(err)
		}
		ln := &lane{idx: i, seg: s, node: nd, nodeIx: i % len(vals), client: c,
			rnd: rand.New(rand.NewSource(time.Now().UnixNano() + int64(i))), byNonce: map[uint64]*txRec{}, versions: map[uint64]int{}}
		if wl != KVStore {
			name := credits.Holders[i]
			key := s.net.Keys[name]
			ln.signer = signer{name: name, key: key, addr: crypto.PubkeyToAddress(key.PublicKey).Hex()}
			var ok bool
			if ln.next, ok, err = harness.QueryNonce(ctx, nd, ln.signer.addr); err != nil || !ok {
				t.Fatalf("nonce of %s (%s): known %v, %v", name, ln.signer.addr, ok, err)
			}
		}
		s.lanes = append(s.lanes, ln)
	}
	m0 := s.scrapeAll(ctx)

	sat := s.runPhase(ctx, 0, "saturation", 0, o.Saturate)
	res.Phases = append(res.Phases, sat)
	if rateFor != nil && o.Rated > 0 && sat.TPS > 0 {
		rate := rateFor(sat.TPS)
		res.Phases = append(res.Phases, s.runPhase(ctx, 1, "rate-limited", rate, o.Rated))
	}

	m1 := s.scrapeAll(ctx)
	res.Nodes = nodeCounters(vals, m0, m1)
	res.Accounting = s.account(ctx, m0, m1)
	if a := res.Accounting; sumMap(a.CommittedFailed) > 0 || a.Evicted > 0 {
		var stops []int64
		for _, p := range s.phases {
			stops = append(stops, p.stopHeight)
		}
		s.logf("failed in blocks %d (%d after the lanes stopped at heights %v), e.g. %v; evicted by lane %v, e.g. %v",
			sumMap(a.CommittedFailed), a.FailedInDrain, stops, a.SampleFailed, a.EvictedLanes, a.SampleDropped)
	}
	res.Agreed, err = s.agree(ctx)
	if err != nil {
		s.fail("%v", err)
	}
	if prof != nil {
		res.Profile = prof.out
	}
	cancel()
	for _, nd := range s.net.Nodes {
		nd.Stop()
	}
	res.Failures = s.failures
	if o.KeepLogs || len(s.failures) > 0 {
		dir := filepath.Join(o.OutDir, "logs", fmt.Sprintf("round%d-%s", round, wl))
		if err := s.keepLogs(dir); err != nil {
			t.Logf("keep logs: %v", err)
		} else {
			s.logf("node logs in %s", dir)
		}
	}
	for _, f := range s.failures {
		t.Errorf("%s round %d: %s", s.label, round, f)
	}
	return res
}

// keepLogs copies the nodes' logs to dir.
func (s *segment) keepLogs(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, nd := range s.net.Nodes {
		bz, err := os.ReadFile(nd.LogPath())
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, nd.Name+".log"), bz, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// runPhase drives the lanes for warmup+window (or at rate), stops them,
// waits for the mempools to drain and measures the window from the
// blocks.
func (s *segment) runPhase(ctx context.Context, idx int, name string, rate float64, window time.Duration) *PhaseResult {
	p := &phase{idx: idx, name: name, rate: rate}
	s.phases = append(s.phases, p)
	s.logf("%s phase: %d lanes, offered %s", name, len(s.lanes), rateString(rate))
	var wg sync.WaitGroup
	for _, ln := range s.lanes {
		wg.Add(1)
		go func() { defer wg.Done(); ln.run(ctx, p, len(s.lanes)) }()
	}
	time.Sleep(s.opts.Warmup)
	a := takeSample(s.pids)
	hA := s.poller.height()
	var profWG sync.WaitGroup
	if s.profile != nil && idx == 0 {
		profWG.Add(1)
		go func() {
			defer profWG.Done()
			s.profile.out = captureProfiles(ctx, s.net.Validators()[s.profile.node], min(s.profile.duration, window), s.profile.dir, s.profile.prefix)
		}()
	}
	time.Sleep(window)
	b := takeSample(s.pids)
	hB := s.poller.height()
	p.stop.Store(true)
	wg.Wait()
	p.stopHeight = s.poller.height()
	profWG.Wait()
	drained := s.drain(ctx)

	r := &PhaseResult{Name: name, Offered: rate, From: hA, To: hB, CPU: use(a, b), Drained: drained,
		WindowStart: a.at, WindowEnd: b.at}
	if err := s.fetchBlocks(ctx, hA, hB+1); err != nil {
		s.fail("%s: read blocks: %v", name, err)
		return r
	}
	s.measure(r, p)
	s.logf("%s: %.0f committed tx/s over heights %d..%d (%d txs, %d failed in blocks), p50/p90/p99 %s/%s/%s; nodes %.0f%% CPU, machine %.0f%%, others %.0f%%, load %.2f",
		name, r.TPS, hA+1, hB, r.OK, r.Failed, ms(r.P50), ms(r.P90), ms(r.P99), r.CPU.Nodes, r.CPU.MachineBusy, r.CPU.Others, r.CPU.Load1)
	return r
}

// drain waits until every validator's mempool is empty, or the timeout.
func (s *segment) drain(ctx context.Context) bool {
	deadline := time.Now().Add(s.opts.DrainTimeout)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		total := 0
		for _, nd := range s.net.Validators() {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			r, err := nd.Client().NumUnconfirmedTxs(cctx)
			cancel()
			if err != nil {
				total = -1
				break
			}
			total += r.Total
		}
		if total == 0 {
			return true
		}
		time.Sleep(250 * time.Millisecond)
	}
	s.logf("mempools not empty after %s", s.opts.DrainTimeout)
	return false
}

// blockData is what the bench needs of one block.
type blockData struct {
	height int64
	time   time.Time // header time: when the previous block committed (BFT time)
	hashes []string
	codes  []uint32
	spaces []string
	logs   []string
}

// fetchBlocks reads heights from..to (headers for all, transactions and
// results for the non-empty ones) from the first validator.
func (s *segment) fetchBlocks(ctx context.Context, from, to int64) error {
	nd := s.net.Validators()[0]
	c := nd.Client()
	if from < 1 {
		from = 1
	}
	for lo := from; lo <= to; lo += 20 {
		hi := min(lo+19, to)
		if s.have(lo, hi) {
			continue
		}
		// The block at `to` may not exist yet: wait for it.
		if err := nd.WaitHeight(ctx, hi); err != nil {
			return err
		}
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		info, err := c.BlockchainInfo(cctx, lo, hi)
		cancel()
		if err != nil {
			return err
		}
		for _, meta := range info.BlockMetas {
			h := meta.Header.Height
			if s.blocks[h] != nil {
				continue
			}
			b := &blockData{height: h, time: meta.Header.Time}
			if meta.NumTxs > 0 {
				cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
				blk, err := c.Block(cctx, &h)
				if err == nil {
					var results *resultsT
					results, err = blockResults(cctx, c, h)
					if err == nil {
						if len(results.codes) != len(blk.Block.Txs) {
							err = fmt.Errorf("height %d: %d txs, %d results", h, len(blk.Block.Txs), len(results.codes))
						}
						for i, raw := range blk.Block.Txs {
							b.hashes = append(b.hashes, strings.ToUpper(hex.EncodeToString(raw.Hash())))
							if i < len(results.codes) {
								b.codes = append(b.codes, results.codes[i])
								b.spaces = append(b.spaces, results.spaces[i])
								b.logs = append(b.logs, results.logs[i])
							}
						}
					}
				}
				cancel()
				if err != nil {
					return fmt.Errorf("height %d: %w", h, err)
				}
			}
			s.blocks[h] = b
		}
	}
	return nil
}

func (s *segment) have(lo, hi int64) bool {
	for h := lo; h <= hi; h++ {
		if s.blocks[h] == nil {
			return false
		}
	}
	return true
}

type resultsT struct {
	codes  []uint32
	spaces []string
	logs   []string
}

func blockResults(ctx context.Context, c *rpchttp.HTTP, h int64) (*resultsT, error) {
	r, err := c.BlockResults(ctx, &h)
	if err != nil {
		return nil, err
	}
	out := &resultsT{}
	for _, tr := range r.TxResults {
		out.codes = append(out.codes, tr.Code)
		out.spaces = append(out.spaces, tr.Codespace)
		out.logs = append(out.logs, tr.Log)
	}
	return out, nil
}

// measure fills r from the blocks of heights From+1..To and the lanes'
// records: committed transactions per second by the blocks' own clock
// (block h commits at the time block h+1 carries), and the latency from
// acceptance to the moment the poller first saw the block.
func (s *segment) measure(r *PhaseResult, p *phase) {
	where := map[string]int64{}
	code := map[string]uint32{}
	for h := r.From + 1; h <= r.To; h++ {
		b := s.blocks[h]
		r.Blocks++
		for i, hash := range b.hashes {
			where[hash], code[hash] = h, b.codes[i]
			if b.codes[i] == 0 {
				r.OK++
			} else {
				r.Failed++
			}
		}
	}
	t0, t1 := s.blocks[r.From+1], s.blocks[r.To+1]
	if t0 != nil && t1 != nil {
		r.ChainSeconds = t1.time.Sub(t0.time).Seconds()
	}
	if r.ChainSeconds > 0 {
		r.TPS = float64(r.OK) / r.ChainSeconds
		r.TPSAll = float64(r.OK+r.Failed) / r.ChainSeconds
	}
	if sa, sb := s.poller.seenAt(r.From), s.poller.seenAt(r.To); !sa.IsZero() && !sb.IsZero() && sb.After(sa) {
		r.ObservedTPS = float64(r.OK) / sb.Sub(sa).Seconds()
	}
	if r.Blocks > 0 {
		r.TxsPerBlock = float64(r.OK+r.Failed) / float64(r.Blocks)
		r.BlockSeconds = r.ChainSeconds / float64(r.Blocks)
	}
	if r.OK > 0 {
		r.NodeCPUPerTx = 1000 * r.CPU.NodeCPU / float64(r.OK)
	}

	// Latency of the transactions accepted inside the window that
	// committed successfully (any block: they may commit after it).
	all := map[string]int64{}
	for h, b := range s.blocks {
		for i, hash := range b.hashes {
			if b.codes[i] == 0 {
				all[hash] = h
			}
		}
	}
	var lat []time.Duration
	for _, ln := range s.lanes {
		for _, t := range ln.txs {
			if t.phase != p.idx || t.accepted.IsZero() || t.accepted.Before(r.WindowStart) || t.accepted.After(r.WindowEnd) {
				continue
			}
			r.Accepted++
			h, ok := all[t.hash]
			if !ok {
				continue
			}
			seen := s.poller.seenAt(h)
			if seen.IsZero() {
				continue
			}
			lat = append(lat, seen.Sub(t.accepted))
		}
	}
	r.Samples = len(lat)
	r.P50, r.P90, r.P99, r.Max = percentiles(lat)
	r.MempoolFull = p.mempoolFull.Load()
	r.RPCErrors = p.rpcErrors.Load()
	r.NonceRejects = p.nonceRejects.Load()
	r.Rejected = p.rejected.Load()
	r.Resyncs = p.resyncs.Load()
	r.Resent = p.resent.Load()
	r.Lagged = p.lagged.Load()
}

// scrapeAll reads every validator's metrics (nil entries for failures,
// which the accounting reports).
func (s *segment) scrapeAll(ctx context.Context) []metrics {
	var out []metrics
	for _, nd := range s.net.Validators() {
		m, err := scrape(ctx, nd.Host, "cometbft_mempool_", "cometbft_state_block_processing_time", "cometbft_abci_connection_method_timing_seconds")
		if err != nil {
			s.fail("metrics of %s: %v", nd.Name, err)
		}
		out = append(out, m)
	}
	return out
}

// agree checks that every validator has the same block at the lowest of
// their heights (retrying slow answers: the machine may be busy).
func (s *segment) agree(ctx context.Context) (int64, error) {
	var err error
	for try := 0; try < 5; try++ {
		var top int64
		if top, err = s.agreeOnce(ctx); err == nil || strings.HasPrefix(err.Error(), "FORK") {
			return top, err
		}
		time.Sleep(2 * time.Second)
	}
	return 0, err
}

func (s *segment) agreeOnce(ctx context.Context) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var top int64 = -1
	for _, nd := range s.net.Validators() {
		st, err := nd.Client().Status(ctx)
		if err != nil {
			return 0, fmt.Errorf("%s: status: %w", nd.Name, err)
		}
		if h := st.SyncInfo.LatestBlockHeight; top < 0 || h < top {
			top = h
		}
	}
	var want string
	for _, nd := range s.net.Validators() {
		info, err := nd.Client().BlockchainInfo(ctx, top, top)
		if err != nil || len(info.BlockMetas) == 0 {
			return 0, fmt.Errorf("%s: block %d: %v", nd.Name, top, err)
		}
		got := info.BlockMetas[0].BlockID.Hash.String()
		if want != "" && got != want {
			return 0, fmt.Errorf("FORK at height %d: %s has block %s, another validator %s", top, nd.Name, got, want)
		}
		want = got
	}
	return top, nil
}

func rateString(rate float64) string {
	if rate <= 0 {
		return "as fast as accepted"
	}
	return fmt.Sprintf("%.0f tx/s", rate)
}

func ms(d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	if d < 10*time.Second {
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// profilePrefix names a segment's profile files.
func profilePrefix(dir string, wl Workload) string {
	return filepath.Join(dir, "profile-"+strings.ReplaceAll(wl.Label(), " ", "-"))
}
