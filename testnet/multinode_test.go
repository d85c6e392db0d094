// Multi-node tests that run in `make test` (no build tag): real jcreditd
// processes, real CometBFT consensus over loopback TCP. The longer fault
// scenarios are in testnet/e2e behind the e2e build tag.
package testnet_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jcredit/jcredit/node/testnet"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/testnet/harness"
)

// clerks are extra genesis accounts with the secretariat role, so that the
// load has several independent signers (each keeps one transaction in
// flight to keep its nonces in order).
var clerks = []testnet.User{
	{Name: "clerk1", Roles: []accountsv1.Role{accountsv1.Role_ROLE_SECRETARIAT}},
	{Name: "clerk2", Roles: []accountsv1.Role{accountsv1.Role_ROLE_SECRETARIAT}},
	{Name: "clerk3", Roles: []accountsv1.Role{accountsv1.Role_ROLE_SECRETARIAT}},
}

var signers = []string{"secretariat", "clerk1", "clerk2", "clerk3"}

// fourValidators is the administrators' network: METI, MOE, MAFF and the
// secretariat, one validator each, no provider.
func fourValidators(t *testing.T) *harness.Network {
	n := harness.New(t, harness.Options{Users: clerks})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	n.Start(ctx)
	return n
}

// Four validators commit signed transactions and report the same block
// hash and app hash at every height.
func TestFourValidatorsCommitSignedTxsWithTheSameAppHash(t *testing.T) {
	n := fourValidators(t)
	if got := len(n.Validators()); got != 4 {
		t.Fatalf("%d validators, want 4", got)
	}
	n.CheckAppLimits()
	load := n.StartLoad(harness.OpenAccounts{}, signers, harness.LoadOptions{})
	n.AssertProgress(15, 60*time.Second)
	load.Stop(30 * time.Second)

	chain, rep := n.CheckAll(load)
	total, ok := chain.TxTotals()
	t.Logf("height %d on %v; %d txs in the chain (%d succeeded); load: %s", chain.Height, chain.Nodes, total, ok, rep)
	if rep.InChainOK < 10 {
		t.Fatalf("only %d load transactions succeeded; the network is not committing", rep.InChainOK)
	}
	if len(rep.Dropped) != 0 {
		t.Fatalf("%d accepted transactions were lost", len(rep.Dropped))
	}
	if len(chain.Nodes) != 4 {
		t.Fatalf("compared %v, want all four nodes", chain.Nodes)
	}
}

// A validator killed with SIGKILL in the middle of a load comes back by the
// ABCI handshake (replaying what its app had not committed), catches up,
// and agrees on every block and app hash; no committed transaction is
// missing anywhere, and nothing accepted is lost.
func TestKilledValidatorRecoversAndCatchesUp(t *testing.T) {
	n := fourValidators(t)
	load := n.StartLoad(harness.OpenAccounts{}, signers, harness.LoadOptions{})
	n.AssertProgress(5, 60*time.Second)

	victim := n.Node("moe")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	killedAt := n.Height(ctx)
	victim.Kill()
	n.Logf("killed %s at height %d", victim.Name, killedAt)

	// Three of four validators hold more than 2/3 of the power: the chain
	// goes on without it.
	n.AssertProgress(8, 60*time.Second)
	restartAt := n.Height(ctx)
	if err := victim.Start(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := victim.WaitHeight(ctx, restartAt); err != nil {
		t.Fatalf("%s did not catch up: %v\n%s", victim.Name, err, victim.LogTail(40))
	}
	n.Logf("%s restarted at network height %d and caught up in %s", victim.Name, restartAt, time.Since(start).Round(time.Millisecond))
	// The restart went through the ABCI handshake from the app's last
	// committed height (not from scratch).
	hs := victim.LogLine("ABCI Handshake App Info")
	if hs == "" || strings.Contains(hs, " height=0 ") {
		t.Errorf("%s's restart shows no handshake from a committed height: %q", victim.Name, hs)
	}
	t.Logf("restart: %s | %s", hs, victim.LogLine("ABCI Replay Blocks"))

	n.AssertProgress(3, 60*time.Second)
	load.Stop(30 * time.Second)
	chain, rep := n.CheckAll(load)
	t.Logf("killed at %d, restarted at %d, checked to %d on %v; load: %s", killedAt, restartAt, chain.Height, chain.Nodes, rep)
	if len(rep.Dropped) != 0 {
		t.Fatalf("%d accepted transactions were lost", len(rep.Dropped))
	}
	if len(chain.Nodes) != 4 {
		t.Fatalf("compared %v, want all four nodes", chain.Nodes)
	}
}
