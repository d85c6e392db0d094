package testnet_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cometbft/cometbft/types"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/testnet"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

func TestGenerateWritesAReadyNetwork(t *testing.T) {
	dir := t.TempDir()
	c := testnet.DefaultConfig(dir)
	c.Providers = 2
	c.FullNodes = 1
	c.Users = []testnet.User{{Name: "holder1", Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER}}}
	m, err := testnet.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, filepath.Join(dir, "keys")} {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v (%v), want 0700", d, fi.Mode().Perm(), err)
		}
	}
	if got := len(m.Nodes); got != 7 {
		t.Fatalf("nodes: got %d, want 4 administrators + 2 providers + 1 full node", got)
	}
	if got := len(m.Validators()); got != 6 {
		t.Fatalf("validators: got %d, want 6", got)
	}

	// Every node has the same genesis, with every validator in it.
	var first []byte
	for _, n := range m.Nodes {
		bz, err := os.ReadFile(filepath.Join(dir, n.Home, "config", "genesis.json"))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = bz
		} else if string(bz) != string(first) {
			t.Fatalf("%s has a different genesis", n.Name)
		}
		cfgBz, err := os.ReadFile(filepath.Join(dir, n.Home, "config", "config.toml"))
		if err != nil {
			t.Fatal(err)
		}
		// Issue 11, finding 8: node homes were 0755; metrics, if turned
		// on, must listen on the loopback interface only.
		for _, d := range []string{"", "config", "data"} {
			fi, err := os.Stat(filepath.Join(dir, n.Home, d))
			if err != nil || fi.Mode().Perm() != 0o700 {
				t.Errorf("%s/%s: mode %v (%v), want 0700", n.Home, d, fi.Mode().Perm(), err)
			}
		}
		if !strings.Contains(string(cfgBz), `prometheus_listen_addr = "127.0.0.1:`) {
			t.Errorf("%s: metrics would listen beyond the loopback interface", n.Name)
		}
		// Peers: every other node, never itself.
		for _, o := range m.Nodes {
			has := strings.Contains(string(cfgBz), o.P2P())
			if has == (o.Name == n.Name) {
				t.Errorf("%s config: peer %s present=%v", n.Name, o.Name, has)
			}
		}
	}
	gen, err := types.GenesisDocFromFile(filepath.Join(dir, "meti", "config", "genesis.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(gen.Validators) != 6 || gen.ChainID != c.ChainID {
		t.Fatalf("genesis: %d validators, chain %q", len(gen.Validators), gen.ChainID)
	}
	// The app's limits: block gas in the genesis, transaction size in
	// every node's mempool.
	if gen.ConsensusParams.Block.MaxGas != app.DefaultBlockMaxGas {
		t.Fatalf("genesis block.max_gas = %d, want %d", gen.ConsensusParams.Block.MaxGas, app.DefaultBlockMaxGas)
	}
	for _, n := range m.Nodes {
		conf, err := node.LoadConfig(filepath.Join(dir, n.Home))
		if err != nil {
			t.Fatal(err)
		}
		if conf.Mempool.MaxTxBytes != tx.MaxTxBytes {
			t.Fatalf("%s: mempool.max_tx_bytes = %d, want %d", n.Name, conf.Mempool.MaxTxBytes, tx.MaxTxBytes)
		}
	}

	// The app_state is a valid accounts genesis with the scheme's roles.
	var state map[string]json.RawMessage
	if err := json.Unmarshal(gen.AppState, &state); err != nil {
		t.Fatal(err)
	}
	g := &accountsv1.GenesisState{}
	if err := protojson.Unmarshal(state["accounts"], g); err != nil {
		t.Fatal(err)
	}
	if err := accounts.ValidateGenesis(g); err != nil {
		t.Fatalf("accounts genesis invalid: %v", err)
	}
	roles := map[string]accountsv1.Role{}
	for _, a := range g.Accounts {
		roles[a.LegalName] = a.Roles[0]
	}
	for name, want := range map[string]accountsv1.Role{
		"Ministry of Economy, Trade and Industry":         accountsv1.Role_ROLE_MINISTRY,
		"Ministry of the Environment":                     accountsv1.Role_ROLE_MINISTRY,
		"Ministry of Agriculture, Forestry and Fisheries": accountsv1.Role_ROLE_MINISTRY,
		"J-Credit System Secretariat":                     accountsv1.Role_ROLE_SECRETARIAT,
		"provider1":                                       accountsv1.Role_ROLE_PROVIDER,
		"holder1":                                         accountsv1.Role_ROLE_HOLDER,
	} {
		if roles[name] != want {
			t.Errorf("%s: role %v, want %v", name, roles[name], want)
		}
	}

	// dev-keys.json and the keystore files hold the genesis accounts' keys.
	keys, err := testnet.LoadDevKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range m.Accounts {
		k := keys[a.Name]
		if k == nil || crypto.PubkeyToAddress(k.PublicKey).Hex() != a.Address {
			t.Errorf("dev key for %s does not match its address", a.Name)
		}
	}
	ksFiles, err := os.ReadDir(filepath.Join(dir, "meti", testnet.KeystoreDir))
	if all, _ := os.ReadDir(filepath.Join(dir, testnet.KeystoreDir)); len(all) != len(m.Accounts) {
		t.Errorf("DIR/keys has %d files for %d accounts", len(all), len(m.Accounts))
	}
	if err != nil || len(ksFiles) != 1 {
		t.Fatalf("meti keystore: %v, %d files", err, len(ksFiles))
	}
	bz, err := os.ReadFile(filepath.Join(dir, "meti", testnet.KeystoreDir, ksFiles[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	k, err := keystore.DecryptKey(bz, c.KeyPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	if k.Address != crypto.PubkeyToAddress(keys["meti"].PublicKey) {
		t.Fatal("meti keystore holds another key")
	}

	if _, err := testnet.Generate(c); !errors.Is(err, testnet.ErrExists) {
		t.Fatalf("second Generate into the same directory: %v, want ErrExists", err)
	}
}

func TestAddressing(t *testing.T) {
	c := testnet.DefaultConfig(t.TempDir())
	c.StartIP = "127.0.0.2"
	m, err := testnet.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"} {
		n := m.Nodes[i]
		if n.Host != want || n.RPCPort != testnet.DefaultRPCPort || n.RPC() != "http://"+want+":26657" {
			t.Errorf("node %d: %s %s", i, n.Host, n.RPC())
		}
	}

	c = testnet.DefaultConfig(t.TempDir())
	c.Hostnames = []string{"meti", "moe", "maff", "secretariat", "provider1"}
	c.ListenAll = true
	m, err = testnet.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	if n := m.Nodes[1]; n.P2PListen != "0.0.0.0:26656" || !strings.HasSuffix(n.P2P(), "@moe:26656") {
		t.Errorf("compose addressing: listen %s, peer %s", n.P2PListen, n.P2P())
	}

	c = testnet.DefaultConfig(t.TempDir())
	c.PortStep = 1
	if _, err := testnet.Generate(c); err == nil {
		t.Error("a port step of 1 on one host must be refused (ports would collide)")
	}
}
