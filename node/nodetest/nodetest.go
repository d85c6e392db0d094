// Package nodetest runs real single-validator jcredit nodes (CometBFT in
// process, real RPC on a loopback port, state on disk in a temp dir) for
// tests: NewHome writes a home with fast block times and free ports, Start
// runs a node over it until the test ends.
package nodetest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	cfg "github.com/cometbft/cometbft/config"
	"github.com/ethereum/go-ethereum/common"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/client"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

// ChainID of test nodes.
const ChainID = "jcredit-node-test"

// BlockTime is the pause after each block in test nodes.
const BlockTime = 100 * time.Millisecond

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// FreshPorts gives c free loopback ports for RPC and p2p.
func FreshPorts(t testing.TB, c *cfg.Config) {
	t.Helper()
	c.RPC.ListenAddress = fmt.Sprintf("tcp://127.0.0.1:%d", FreePort(t))
	c.P2P.ListenAddress = fmt.Sprintf("tcp://127.0.0.1:%d", FreePort(t))
}

// AddrInUse reports whether err is a listener failing because its port is
// taken: a port FreePort found free can be taken by another process before
// the node binds it. CometBFT's p2p listener returns the net error itself,
// but its RPC listener formats it with %v, so the text is checked too.
func AddrInUse(err error) bool {
	return err != nil && (errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use"))
}

// StartAttempts bounds the retries of a node start whose port was taken.
const StartAttempts = 5

// FastConfig makes c a quick, private test node: free loopback ports for
// RPC and p2p, 100 ms blocks, no Prometheus or pprof listener, errors-only
// logging.
func FastConfig(t testing.TB, c *cfg.Config) {
	t.Helper()
	FreshPorts(t, c)
	c.RPC.PprofListenAddress = ""
	c.Instrumentation.Prometheus = false
	c.LogLevel = "error"
	c.Consensus.TimeoutPropose = 500 * time.Millisecond
	c.Consensus.TimeoutPrevote = 100 * time.Millisecond
	c.Consensus.TimeoutPrecommit = 100 * time.Millisecond
	c.Consensus.TimeoutCommit = BlockTime //nolint:staticcheck // still the block interval in v1.0
}

// NewHome writes a single-validator home in a temp dir whose genesis opens
// accs (apptest's deterministic keys, e.g. apptest.DefaultAccounts()), with
// FastConfig applied to config.toml.
func NewHome(t testing.TB, accs []apptest.GenesisAccount) string {
	t.Helper()
	home := t.TempDir()
	if _, err := node.InitHome(home, "test-node", ChainID); err != nil {
		t.Fatal(err)
	}
	doc, err := node.ReadGenesis(home)
	if err != nil {
		t.Fatal(err)
	}
	operator := ""
	for _, a := range accs {
		kind := a.Kind
		if kind == accountsv1.EntityKind_ENTITY_KIND_UNSPECIFIED {
			kind = accountsv1.EntityKind_ENTITY_KIND_CORPORATION
		}
		acc := &accountsv1.Account{
			Address: apptest.Addr(a.Name).Hex(), LegalName: a.Name, EntityKind: kind, Country: "JP", Roles: a.Roles,
		}
		if err := node.AddAccountToGenesis(doc, acc); err != nil {
			t.Fatal(err)
		}
		if operator == "" && node.CanOperateValidator(acc) {
			operator = acc.Address
		}
	}
	// The first account allowed to run a validator runs this one.
	pub, err := node.HomeValidator(home)
	if err != nil {
		t.Fatal(err)
	}
	if err := node.SetValidatorOperator(doc, pub, operator); err != nil {
		t.Fatal(err)
	}
	if err := node.WriteGenesis(home, doc); err != nil {
		t.Fatal(err)
	}
	c, err := node.LoadConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	FastConfig(t, c)
	if err := node.WriteConfig(c); err != nil {
		t.Fatal(err)
	}
	return home
}

// Start runs a node over home until the test ends (or until the caller
// stops it), and waits until the app has committed the first block, so
// that transactions can be checked against committed state. If a port in
// home's config.toml was taken meanwhile, it writes fresh ones there and
// starts again (n.RPCAddress gives the address used).
func Start(t testing.TB, home string) *node.Node {
	t.Helper()
	w := &testWriter{t: t}
	t.Cleanup(w.close) // registered first, so it runs after Stop
	var n *node.Node
	for attempt := 1; ; attempt++ {
		c, err := node.LoadConfig(home)
		if err != nil {
			t.Fatal(err)
		}
		logger, err := node.NewLogger(w, c.LogFormat, c.LogLevel)
		if err != nil {
			t.Fatal(err)
		}
		n, err = node.NewWithConfig(c, logger)
		if err != nil {
			t.Fatal(err)
		}
		err = n.Start() // on failure the node is stopped and its state closed
		if err == nil {
			break
		}
		if !AddrInUse(err) || attempt == StartAttempts {
			t.Fatal(err)
		}
		t.Logf("start attempt %d: %v; retrying on fresh ports", attempt, err)
		FreshPorts(t, c)
		if err := node.WriteConfig(c); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if err := n.Stop(); err != nil {
			t.Errorf("stop node: %v", err)
		}
	})
	// CometBFT reports height 1 once block 1 is stored, a moment before
	// the app has committed it; at height 2 block 1's state is queryable.
	WaitHeight(t, Client(t, n), 2)
	return n
}

// Client returns an RPC client for n.
func Client(t testing.TB, n *node.Node) *client.Client {
	t.Helper()
	c, err := client.New(n.RPCAddress())
	if err != nil {
		t.Fatal(err)
	}
	c.PollInterval = 20 * time.Millisecond
	return c
}

// WaitHeight waits (up to 30 s) until the node has committed height h.
func WaitHeight(t testing.TB, c *client.Client, h int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		st, err := c.Status(ctx)
		if err == nil && st.SyncInfo.LatestBlockHeight >= h {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("node did not reach height %d: %v (last error %v)", h, ctx.Err(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Addr is apptest's address for name (re-exported for readability).
func Addr(name string) common.Address { return apptest.Addr(name) }

// testWriter sends node logs to the test log (shown on failure) until
// the test ends; stray lines from goroutines winding down are dropped.
type testWriter struct {
	mu   sync.Mutex
	t    testing.TB
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Logf("%s", p)
	}
	return len(p), nil
}

func (w *testWriter) close() {
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
}
