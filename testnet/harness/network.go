package harness

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	cfg "github.com/cometbft/cometbft/config"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/testnet"
)

// App is the application a test network's nodes run.
type App int

const (
	// AppJCredit: every node is a `jcreditd start` process.
	AppJCredit App = iota
	// AppKVStore: every node is CometBFT's own `cometbft start` with its
	// built-in kvstore example application (see Options.KVStoreProxyApp),
	// over the same generated homes (config.toml, genesis, keys): a
	// baseline that shares everything with jcredit but the application.
	AppKVStore
)

func (a App) String() string {
	if a == AppKVStore {
		return "kvstore"
	}
	return "jcredit"
}

// DefaultKVStoreProxyApp is CometBFT's in-memory kvstore behind a
// connection-synchronised local client: the same client jcreditd uses
// (node.NewWithConfig), so both apps see the same ABCI concurrency.
const DefaultKVStoreProxyApp = "kvstore_connsync"

// Options shape a test network.
type Options struct {
	// Providers, ProviderValidators, FullNodes and Users are passed to the
	// generator (node/testnet). The four administrators always run
	// validators.
	Providers          int
	ProviderValidators bool
	FullNodes          int
	Users              []testnet.User
	// NetNS puts every node in its own Linux network namespace on a
	// private bridge, so that Partition can cut a node off. Needs root and
	// iproute2.
	NetNS bool
	// SnapshotInterval enables the app's state-sync snapshots.
	SnapshotInterval uint64
	// ExtraGenesis adds app_state entries (see testnet.Config).
	ExtraGenesis func(addresses map[string]string) (map[string]json.RawMessage, error)
	// LogLevel of the nodes ("info" by default; logs go to <home>/node.log).
	LogLevel string

	// App is what the nodes run (jcreditd unless set).
	App App
	// KVStoreProxyApp is cometbft's --proxy_app for AppKVStore
	// (DefaultKVStoreProxyApp unless set).
	KVStoreProxyApp string
	// GeneratorTimeouts keeps the consensus timeouts the generator writes
	// for `jcreditd testnet` (testnet.DefaultConfig) instead of the
	// harness's shorter ones.
	GeneratorTimeouts bool
	// Generator writes the network's homes (testnet.Generate unless set;
	// ReleaseGenerator runs an earlier release's own `jcreditd testnet`).
	Generator func(c testnet.Config) (*testnet.Manifest, error)
	// Bin is the jcreditd the nodes start with (this tree's unless set);
	// Node.Bin switches one node to another binary.
	Bin string
	// Configure, if set, edits each node's config.toml after generation
	// (e.g. to turn on Prometheus or the pprof listener).
	Configure func(nd testnet.Node, c *cfg.Config)
}

// Network is a running test network.
type Network struct {
	T        testing.TB
	Dir      string
	Manifest *testnet.Manifest
	Keys     map[string]*ecdsa.PrivateKey
	Bin      string
	Nodes    []*Node
	// App is what the nodes run; startArgs follow `start --home <home>`.
	App       App
	startArgs []string

	ns *netns

	mu  sync.Mutex
	rnd *rand.Rand
}

// New generates a network in a temporary directory; nothing runs until
// Start. Everything it starts is stopped when the test ends.
func New(t testing.TB, o Options) *Network {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatalf("build jcreditd: %v", err)
	}
	var startArgs []string
	if o.App == AppKVStore {
		if bin, err = CometBFTBinary(); err != nil {
			t.Fatalf("build cometbft: %v", err)
		}
		proxy := o.KVStoreProxyApp
		if proxy == "" {
			proxy = DefaultKVStoreProxyApp
		}
		startArgs = []string{"--proxy_app=" + proxy}
	}
	if o.Bin != "" {
		bin = o.Bin
	}
	dir := t.TempDir()
	c := testnet.DefaultConfig(dir)
	c.ChainID = "jcredit-e2e"
	c.Providers = o.Providers
	c.ProviderValidators = o.ProviderValidators
	c.FullNodes = o.FullNodes
	c.Users = o.Users
	c.SnapshotInterval = o.SnapshotInterval
	c.LogLevel = o.LogLevel
	c.ExtraGenesis = o.ExtraGenesis
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	if !o.GeneratorTimeouts {
		// Short timeouts: blocks every ~0.5 s on loopback, and a missing
		// proposer costs about a second.
		c.TimeoutPropose = time.Second
		c.TimeoutVote = 300 * time.Millisecond
		c.TimeoutCommit = 300 * time.Millisecond
	}

	n := &Network{T: t, Dir: dir, Bin: bin, App: o.App, startArgs: startArgs, rnd: rand.New(rand.NewSource(time.Now().UnixNano()))}
	if o.NetNS {
		ns, err := newNetNS(4 + o.Providers + o.FullNodes)
		if err != nil {
			t.Fatalf("network namespaces: %v", err)
		}
		n.ns = ns
		t.Cleanup(func() { ns.teardown() })
		c.StartIP = ns.nodeIP(0)
	} else {
		// A random loopback address per network: parallel tests and a
		// running localnet (127.0.0.x) never collide on ports.
		c.StartIP = fmt.Sprintf("127.%d.%d.2", 1+n.rnd.Intn(250), 1+n.rnd.Intn(250))
	}
	gen := testnet.Generate
	if o.Generator != nil {
		gen = o.Generator
	}
	m, err := gen(c)
	if err != nil {
		t.Fatalf("generate network: %v", err)
	}
	n.Manifest = m
	n.Keys, err = testnet.LoadDevKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, spec := range m.Nodes {
		nd := &Node{Node: spec, net: n, Home: filepath.Join(dir, spec.Home), index: i}
		if n.ns != nil {
			nd.nsName = n.ns.name(i)
		}
		n.Nodes = append(n.Nodes, nd)
		if o.Configure != nil {
			conf, err := node.LoadConfig(nd.Home)
			if err != nil {
				t.Fatal(err)
			}
			o.Configure(spec, conf)
			cfg.WriteConfigFile(node.ConfigFile(nd.Home), conf)
		}
	}
	t.Cleanup(n.stopAll)
	return n
}

// Start starts every node and waits until the chain has committed a block
// and every node has it.
func (n *Network) Start(ctx context.Context) {
	n.T.Helper()
	for _, nd := range n.Nodes {
		if err := nd.Start(); err != nil {
			n.T.Fatalf("start %s: %v", nd.Name, err)
		}
	}
	for _, nd := range n.Nodes {
		if err := nd.WaitHeight(ctx, 2); err != nil {
			n.T.Fatalf("%s: %v\n%s", nd.Name, err, nd.LogTail(40))
		}
	}
}

func (n *Network) stopAll() {
	for _, nd := range n.Nodes {
		nd.Resume()
		nd.Kill()
	}
	if n.T.Failed() {
		for _, nd := range n.Nodes {
			n.T.Logf("---- last log lines of %s (%s)\n%s", nd.Name, nd.LogPath(), nd.LogTail(30))
		}
	}
}

// Node returns the node with the given name.
func (n *Network) Node(name string) *Node {
	for _, nd := range n.Nodes {
		if nd.Name == name {
			return nd
		}
	}
	n.T.Fatalf("no node %q", name)
	return nil
}

// Validators returns the validator nodes.
func (n *Network) Validators() []*Node {
	var out []*Node
	for _, nd := range n.Nodes {
		if nd.Validator {
			out = append(out, nd)
		}
	}
	return out
}

// Live returns the nodes that are running and not paused or partitioned:
// those a client can use.
func (n *Network) Live() []*Node {
	var out []*Node
	for _, nd := range n.Nodes {
		if nd.Usable() {
			out = append(out, nd)
		}
	}
	return out
}

// AnyLive returns a random usable node, or nil.
func (n *Network) AnyLive() *Node {
	live := n.Live()
	if len(live) == 0 {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return live[n.rnd.Intn(len(live))]
}

// Height is the highest height any usable node reports.
func (n *Network) Height(ctx context.Context) int64 {
	var h int64
	for _, nd := range n.Live() {
		if x, err := nd.Height(ctx); err == nil && x > h {
			h = x
		}
	}
	return h
}

// WaitBlocks waits until the chain (as seen by usable nodes) has advanced
// by k blocks.
func (n *Network) WaitBlocks(ctx context.Context, k int64) error {
	start := n.Height(ctx)
	for {
		if n.Height(ctx) >= start+k {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("chain did not advance %d blocks from %d: %w", k, start, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// WaitAllAt waits until every running node has reached height h.
func (n *Network) WaitAllAt(ctx context.Context, h int64) error {
	for _, nd := range n.Nodes {
		if !nd.Running() {
			continue
		}
		if err := nd.WaitHeight(ctx, h); err != nil {
			return fmt.Errorf("%s: %w", nd.Name, err)
		}
	}
	return nil
}

// AssertProgress fails unless the chain advances by k blocks within d.
func (n *Network) AssertProgress(k int64, d time.Duration) {
	n.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := n.WaitBlocks(ctx, k); err != nil {
		n.T.Fatal(err)
	}
}

// Logf logs with a timestamp, for the fault timelines.
func (n *Network) Logf(format string, args ...any) {
	n.T.Helper()
	n.T.Logf("%s "+format, append([]any{time.Now().Format("15:04:05.000")}, args...)...)
}

// exists reports whether path exists.
func exists(path string) bool { _, err := os.Stat(path); return err == nil }

// CheckAppLimits fails the test unless every node's home carries the
// app's limits, as `jcreditd testnet` writes them: the genesis
// block.max_gas is the app's block gas limit and the mempool refuses
// transactions larger than the app accepts. Both apps of a benchmark run
// over homes generated alike.
func (n *Network) CheckAppLimits() {
	n.T.Helper()
	for _, nd := range n.Nodes {
		c, err := node.LoadConfig(nd.Home)
		if err != nil {
			n.T.Fatalf("%s: %v", nd.Name, err)
		}
		if c.Mempool.MaxTxBytes != tx.MaxTxBytes {
			n.T.Fatalf("%s: mempool.max_tx_bytes = %d, the app's limit is %d", nd.Name, c.Mempool.MaxTxBytes, tx.MaxTxBytes)
		}
		doc, err := node.ReadGenesis(nd.Home)
		if err != nil {
			n.T.Fatalf("%s: %v", nd.Name, err)
		}
		if doc.ConsensusParams.Block.MaxGas != app.DefaultBlockMaxGas {
			n.T.Fatalf("%s: genesis block.max_gas = %d, the app's block gas limit is %d", nd.Name, doc.ConsensusParams.Block.MaxGas, app.DefaultBlockMaxGas)
		}
	}
}
