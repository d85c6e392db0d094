//go:build docker

// Package docker holds the smoke test of the docker compose network
// (Dockerfile, docker-compose.yml, scripts/docker-testnet.sh). It runs only
// with the build tag, as `make testnet-smoke`: it needs a docker daemon,
// root-level networking (the containers' 10.214.0.x addresses are reached
// straight from the host) and about a minute and a half.
package docker

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/testnet"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/testnet/harness"
)

// What docker-compose.yml names; the test owns them while it runs.
const (
	dockerNet       = "jcredit-testnet"
	containerPrefix = "jcredit-"
	// cut is the validator the test disconnects from the network.
	cut   = "moe"
	image = "jcredit/jcreditd:local"
)

// budget bounds the whole test (build, start, faults, checks); the
// teardown runs after it, inside go test's own -timeout.
const budget = 4 * time.Minute

// sent is one transaction the test sent and saw committed.
type sent struct {
	hash   string
	height int64
	via    string
	addr   string // the account it opened
	name   string
}

func TestComposeNetwork(t *testing.T) {
	start := time.Now()
	requireDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()

	// Fresh homes in a temporary directory: the developer's own network
	// in testnet/artifacts/compose is left alone.
	dir := t.TempDir()
	script := scriptPath(t)
	env := append(os.Environ(), "JCREDIT_NET_DIR="+dir)
	t.Cleanup(func() { teardown(t, script, env) })

	t0 := time.Now()
	if out, err := run(ctx, env, script, "up"); err != nil {
		t.Fatalf("scripts/docker-testnet.sh up: %v\n%s", err, out)
	}
	t.Logf("image built and network started in %s", time.Since(t0).Round(100*time.Millisecond))
	// FROM scratch: the image is one layer, the binary.
	if out, err := run(ctx, nil, "docker", "image", "inspect", "--format", "{{len .RootFS.Layers}}", image); err != nil || strings.TrimSpace(out) != "1" {
		t.Fatalf("image %s should be the static binary alone (1 layer): layers %q, %v", image, strings.TrimSpace(out), err)
	}

	m, err := testnet.LoadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := testnet.LoadDevKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Nodes) != 5 {
		t.Fatalf("the generated network has %d nodes, want 5 (meti, moe, maff, secretariat, provider1)", len(m.Nodes))
	}
	var nodes []*harness.Node
	byName := map[string]*harness.Node{}
	for _, spec := range m.Nodes {
		if !strings.HasPrefix(spec.Host, "10.214.0.") {
			t.Fatalf("node %s at %s: the compose network is 10.214.0.0/24", spec.Name, spec.Host)
		}
		nd := &harness.Node{Node: spec}
		nodes = append(nodes, nd)
		byName[spec.Name] = nd
	}
	victim := byName[cut]
	if victim == nil || !victim.Validator {
		t.Fatalf("%s is not a validator of the generated network", cut)
	}

	// 1. Every container's RPC reaches height 5.
	t0 = time.Now()
	if err := waitAll(ctx, nodes, 5, 90*time.Second); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Logf("all 5 nodes at height >= 5 %s after up returned", time.Since(t0).Round(100*time.Millisecond))

	sec := &signer{t: t, chainID: m.ChainID, key: keys["secretariat"]}
	if sec.key == nil {
		t.Fatal("dev-keys.json has no secretariat key")
	}
	if err := sec.init(ctx, nodes[0]); err != nil {
		t.Fatal(err)
	}
	var txs []sent

	// 2. Signed transactions through every node.
	for i, nd := range nodes {
		txs = append(txs, sec.openAccount(ctx, nd, fmt.Sprintf("before-%d", i)))
	}

	// 3. Cut one validator off; the other three hold 3/4 of the power and
	// keep committing, transactions included.
	if out, err := run(ctx, nil, "docker", "network", "disconnect", dockerNet, containerPrefix+cut); err != nil {
		t.Fatalf("docker network disconnect: %v\n%s", err, out)
	}
	cutAt := time.Now()
	var live []*harness.Node
	for _, nd := range nodes {
		if nd != victim {
			live = append(live, nd)
		}
	}
	hCut := maxHeight(ctx, live)
	t.Logf("%s disconnected at height %d", cut, hCut)
	if h, err := victim.Height(ctx); err == nil {
		t.Fatalf("%s's RPC still answers (height %d) after docker network disconnect: the partition did not happen", cut, h)
	}
	for i := 0; i < 4; i++ {
		txs = append(txs, sec.openAccount(ctx, live[i%len(live)], fmt.Sprintf("partitioned-%d", i)))
	}
	if err := waitAll(ctx, live, hCut+5, 30*time.Second); err != nil {
		t.Fatalf("with %s cut off the others stopped committing: %v", cut, err)
	}
	hHeal := maxHeight(ctx, live)
	t.Logf("the other 4 nodes went from height %d to %d in %s without %s", hCut, hHeal, time.Since(cutAt).Round(100*time.Millisecond), cut)

	// 4. Reconnect at its old address; it catches up.
	if out, err := run(ctx, nil, "docker", "network", "connect", "--ip", victim.Host, dockerNet, containerPrefix+cut); err != nil {
		t.Fatalf("docker network connect: %v\n%s", err, out)
	}
	healAt := time.Now()
	stuck := firstHeight(ctx, victim, 20*time.Second)
	if err := waitAll(ctx, []*harness.Node{victim}, hHeal, 60*time.Second); err != nil {
		t.Fatalf("%s did not catch up to height %d after reconnecting: %v", cut, hHeal, err)
	}
	t.Logf("%s (at height %d when it first answered again) caught up to height %d in %s after reconnecting", cut, stuck, hHeal, time.Since(healAt).Round(100*time.Millisecond))
	// It serves clients again: a transaction through it.
	txs = append(txs, sec.openAccount(ctx, victim, "after"))

	// 5. Every node at a common height; the chains agree at every height
	// (block hash and app hash), and every transaction is in it once.
	top := maxHeight(ctx, nodes)
	if err := waitAll(ctx, nodes, top, 30*time.Second); err != nil {
		t.Fatalf("final catch-up: %v", err)
	}
	chain, err := harness.CheckNodes(ctx, nodes)
	if err != nil {
		t.Fatalf("chain check: %v", err)
	}
	total, ok := chain.TxTotals()
	if total != len(txs) || ok != len(txs) {
		t.Errorf("the chain holds %d transactions (%d succeeded); the test sent and saw committed %d", total, ok, len(txs))
	}
	for _, s := range txs {
		hs := chain.TxHeights[s.hash]
		if len(hs) != 1 || hs[0] != s.height || chain.TxCodes[s.hash] != 0 {
			t.Errorf("tx %s (sent via %s, committed at %d): the chain has it at heights %v, code %d", s.hash, s.via, s.height, hs, chain.TxCodes[s.hash])
		}
		for _, nd := range nodes {
			acc, err := harness.QueryAccount(ctx, nd, s.addr)
			if err != nil || acc == nil || acc.LegalName != s.name {
				t.Errorf("%s: account %s opened by tx %s is missing (%v, %v)", nd.Name, s.addr, s.hash, acc, err)
			}
		}
	}
	var where []string
	for _, s := range txs {
		where = append(where, fmt.Sprintf("%d@%s", s.height, s.via))
	}
	t.Logf("transactions (height@node they were sent to): %s", strings.Join(where, " "))
	t.Logf("chain check: %d heights identical on %v; %d transactions, each committed once", chain.Height, chain.Nodes, len(txs))
	t.Logf("total %s (before teardown)", time.Since(start).Round(100*time.Millisecond))
}

// requireDocker fails the test (this is a test of the docker network, so
// no docker is a failure, not a skip) unless the docker CLI, a daemon and
// compose are all there, and the network is not already up.
func requireDocker(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("docker"); err != nil {
		t.Fatalf("docker is not installed (no docker in PATH): make testnet-smoke needs docker and docker compose")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if out, err := run(ctx, nil, "docker", "info", "--format", "{{.ServerVersion}}"); err != nil {
		t.Fatalf("the docker daemon is not reachable (`docker info` failed: %v): start it, or run as a user allowed to use it\n%s", err, out)
	}
	_, errPlugin := run(ctx, nil, "docker", "compose", "version")
	_, errV1 := run(ctx, nil, "docker-compose", "version")
	if errPlugin != nil && errV1 != nil {
		t.Fatalf("neither `docker compose` nor `docker-compose` works: install one of them")
	}
	// The compose file fixes container names, the network and its
	// addresses: a network already running would be torn down by this
	// test, so refuse instead.
	out, _ := run(ctx, nil, "docker", "ps", "-a", "--filter", "name=^"+containerPrefix, "--format", "{{.Names}}")
	nets, _ := run(ctx, nil, "docker", "network", "ls", "--filter", "name=^"+dockerNet+"$", "--format", "{{.Name}}")
	if s := strings.TrimSpace(out + nets); s != "" {
		t.Fatalf("a jcredit docker network already exists (%s): stop it with `make testnet-down` (or `docker rm -f` / `docker network rm` what is left) first",
			strings.Join(strings.Fields(s), ", "))
	}
}

// teardown stops the network; if the test failed it first prints each
// container's last log lines. Whatever compose leaves is removed by name.
func teardown(t *testing.T, script string, env []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	names, _ := run(ctx, nil, "docker", "ps", "-a", "--filter", "name=^"+containerPrefix, "--format", "{{.Names}}")
	if t.Failed() {
		for _, c := range strings.Fields(names) {
			logs, _ := run(ctx, nil, "docker", "logs", "--tail", "25", c)
			t.Logf("--- %s (last lines) ---\n%s", c, logs)
		}
	}
	t0 := time.Now()
	if out, err := run(ctx, env, script, "down"); err != nil {
		t.Errorf("scripts/docker-testnet.sh down: %v\n%s", err, out)
	}
	// Belt and braces: nothing of ours may survive the test.
	if left, _ := run(ctx, nil, "docker", "ps", "-aq", "--filter", "name=^"+containerPrefix); strings.TrimSpace(left) != "" {
		t.Errorf("containers left after down: %s", strings.Fields(left))
		_, _ = run(ctx, nil, "docker", append([]string{"rm", "-f"}, strings.Fields(left)...)...)
	}
	if left, _ := run(ctx, nil, "docker", "network", "ls", "-q", "--filter", "name=^"+dockerNet+"$"); strings.TrimSpace(left) != "" {
		t.Errorf("network %s left after down", dockerNet)
		_, _ = run(ctx, nil, "docker", "network", "rm", dockerNet)
	}
	t.Logf("teardown took %s", time.Since(t0).Round(100*time.Millisecond))
}

// signer is the secretariat, opening accounts one transaction at a time.
type signer struct {
	t       *testing.T
	chainID string
	key     *ecdsa.PrivateKey
	nonce   uint64
}

func (s *signer) init(ctx context.Context, nd *harness.Node) error {
	c, err := client.New(nd.RPC())
	if err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	s.nonce, err = c.Nonce(cctx, crypto.PubkeyToAddress(s.key.PublicKey))
	if err != nil {
		return fmt.Errorf("secretariat nonce from %s: %w", nd.Name, err)
	}
	return nil
}

// openAccount signs a MsgOpenAccount, broadcasts it to nd and waits for
// its block; the transaction must succeed.
func (s *signer) openAccount(ctx context.Context, nd *harness.Node, label string) sent {
	s.t.Helper()
	var a common.Address
	copy(a[:], crypto.Keccak256([]byte(label), []byte(time.Now().String()))[:20])
	name := "docker smoke holder " + label
	msg := &accountsv1.MsgOpenAccount{
		Address:    a.Hex(),
		LegalName:  name,
		EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION,
		Country:    "JP",
		Roles:      []accountsv1.Role{accountsv1.Role_ROLE_HOLDER},
	}
	body, err := tx.Build(s.chainID, s.nonce, "docker smoke "+label, []proto.Message{msg}...)
	if err != nil {
		s.t.Fatal(err)
	}
	raw, err := tx.Sign(body, s.key)
	if err != nil {
		s.t.Fatal(err)
	}
	c, err := client.New(nd.RPC())
	if err != nil {
		s.t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := c.Broadcast(cctx, raw)
	if err != nil {
		s.t.Fatalf("tx %q (nonce %d) via %s: %v", label, s.nonce, nd.Name, err)
	}
	s.nonce++
	return sent{hash: res.Hash, height: res.Height, via: nd.Name, addr: a.Hex(), name: name}
}

// waitAll waits (at most d) until every node reports height >= h and is
// not catching up.
func waitAll(ctx context.Context, nodes []*harness.Node, h int64, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	for _, nd := range nodes {
		var last string
		for {
			cctx, c2 := context.WithTimeout(ctx, 3*time.Second)
			st, err := nd.Client().Status(cctx)
			c2()
			if err == nil {
				if st.SyncInfo.LatestBlockHeight >= h && !st.SyncInfo.CatchingUp {
					break
				}
				last = fmt.Sprintf("at height %d, catching up %v", st.SyncInfo.LatestBlockHeight, st.SyncInfo.CatchingUp)
			} else {
				last = err.Error()
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("%s (%s) not at height %d within %s: last %s", nd.Name, nd.RPC(), h, d, last)
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	return nil
}

// firstHeight polls nd until its RPC answers (at most d) and returns the
// height it reports then (-1 if it never answered).
func firstHeight(ctx context.Context, nd *harness.Node, d time.Duration) int64 {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	for {
		if h, err := nd.Height(ctx); err == nil {
			return h
		}
		select {
		case <-ctx.Done():
			return -1
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// maxHeight is the highest height the nodes report.
func maxHeight(ctx context.Context, nodes []*harness.Node) int64 {
	var top int64
	for _, nd := range nodes {
		if h, err := nd.Height(ctx); err == nil && h > top {
			top = h
		}
	}
	return top
}

// scriptPath is scripts/docker-testnet.sh, from this package's directory.
func scriptPath(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "scripts", "docker-testnet.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("scripts/docker-testnet.sh: %v", err)
	}
	return p
}

// run runs a command and returns its combined output.
func run(ctx context.Context, env []string, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}
