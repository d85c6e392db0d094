package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jcredit/jcredit/testnet/harness"
)

// Options shape a run.
type Options struct {
	// Rounds of interleaved segments: in each round, every workload runs
	// on a fresh network, one after the other (jcredit's reference
	// workload, kvstore, then the other jcredit workloads).
	Rounds int
	// Senders is the number of concurrent lanes; each signs for its own
	// funded account (jcredit) and talks to one validator (lane i to
	// validator i mod 4).
	Senders int
	// Accounts is the number of funded genesis accounts (>= Senders; the
	// rest only receive).
	Accounts int
	// PerAccount is each account's genesis credits in each of the two
	// genesis batches.
	PerAccount uint64
	// Warmup precedes each measured window (the mempools fill, the lanes
	// find their pace); Saturate and Rated are the measured windows of the
	// saturation phase and the rate-limited phase (0 skips that phase).
	Warmup, Saturate, Rated time.Duration
	// RateFraction of the reference workload's saturation rate in the same
	// round is the rate offered in the rate-limited phase (0.8).
	RateFraction float64
	// Workloads are the jcredit workloads; the first is the reference the
	// ratio and the limited rate are computed from.
	Workloads []Workload
	// KVStoreProxyApp is cometbft's --proxy_app for the baseline.
	KVStoreProxyApp string
	// Profile, if positive, adds a profiling segment per app after the
	// rounds: a validator's CPU and allocation profiles over that long a
	// saturation window (not counted in the medians).
	Profile time.Duration
	// ProfileInRounds profiles round 1 instead of adding segments (the
	// short CI run; its figures then include the profiler's overhead).
	ProfileInRounds bool
	// Backoff is a lane's pause after "mempool full".
	Backoff time.Duration
	// DrainTimeout bounds the wait for the mempools to empty after a
	// phase.
	DrainTimeout time.Duration
	// LogLevel of the nodes (CometBFT's syntax, e.g. "mempool:debug,*:info"
	// to see every transaction enter and leave the mempools); "info" unless
	// set. Debug logging costs CPU on both apps alike.
	LogLevel string
	// KeepLogs copies every segment's node logs to OutDir/logs (they are
	// kept anyway for a segment that failed).
	KeepLogs bool
	// TimeoutCommit and MempoolSize, if set, replace what the generator
	// writes (testnet.DefaultConfig, CometBFT's mempool size) on every
	// node of both apps alike: to choose those defaults by measurement.
	TimeoutCommit time.Duration
	MempoolSize   int
	// OutDir receives net-summary.md and the profiles.
	OutDir string
	// Summary is the summary's file name inside OutDir.
	Summary string
	// Command is how this run was started, for the summary.
	Command string
}

// DefaultOptions is `make bench-net`: three rounds, 32 senders, 30 s at
// saturation and 20 s at 80 % of it.
func DefaultOptions() Options {
	return Options{
		Rounds:          3,
		Senders:         32,
		Accounts:        64,
		PerAccount:      1_000_000,
		Warmup:          5 * time.Second,
		Saturate:        30 * time.Second,
		Rated:           20 * time.Second,
		RateFraction:    0.8,
		Workloads:       []Workload{Transfer, Mix},
		KVStoreProxyApp: harness.DefaultKVStoreProxyApp,
		Profile:         20 * time.Second,
		Backoff:         100 * time.Millisecond,
		DrainTimeout:    3 * time.Minute,
		OutDir:          "build/bench",
		Summary:         "net-summary.md",
		Command:         "make bench-net",
	}
}

// SmokeOptions is the CI check that the harness works end to end: one
// round, a handful of senders, a few seconds per phase, both jcredit
// workloads' code paths (the mix) and the profiler. Its figures mean
// nothing.
func SmokeOptions() Options {
	o := DefaultOptions()
	o.Rounds = 1
	o.Senders = 4
	o.Accounts = 8
	o.PerAccount = 10_000
	o.Warmup = time.Second
	o.Saturate = 4 * time.Second
	o.Rated = 3 * time.Second
	o.Workloads = []Workload{Mix}
	o.Profile = 2 * time.Second
	o.ProfileInRounds = true
	o.DrainTimeout = time.Minute
	o.Summary = "net-summary-short.md"
	o.Command = "make bench-net-short"
	return o
}

// FromEnv overrides o with BENCH_NET_* variables:
//
//	BENCH_NET_ROUNDS, BENCH_NET_SENDERS, BENCH_NET_ACCOUNTS   integers
//	BENCH_NET_WARMUP, BENCH_NET_SATURATE, BENCH_NET_RATED      durations (10s)
//	BENCH_NET_RATE_FRACTION                                  0.8
//	BENCH_NET_WORKLOADS                                      transfer,mix
//	BENCH_NET_KVSTORE                                        cometbft --proxy_app
//	BENCH_NET_PROFILE                                        duration, 0 for none
//	BENCH_NET_LOG_LEVEL                                      e.g. mempool:debug,*:info
//	BENCH_NET_KEEP_LOGS                                      1: copy node logs to OUT/logs
//	BENCH_NET_TIMEOUT_COMMIT, BENCH_NET_MEMPOOL_SIZE           both apps' timeout_commit, mempool size
//	BENCH_NET_OUT, BENCH_NET_SUMMARY, BENCH_NET_COMMAND
func FromEnv(o Options) (Options, error) {
	var err error
	intVar := func(name string, p *int) {
		if v := os.Getenv(name); v != "" && err == nil {
			*p, err = strconv.Atoi(v)
			if err == nil && *p <= 0 {
				err = fmt.Errorf("%s must be positive", name)
			}
		}
	}
	durVar := func(name string, p *time.Duration) {
		if v := os.Getenv(name); v != "" && err == nil {
			*p, err = time.ParseDuration(v)
		}
	}
	if v := os.Getenv("BENCH_NET_ROUNDS"); v != "" {
		o.Rounds, err = strconv.Atoi(v)
	}
	intVar("BENCH_NET_SENDERS", &o.Senders)
	intVar("BENCH_NET_ACCOUNTS", &o.Accounts)
	durVar("BENCH_NET_WARMUP", &o.Warmup)
	durVar("BENCH_NET_SATURATE", &o.Saturate)
	durVar("BENCH_NET_RATED", &o.Rated)
	durVar("BENCH_NET_PROFILE", &o.Profile)
	durVar("BENCH_NET_TIMEOUT_COMMIT", &o.TimeoutCommit)
	intVar("BENCH_NET_MEMPOOL_SIZE", &o.MempoolSize)
	if v := os.Getenv("BENCH_NET_RATE_FRACTION"); v != "" && err == nil {
		o.RateFraction, err = strconv.ParseFloat(v, 64)
	}
	if v := os.Getenv("BENCH_NET_WORKLOADS"); v != "" && err == nil {
		o.Workloads = nil
		for _, s := range strings.Split(v, ",") {
			var w Workload
			if w, err = ParseWorkload(s); err != nil {
				break
			}
			o.Workloads = append(o.Workloads, w)
		}
	}
	for name, p := range map[string]*string{
		"BENCH_NET_KVSTORE": &o.KVStoreProxyApp, "BENCH_NET_OUT": &o.OutDir,
		"BENCH_NET_SUMMARY": &o.Summary, "BENCH_NET_COMMAND": &o.Command, "BENCH_NET_LOG_LEVEL": &o.LogLevel,
	} {
		if v := os.Getenv(name); v != "" {
			*p = v
		}
	}
	if v := os.Getenv("BENCH_NET_KEEP_LOGS"); v != "" && v != "0" {
		o.KeepLogs = true
	}
	if err != nil {
		return o, err
	}
	return o, o.validate()
}

func (o Options) validate() error {
	switch {
	case o.Rounds < 0 || o.Rounds == 0 && o.Profile <= 0:
		return fmt.Errorf("rounds must be at least 1 (0 only to profile)")
	case o.Senders < 1:
		return fmt.Errorf("senders must be at least 1")
	case o.Accounts < o.Senders || o.Accounts < 2:
		return fmt.Errorf("accounts (%d) must be at least the senders (%d) and 2", o.Accounts, o.Senders)
	case o.Saturate <= 0:
		return fmt.Errorf("the saturation window must be positive")
	case len(o.Workloads) == 0:
		return fmt.Errorf("no jcredit workload")
	case o.RateFraction <= 0 || o.RateFraction > 1:
		return fmt.Errorf("rate fraction %v: want (0, 1]", o.RateFraction)
	}
	return nil
}
