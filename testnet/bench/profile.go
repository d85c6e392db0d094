package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jcredit/jcredit/testnet/harness"
)

// ProfileResult is where a profiled validator spent its CPU and its
// allocations during a saturation window.
type ProfileResult struct {
	Node      string
	Seconds   float64
	CPUFile   string
	AllocFile string
	// CPU is the profile's total CPU time; Entry its split by where the
	// work entered (exclusive), Work by kind of work (overlapping).
	CPU         time.Duration
	Entry, Work []Share
	// AllocBytes is the bytes allocated in the window, split the same
	// ways.
	AllocBytes            float64
	AllocEntry, AllocWork []Share
	// TopCPU and TopAlloc are `go tool pprof -top` listings (flat).
	TopCPU, TopAlloc string
	Err              string
}

// Share is one category's part of a profile.
type Share struct {
	Name    string
	Percent float64
}

// captureProfiles fetches a CPU profile and an allocation profile (the
// allocations made during the window) of nd over d, saves them under
// prefix, and summarises them.
func captureProfiles(ctx context.Context, nd *harness.Node, d time.Duration, dir, prefix string) *ProfileResult {
	r := &ProfileResult{Node: nd.Name, Seconds: d.Seconds()}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		r.Err = err.Error()
		return r
	}
	secs := max(1, int(d.Round(time.Second).Seconds()))
	base := fmt.Sprintf("http://%s:%d/debug/pprof/", nd.Host, PprofPort)
	r.CPUFile, r.AllocFile = prefix+"-cpu.pb.gz", prefix+"-allocs.pb.gz"
	var wg sync.WaitGroup
	var cpuErr, allocErr error
	wg.Add(2)
	go func() {
		defer wg.Done()
		cpuErr = fetch(ctx, fmt.Sprintf("%sprofile?seconds=%d", base, secs), r.CPUFile)
	}()
	go func() {
		defer wg.Done()
		allocErr = fetch(ctx, fmt.Sprintf("%sallocs?seconds=%d", base, secs), r.AllocFile)
	}()
	wg.Wait()
	if cpuErr != nil || allocErr != nil {
		r.Err = fmt.Sprintf("cpu: %v; allocs: %v", cpuErr, allocErr)
		return r
	}
	var err error
	var total float64
	if r.Entry, total, err = categorise(r.CPUFile, "", entryCategories, true); err == nil {
		r.Work, _, err = categorise(r.CPUFile, "", workCategories, false)
	}
	if err == nil {
		r.AllocEntry, r.AllocBytes, err = categorise(r.AllocFile, "alloc_space", entryCategories, true)
	}
	if err == nil {
		r.AllocWork, _, err = categorise(r.AllocFile, "alloc_space", workCategories, false)
	}
	if err != nil {
		r.Err = err.Error()
		return r
	}
	r.CPU = time.Duration(total)
	r.TopCPU, _ = pprofTop(r.CPUFile, "")
	r.TopAlloc, _ = pprofTop(r.AllocFile, "alloc_space")
	_ = os.WriteFile(prefix+"-cpu-top.txt", []byte(r.TopCPU), 0o644)
	_ = os.WriteFile(prefix+"-allocs-top.txt", []byte(r.TopAlloc), 0o644)
	return r
}

func fetch(ctx context.Context, url, path string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return fmt.Errorf("%s: %s %s", url, res.Status, msg)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, res.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// category names the stacks that pass through any function matching re.
type category struct {
	name string
	re   *regexp.Regexp
}

func cat(name, re string) category { return category{name, regexp.MustCompile(re)} }

// entryCategories split a profile by where the work enters: each sample
// goes to the first category (in this order) one of its frames matches, so
// the shares add up to 100 %.
var entryCategories = []category{
	cat("app: FinalizeBlock", `\.\(\*App(lication)?\)\.FinalizeBlock$`),
	cat("app: CheckTx of new txs (RPC and gossip)", `^CHECKTX_NEW$`),
	cat("app: CheckTx at recheck (after each commit)", `^CHECKTX_RECHECK$`),
	cat("app: Commit", `\.\(\*App(lication)?\)\.Commit$`),
	cat("app: PrepareProposal + ProcessProposal", `\.\(\*App(lication)?\)\.(Prepare|Process)Proposal$`),
	cat("app: Query (harness nonce reads)", `\.\(\*App(lication)?\)\.Query$`),
	cat("CometBFT tx/block indexer", `cometbft/state/(txindex|indexer)`),
	cat("CometBFT JSON-RPC server (HTTP, broadcast_tx_sync, status)", `cometbft/rpc/jsonrpc/server|net/http\.\(\*conn\)\.serve`),
	cat("CometBFT mempool (outside the app)", `cometbft/mempool\.`),
	cat("CometBFT p2p (gossip, connections)", `cometbft/p2p`),
	cat("CometBFT consensus, block store, state (outside the app)", `cometbft/(internal/)?(consensus|store|blocksync|evidence)\.|cometbft/state\.`),
	cat("CometBFT event bus (pubsub)", `cometbft/libs/pubsub|cometbft/types\.\(\*EventBus\)`),
	cat("pebble background: flushes and compactions (all databases)", `cockroachdb/pebble\.\(\*DB\)\.(compact|flush)|cockroachdb/pebble/record\.`),
	cat("Go GC (background marking, sweeping)", `runtime\.(gcBgMarkWorker|bgsweep|bgscavenge)`),
	cat("Go scheduler", `runtime\.(mcall|schedule|findRunnable|park_m|mstart)`),
	cat("other (runtime, syscalls, timers)", `.`),
}

// workCategories say what kind of work the time went to, wherever it
// entered; a sample counts in every category its stack passes through
// (like pprof's "cum"), so these shares overlap.
var workCategories = []category{
	cat("secp256k1 signature recovery", `secp256k1|crypto\.(Ecrecover|SigToPub)`),
	cat("Keccak (addresses, checksummed hex)", `crypto/keccak|sha3`),
	cat("IAVL (app state tree, incl. its pebble reads)", `github\.com/cosmos/iavl`),
	cat("pebble (all databases)", `github\.com/cockroachdb/pebble`),
	cat("jcredit store.Cache (per-tx and per-block write buffers)", `jcredit/app/store\.\(\*Cache\)`),
	cat("x/credits keeper", `jcredit/x/credits\.`),
	cat("x/accounts keeper", `jcredit/x/accounts\.`),
	cat("protobuf encode/decode", `google\.golang\.org/protobuf|gogoproto`),
	cat("fsync", `syscall\.Fsync|unix\.Fsync|unix\.Fdatasync|\(\*File\)\.Sync$`),
	cat("SHA-256", `crypto/sha256|crypto/internal/fips140/sha256`),
	cat("JSON (encoding/json, cometbft/libs/json)", `encoding/json|cometbft/libs/json`),
	cat("memory allocation (mallocgc, incl. GC assists)", `runtime\.mallocgc$`),
	cat("GC assists (allocation paying for marking)", `runtime\.gcAssistAlloc`),
}

// categorise parses `go tool pprof -traces` of a profile (sample index ""
// for the default) and returns each category's share of the total;
// exclusive: each sample goes to its first matching category only.
func categorise(path, index string, cats []category, exclusive bool) ([]Share, float64, error) {
	args := []string{"tool", "pprof", "-traces"}
	if index != "" {
		args = append(args, "-sample_index="+index)
	}
	out, err := exec.Command("go", append(args, path)...).Output()
	if err != nil {
		return nil, 0, fmt.Errorf("go tool pprof -traces %s: %w", path, err)
	}
	stacks, err := parseTraces(string(out))
	if err != nil {
		return nil, 0, err
	}
	var total float64
	sums := make([]float64, len(cats))
	for _, st := range stacks {
		total += st.value
		frames := append(append([]string(nil), st.frames...), checkTxMarker(st.frames))
	cats:
		for i, c := range cats {
			for _, f := range frames {
				if c.re.MatchString(f) {
					sums[i] += st.value
					if exclusive {
						break cats
					}
					break
				}
			}
		}
	}
	var shares []Share
	for i, c := range cats {
		if total > 0 && sums[i] > 0 {
			shares = append(shares, Share{Name: c.name, Percent: 100 * sums[i] / total})
		}
	}
	sort.SliceStable(shares, func(i, j int) bool { return shares[i].Percent > shares[j].Percent })
	return shares, total, nil
}

// checkTxMarker tells a CheckTx of a new transaction from a recheck by
// the mempool function that called it.
func checkTxMarker(frames []string) string {
	app := false
	for _, f := range frames {
		switch {
		case strings.HasSuffix(f, ".CheckTx") && (strings.Contains(f, "(*App)") || strings.Contains(f, "(*Application)")):
			app = true
		case app && strings.Contains(f, "recheckTxs"):
			return "CHECKTX_RECHECK"
		case app && strings.Contains(f, "mempool.(*CListMempool).CheckTx"):
			return "CHECKTX_NEW"
		}
	}
	return ""
}

type stack struct {
	value  float64
	valued bool
	frames []string // leaf first
}

// parseTraces reads pprof's -traces output: blocks separated by dashed
// lines; a block's first line holds the sample's value (e.g. "10ms",
// "1.50MB", "12345") and the leaf function, then one function per line
// (some followed by "(inline)"); profiler labels ("pebble:  flush") may
// precede the value.
func parseTraces(out string) ([]stack, error) {
	var stacks []stack
	var cur *stack
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "-----------+") {
			if cur != nil {
				stacks = append(stacks, *cur)
			}
			cur = &stack{}
			continue
		}
		if cur == nil {
			continue // header
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if !cur.valued && strings.HasSuffix(f[0], ":") {
			continue // a profiler label ("pebble:  flush")
		}
		if !cur.valued {
			cur.valued = true
			v, err := parseQuantity(f[0])
			if err != nil {
				return nil, fmt.Errorf("pprof traces: %q: %w", line, err)
			}
			cur.value = v
			f = f[1:]
			if len(f) == 0 {
				continue
			}
		}
		cur.frames = append(cur.frames, f[0])
	}
	if cur != nil && len(cur.frames) > 0 {
		stacks = append(stacks, *cur)
	}
	return stacks, sc.Err()
}

// parseQuantity reads pprof's scaled numbers: 10ms, 1.20s, 512kB, 3MB,
// 1234 (nanoseconds for CPU, bytes for memory).
func parseQuantity(s string) (float64, error) {
	units := []struct {
		suffix string
		mult   float64
	}{
		{"mins", 60e9}, {"hrs", 3600e9}, {"ns", 1}, {"us", 1e3}, {"µs", 1e3}, {"ms", 1e6}, {"s", 1e9},
		{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"kB", 1 << 10}, {"KB", 1 << 10}, {"B", 1},
	}
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			v, err := strconv.ParseFloat(strings.TrimSuffix(s, u.suffix), 64)
			return v * u.mult, err
		}
	}
	return strconv.ParseFloat(s, 64)
}

// pprofTop is `go tool pprof -top` of a profile (40 lines).
func pprofTop(path, index string) (string, error) {
	args := []string{"tool", "pprof", "-top", "-nodecount=40"}
	if index != "" {
		args = append(args, "-sample_index="+index)
	}
	out, err := exec.Command("go", append(args, path)...).CombinedOutput()
	return string(out), err
}
