//go:build e2e

// Package e2e breaks a real jcredit network on purpose, under load, and
// checks after every fault that no node forked, no accepted transaction was
// lost and none was applied twice (see testnet/harness for the checks).
// settlement_test.go settles and releases credit locks while a validator
// is killed; upgrade_test.go upgrades a network started on the previous
// release, under load, at a height the ministries agreed on.
//
// Run: `make e2e` (full) or `make e2e-short` (CI). Needs root (each node
// runs in its own network namespace so that a partition is real).
package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jcredit/jcredit/node/testnet"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/testnet/harness"
)

// knobs sizes the scenarios: -short (CI) or full.
type knobs struct {
	fault  time.Duration // how long a partition, pause or halt lasts
	before int64         // blocks of load before a fault
	after  int64         // blocks after recovery before the check
}

func sizes() knobs {
	if testing.Short() {
		return knobs{fault: 8 * time.Second, before: 4, after: 3}
	}
	return knobs{fault: 30 * time.Second, before: 15, after: 10}
}

// The load: 8 holders transferring and retiring credits among themselves
// (each starts with 1000 credits of each of two genesis batches) and 3
// registry clerks opening accounts.
const (
	holdersN = 8
	clerksN  = 3
)

func workload() harness.Mixed { return harness.Mixed{Credits: harness.NewCredits(holdersN, 1000)} }

func users(w harness.Mixed) []testnet.User {
	out := w.Credits.Users()
	for i := 1; i <= clerksN; i++ {
		out = append(out, testnet.User{Name: fmt.Sprintf("clerk%d", i), Roles: []accountsv1.Role{accountsv1.Role_ROLE_SECRETARIAT}})
	}
	return out
}

func signers(w harness.Mixed) []string {
	out := append([]string{"secretariat"}, w.Credits.Holders...)
	for i := 1; i <= clerksN; i++ {
		out = append(out, fmt.Sprintf("clerk%d", i))
	}
	return out
}

// setup starts the administrators' four validators plus a provider's full
// node, each in its own network namespace, and the load.
func setup(t *testing.T, o harness.Options) (*harness.Network, *harness.Load) {
	if os.Geteuid() != 0 {
		t.Fatal("the e2e suite needs root: every node runs in its own network namespace (run it through `make e2e`, as root)")
	}
	w := workload()
	o.Providers, o.ProviderValidators, o.NetNS = 1, false, true
	o.Users = users(w)
	o.ExtraGenesis = w.Credits.Genesis
	n := harness.New(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n.Start(ctx)
	w.Credits.Bind(n)
	load := n.StartLoad(w, signers(w), harness.LoadOptions{})
	n.AssertProgress(sizes().before, 2*time.Minute)
	return n, load
}

func ctxFor(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

// catchUp waits until nd is at the height the other usable nodes had when
// it was called, and returns how long that took.
func catchUp(t *testing.T, n *harness.Network, nd *harness.Node, since time.Time) time.Duration {
	t.Helper()
	ctx, cancel := ctxFor(3 * time.Minute)
	defer cancel()
	target := n.Height(ctx)
	if err := nd.WaitHeight(ctx, target); err != nil {
		t.Fatalf("%s did not catch up to %d: %v\n%s", nd.Name, target, err, nd.LogTail(40))
	}
	return time.Since(since)
}

// finish lets the chain run a few blocks, stops the load, checks every
// node, records the figures and fails on any lost transaction.
func finish(t *testing.T, n *harness.Network, load *harness.Load, f harness.Fault) {
	t.Helper()
	n.AssertProgress(sizes().after, 2*time.Minute)
	load.Stop(45 * time.Second)
	chain, rep := n.CheckAll(load)
	f.Measure(chain)
	f.Load = rep
	n.WriteFigure(f)
	t.Logf("checked heights 1..%d on %v: identical block and app hashes, credit conservation and balances; load: %s; succeeded by message: %v",
		chain.Height, chain.Nodes, rep, load.MsgCounts(chain))
	if len(rep.Dropped) != 0 {
		t.Fatalf("%d transactions accepted by CheckTx are not in the chain", len(rep.Dropped))
	}
	if rep.InChainOK == 0 {
		t.Fatal("no load transaction succeeded")
	}
}

// assertNoProgress fails if any usable node commits a block within d.
func assertNoProgress(t *testing.T, n *harness.Network, d time.Duration) int64 {
	t.Helper()
	ctx, cancel := ctxFor(d + 10*time.Second)
	defer cancel()
	h0 := n.Height(ctx)
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if h := n.Height(ctx); h > h0 {
			t.Fatalf("the chain advanced from %d to %d without a 2/3 quorum", h0, h)
		}
		time.Sleep(250 * time.Millisecond)
	}
	return h0
}

// kill -9 one validator under load: the chain never stops; restarted, the
// node replays what it had not committed (ABCI handshake) and catches up.
func TestKillValidator(t *testing.T) {
	n, load := setup(t, harness.Options{})
	ctx, cancel := ctxFor(5 * time.Minute)
	defer cancel()
	victim := n.Node("maff")
	f := harness.Fault{Scenario: "kill -9 validator maff", From: n.Height(ctx)}
	began := time.Now()
	victim.Kill()
	n.Logf("killed %s at height %d", victim.Name, f.From)
	n.AssertProgress(sizes().before, 2*time.Minute)
	if err := victim.Start(); err != nil {
		t.Fatal(err)
	}
	f.To, f.Duration = n.Height(ctx), time.Since(began)
	f.Recovery = catchUp(t, n, victim, time.Now())
	n.Logf("%s back at height %d after %s", victim.Name, f.To, f.Recovery)
	// The app's state survived the kill: the handshake starts from its
	// last committed height, and CometBFT replays at most the last block.
	if hs := victim.LogLine("ABCI Replay Blocks"); hs == "" || strings.Contains(hs, "appHeight=0 ") {
		t.Fatalf("%s restarted without its committed state: %q", victim.Name, hs)
	} else {
		n.Logf("restart: %s", hs)
	}
	finish(t, n, load, f)
}

// Partition one validator (its network namespace's link goes down) for a
// while: the other three go on; healed, it catches up.
func TestPartitionValidator(t *testing.T) {
	n, load := setup(t, harness.Options{})
	ctx, cancel := ctxFor(5 * time.Minute)
	defer cancel()
	victim := n.Node("moe")
	f := harness.Fault{Scenario: "partition validator moe", From: n.Height(ctx)}
	began := time.Now()
	if err := victim.Partition(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(sizes().fault)
	if f.To = n.Height(ctx); f.To <= f.From {
		t.Fatalf("the chain stopped while one of four validators was partitioned (height %d)", f.To)
	}
	if err := victim.Heal(); err != nil {
		t.Fatal(err)
	}
	f.Duration = time.Since(began)
	f.Recovery = catchUp(t, n, victim, time.Now())
	finish(t, n, load, f)
}

// Pause a validator (SIGSTOP) for a while: a hung machine whose sockets
// stay open. The others go on; resumed (SIGCONT), it catches up.
func TestPauseValidator(t *testing.T) {
	n, load := setup(t, harness.Options{})
	ctx, cancel := ctxFor(5 * time.Minute)
	defer cancel()
	victim := n.Node("secretariat")
	f := harness.Fault{Scenario: "pause (SIGSTOP) validator secretariat", From: n.Height(ctx)}
	began := time.Now()
	victim.Pause()
	time.Sleep(sizes().fault)
	if f.To = n.Height(ctx); f.To <= f.From {
		t.Fatalf("the chain stopped while one of four validators was paused (height %d)", f.To)
	}
	victim.Resume()
	f.Duration = time.Since(began)
	f.Recovery = catchUp(t, n, victim, time.Now())
	finish(t, n, load, f)
}

// Stop two of the four validators: with half the voting power the chain
// must halt — and not fork. Bring one back: 3/4 again, it resumes. Bring
// the other back: it catches up.
func TestHaltWithoutForkThenResume(t *testing.T) {
	n, load := setup(t, harness.Options{})
	ctx, cancel := ctxFor(5 * time.Minute)
	defer cancel()
	a, b := n.Node("meti"), n.Node("maff")
	f := harness.Fault{Scenario: "stop 2 of 4 validators (meti, maff), restart one", From: n.Height(ctx)}
	began := time.Now()
	a.Kill()
	b.Kill()
	time.Sleep(2 * time.Second) // a block already precommitted may still land
	halted := assertNoProgress(t, n, sizes().fault)
	n.Logf("halted at height %d for %s", halted, sizes().fault)
	// The survivors agree on everything up to the halt.
	if _, err := n.CheckChain(ctx); err != nil {
		t.Fatalf("after the halt: %v", err)
	}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	for n.Height(ctx) <= halted {
		if time.Since(restarted) > 2*time.Minute {
			t.Fatalf("the chain did not resume with 3 of 4 validators\n%s", a.LogTail(40))
		}
		time.Sleep(100 * time.Millisecond)
	}
	f.Recovery = time.Since(restarted)
	f.To, f.Duration = halted, time.Since(began)
	n.Logf("resumed after %s", f.Recovery)
	n.AssertProgress(3, time.Minute)
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	catchUp(t, n, b, time.Now())
	finish(t, n, load, f)
	if f.Blocks > 1 {
		t.Fatalf("%d blocks were committed without a quorum", f.Blocks)
	}
}

// Restart every node, one at a time (clean stop, start, wait until it has
// caught up), under load: the chain never stops.
func TestRollingRestart(t *testing.T) {
	n, load := setup(t, harness.Options{})
	ctx, cancel := ctxFor(10 * time.Minute)
	defer cancel()
	f := harness.Fault{Scenario: "rolling restart of all 5 nodes", From: n.Height(ctx)}
	began := time.Now()
	for _, nd := range n.Nodes {
		nd.Stop()
		if err := nd.Start(); err != nil {
			t.Fatal(err)
		}
		if r := catchUp(t, n, nd, time.Now()); r > f.Recovery {
			f.Recovery = r
		}
		n.Logf("%s restarted and caught up", nd.Name)
		n.AssertProgress(2, time.Minute)
	}
	f.To, f.Duration = n.Height(ctx), time.Since(began)
	finish(t, n, load, f)
}

// A validator whose data directory is wiped (blocks, state, app data; its
// keys and last-signed state kept) rejoins by block sync from height 1.
func TestWipedValidatorRejoinsByBlockSync(t *testing.T) {
	n, load := setup(t, harness.Options{})
	ctx, cancel := ctxFor(5 * time.Minute)
	defer cancel()
	victim := n.Node("moe")
	f := harness.Fault{Scenario: "wipe validator moe, block sync", From: n.Height(ctx)}
	began := time.Now()
	victim.Kill()
	if err := victim.Wipe(); err != nil {
		t.Fatal(err)
	}
	n.AssertProgress(sizes().before, 2*time.Minute)
	if err := victim.Start(); err != nil {
		t.Fatal(err)
	}
	f.To, f.Duration = n.Height(ctx), time.Since(began)
	f.Recovery = catchUp(t, n, victim, time.Now())
	finish(t, n, load, f)
}

// A validator whose data directory is wiped rejoins by state sync: it
// fetches the latest snapshot from its peers, verifies it against the app
// hash its light client trusts, and starts from there instead of replaying
// every block.
func TestWipedValidatorRejoinsByStateSync(t *testing.T) {
	const interval = 10
	n, load := setup(t, harness.Options{SnapshotInterval: interval})
	ctx, cancel := ctxFor(5 * time.Minute)
	defer cancel()
	// Let at least two snapshot heights pass.
	if err := n.Node("meti").WaitHeight(ctx, 2*interval+3); err != nil {
		t.Fatal(err)
	}
	victim := n.Node("secretariat")
	f := harness.Fault{Scenario: "wipe validator secretariat, state sync", From: n.Height(ctx)}
	began := time.Now()
	victim.Kill()
	if err := victim.Wipe(); err != nil {
		t.Fatal(err)
	}
	if err := victim.EnableStateSync(ctx, n.Node("meti"), n.Node("moe")); err != nil {
		t.Fatal(err)
	}
	n.AssertProgress(3, time.Minute)
	if err := victim.Start(); err != nil {
		t.Fatal(err)
	}
	f.To, f.Duration = n.Height(ctx), time.Since(began)
	f.Recovery = catchUp(t, n, victim, time.Now())
	ok, line := victim.RestoredFromSnapshot()
	if !ok {
		t.Fatalf("%s caught up without restoring a snapshot\n%s", victim.Name, victim.LogTail(60))
	}
	base, err := victim.Base(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if base <= 1 {
		t.Fatalf("%s has blocks from height %d: it replayed history instead of starting from the snapshot", victim.Name, base)
	}
	n.Logf("%s restored from a snapshot (%s), blocks from %d", victim.Name, strings.TrimSpace(line), base)
	finish(t, n, load, f)
}
