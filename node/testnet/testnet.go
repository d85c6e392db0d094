package testnet

import (
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	cfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/types"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/keys"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

// DefaultKeyPassphrase encrypts a generated network's keystore files. The
// keys of a test network are not secret (dev-keys.json has them in clear).
const DefaultKeyPassphrase = "localnet"

// Standard ports of a node when every node has its own host.
const (
	DefaultP2PPort = 26656
	DefaultRPCPort = 26657
	DefaultAPIPort = 1317
)

// ValidatorPower is every genesis validator's voting power: all equal.
const ValidatorPower = 10

// Administrators are the scheme's genesis organisations, each running a
// validator.
var Administrators = []string{"meti", "moe", "maff", "secretariat"}

// Config describes the network to generate. The zero value is not valid:
// start from DefaultConfig.
type Config struct {
	ChainID string
	// OutputDir receives one directory per node plus the manifest.
	OutputDir string

	// Providers is the number of provider organisations (provider1, …);
	// each runs a node and has a genesis account with the provider role.
	Providers int
	// ProviderValidators makes the provider nodes validators; otherwise
	// they are full nodes.
	ProviderValidators bool
	// FullNodes adds that many non-validator nodes (full1, …) with no
	// organisation account.
	FullNodes int

	// Users are extra genesis accounts (for load and demos); they run no
	// node.
	Users []User

	// Addressing. With StartIP set, node i listens on StartIP+i with the
	// standard ports. With Hostnames set (docker compose service names),
	// node i is Hostnames[i] with the standard ports. Otherwise every node
	// is on Host (default 127.0.0.1) and node i's ports are the base ports
	// plus i*PortStep.
	StartIP   string
	Hostnames []string
	Host      string
	P2PPort   int
	RPCPort   int
	APIPort   int
	PortStep  int
	// ListenAll binds the listeners to 0.0.0.0 (containers) rather than to
	// the node's own address.
	ListenAll bool

	// Timeouts. Fast defaults suit loopback and tests; a real deployment
	// keeps CometBFT's.
	TimeoutPropose time.Duration
	TimeoutVote    time.Duration
	TimeoutCommit  time.Duration

	// SnapshotInterval is written to each node's config/app.toml: the app
	// offers a state-sync snapshot every that many blocks (0: none).
	SnapshotInterval uint64

	// KeyPassphrase encrypts the keystore files (Web3 Secret Storage);
	// DefaultKeyPassphrase unless set.
	KeyPassphrase string
	// LightKDF uses go-ethereum's light scrypt parameters: fine for a
	// throwaway network, much faster to generate and unlock.
	LightKDF bool

	// ExtraGenesis, if set, returns more app_state entries (keyed by
	// module name, e.g. "credits") given every genesis account's address
	// by name; the accounts entry is always the generator's.
	ExtraGenesis func(addresses map[string]string) (map[string]json.RawMessage, error)

	// GenesisTime defaults to now.
	GenesisTime time.Time
	// LogLevel for config.toml ("info", "error", …).
	LogLevel string
}

// User is an extra genesis account.
type User struct {
	Name  string
	Roles []accountsv1.Role
	Kind  accountsv1.EntityKind
}

// DefaultConfig is four administrator validators, one provider validator,
// on one loopback address with ports counted up by 10.
func DefaultConfig(outputDir string) Config {
	return Config{
		ChainID:            "jcredit-localnet",
		OutputDir:          outputDir,
		Providers:          1,
		ProviderValidators: true,
		Host:               "127.0.0.1",
		P2PPort:            DefaultP2PPort,
		RPCPort:            DefaultRPCPort,
		APIPort:            DefaultAPIPort,
		PortStep:           10,
		TimeoutPropose:     1500 * time.Millisecond,
		TimeoutVote:        500 * time.Millisecond,
		// 250 ms, not 500: measured with make bench's brief run
		// (BENCH_NET_TIMEOUT_COMMIT), kvstore's blocks at a limited rate
		// came every 0.54 s instead of 0.81 s and its p99
		// submit-to-commit fell from 1.6 s to 1.2 s; a transaction waits
		// for about two block intervals.
		TimeoutCommit: 250 * time.Millisecond,
		KeyPassphrase: DefaultKeyPassphrase,
		LightKDF:      true,
		LogLevel:      "info",
	}
}

// Manifest describes a generated network; it is written to
// DIR/network.json.
type Manifest struct {
	ChainID string `json:"chain_id"`
	Nodes   []Node `json:"nodes"`
	// Accounts lists every genesis account (organisations and users).
	Accounts []Account `json:"accounts"`
}

// Node is one generated node.
type Node struct {
	Name      string `json:"name"`
	Home      string `json:"home"` // relative to the manifest's directory
	NodeID    string `json:"node_id"`
	Validator bool   `json:"validator"`
	// Account is the organisation's account name ("" for plain full
	// nodes).
	Account string `json:"account,omitempty"`
	// Host is where the node is reached; the listen addresses below may be
	// 0.0.0.0.
	Host       string `json:"host"`
	P2PPort    int    `json:"p2p_port"`
	RPCPort    int    `json:"rpc_port"`
	APIPort    int    `json:"api_port"`
	P2PListen  string `json:"p2p_listen"`
	RPCListen  string `json:"rpc_listen"`
	APIListen  string `json:"api_listen"`
	ValAddress string `json:"validator_address,omitempty"`
}

// RPC is the node's CometBFT RPC URL.
func (n Node) RPC() string {
	return fmt.Sprintf("http://%s", net.JoinHostPort(n.Host, fmt.Sprint(n.RPCPort)))
}

// API is the node's public HTTP API URL.
func (n Node) API() string {
	return fmt.Sprintf("http://%s", net.JoinHostPort(n.Host, fmt.Sprint(n.APIPort)))
}

// P2P is the node's peer address (id@host:port).
func (n Node) P2P() string {
	return p2p.IDAddressString(p2p.ID(n.NodeID), net.JoinHostPort(n.Host, fmt.Sprint(n.P2PPort)))
}

// Account is a genesis account.
type Account struct {
	Name    string   `json:"name"`
	Address string   `json:"address"`
	Roles   []string `json:"roles"`
}

// DevKey is one entry of dev-keys.json.
type DevKey struct {
	Name       string `json:"name"`
	Address    string `json:"address"`
	PrivateKey string `json:"private_key"` // hex, no 0x
}

// DevKeys is dev-keys.json: every genesis account's key in clear.
type DevKeys struct {
	Warning string   `json:"WARNING"`
	ChainID string   `json:"chain_id"`
	Keys    []DevKey `json:"keys"`
}

// DevKeysWarning heads dev-keys.json.
const DevKeysWarning = "TEST ONLY: these private keys are stored in clear so that tests and load generators can sign. Never use this network or these keys for real credits."

// Files inside the output directory.
const (
	ManifestFile = "network.json"
	DevKeysFile  = "dev-keys.json"
	// KeystoreDir is the keyring directory inside a node home (and inside
	// DIR, which holds every genesis account's key).
	KeystoreDir = "keys"
)

// ErrExists is returned when the output directory already holds a network.
var ErrExists = errors.New("output directory already holds a network")

type nodePlan struct {
	name      string
	account   string
	validator bool
}

func (c Config) plan() []nodePlan {
	var out []nodePlan
	for _, a := range Administrators {
		out = append(out, nodePlan{name: a, account: a, validator: true})
	}
	for i := 1; i <= c.Providers; i++ {
		n := fmt.Sprintf("provider%d", i)
		out = append(out, nodePlan{name: n, account: n, validator: c.ProviderValidators})
	}
	for i := 1; i <= c.FullNodes; i++ {
		out = append(out, nodePlan{name: fmt.Sprintf("full%d", i)})
	}
	return out
}

func (c Config) validate(n int) error {
	if c.ChainID == "" {
		return fmt.Errorf("chain id is empty")
	}
	if c.OutputDir == "" {
		return fmt.Errorf("output directory is empty")
	}
	if len(c.Hostnames) > 0 && len(c.Hostnames) != n {
		return fmt.Errorf("%d hostnames given for %d nodes", len(c.Hostnames), n)
	}
	if c.StartIP != "" && net.ParseIP(c.StartIP).To4() == nil {
		return fmt.Errorf("start IP %q is not an IPv4 address", c.StartIP)
	}
	if c.StartIP == "" && len(c.Hostnames) == 0 && c.PortStep < 3 {
		return fmt.Errorf("nodes share host %s, so the port step must be at least 3 (P2P, RPC, API), got %d", c.Host, c.PortStep)
	}
	return nil
}

// address returns node i's host and ports.
func (c Config) address(i int) (host string, p2pPort, rpcPort, apiPort int) {
	switch {
	case len(c.Hostnames) > 0:
		return c.Hostnames[i], c.P2PPort, c.RPCPort, c.APIPort
	case c.StartIP != "":
		ip := net.ParseIP(c.StartIP).To4()
		v := uint32(ip[0])<<24 | uint32(ip[1])<<16 | uint32(ip[2])<<8 | uint32(ip[3])
		v += uint32(i)
		return net.IPv4(byte(v>>24), byte(v>>16), byte(v>>8), byte(v)).String(), c.P2PPort, c.RPCPort, c.APIPort
	default:
		host := c.Host
		if host == "" {
			host = "127.0.0.1"
		}
		off := i * c.PortStep
		return host, c.P2PPort + off, c.RPCPort + off, c.APIPort + off
	}
}

// Generate writes the network described by c and returns its manifest. It
// refuses to overwrite an existing network.
func Generate(c Config) (*Manifest, error) {
	plan := c.plan()
	if err := c.validate(len(plan)); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(c.OutputDir, ManifestFile)); err == nil {
		return nil, fmt.Errorf("%w: %s", ErrExists, c.OutputDir)
	}
	if c.GenesisTime.IsZero() {
		c.GenesisTime = time.Now().UTC().Truncate(time.Second)
	}
	// The directory holds every node's keys: private to its owner.
	if err := node.PrivateDir(c.OutputDir); err != nil {
		return nil, err
	}
	m := &Manifest{ChainID: c.ChainID}
	keys := &DevKeys{Warning: DevKeysWarning, ChainID: c.ChainID}
	accGen := &accountsv1.GenesisState{}
	var genVals []types.GenesisValidator

	addAccount := func(name string, kind accountsv1.EntityKind, roles []accountsv1.Role) (*ecdsa.PrivateKey, error) {
		key, err := crypto.GenerateKey()
		if err != nil {
			return nil, err
		}
		// Every account's key also goes to DIR/keys, so that DIR works as
		// a client home (--home DIR) that can sign as anyone.
		if err := writeKeystore(node.KeysDir(c.OutputDir), name, key, c.KeyPassphrase, c.LightKDF); err != nil {
			return nil, fmt.Errorf("%s: keystore: %w", name, err)
		}
		addr := crypto.PubkeyToAddress(key.PublicKey).Hex()
		accGen.Accounts = append(accGen.Accounts, &accountsv1.Account{
			Address: addr, LegalName: legalName(name), EntityKind: kind, Country: "JP", Roles: roles,
		})
		var rs []string
		for _, r := range roles {
			rs = append(rs, strings.ToLower(strings.TrimPrefix(r.String(), "ROLE_")))
		}
		m.Accounts = append(m.Accounts, Account{Name: name, Address: addr, Roles: rs})
		keys.Keys = append(keys.Keys, DevKey{Name: name, Address: addr, PrivateKey: hex.EncodeToString(crypto.FromECDSA(key))})
		return key, nil
	}

	conf := cfg.DefaultConfig()
	for i, p := range plan {
		home := filepath.Join(c.OutputDir, p.name)
		for _, d := range []string{home, filepath.Join(home, "config"), filepath.Join(home, "data")} {
			if err := node.PrivateDir(d); err != nil {
				return nil, err
			}
		}
		conf.SetRoot(home)
		pv, err := privval.GenFilePV(conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile(), nil)
		if err != nil {
			return nil, fmt.Errorf("%s: validator key: %w", p.name, err)
		}
		pv.Save()
		nk, err := p2p.LoadOrGenNodeKey(conf.NodeKeyFile())
		if err != nil {
			return nil, fmt.Errorf("%s: node key: %w", p.name, err)
		}
		host, pp, rp, ap := c.address(i)
		listen := host
		if c.ListenAll {
			listen = "0.0.0.0"
		}
		n := Node{
			Name: p.name, Home: p.name, NodeID: string(nk.ID()), Validator: p.validator, Account: p.account,
			Host: host, P2PPort: pp, RPCPort: rp, APIPort: ap,
			P2PListen: net.JoinHostPort(listen, fmt.Sprint(pp)),
			RPCListen: net.JoinHostPort(listen, fmt.Sprint(rp)),
			APIListen: net.JoinHostPort(listen, fmt.Sprint(ap)),
		}
		if p.validator {
			pub, err := pv.GetPubKey()
			if err != nil {
				return nil, err
			}
			n.ValAddress = pub.Address().String()
			genVals = append(genVals, types.GenesisValidator{Address: pub.Address(), PubKey: pub, Power: ValidatorPower, Name: p.name})
		}
		m.Nodes = append(m.Nodes, n)

		if p.account != "" {
			kind, roles := orgAccount(p.account)
			key, err := addAccount(p.account, kind, roles)
			if err != nil {
				return nil, err
			}
			if p.validator {
				// The accounts module must know which account operates each
				// genesis validator (for validator-set governance).
				pub, _ := pv.GetPubKey()
				accGen.Validators = append(accGen.Validators, &accountsv1.Validator{
					PubKey: pub.Bytes(), PubKeyType: pub.Type(), Power: ValidatorPower,
					Operator: crypto.PubkeyToAddress(key.PublicKey).Hex(), Name: p.name, Address: pub.Address().String(),
				})
			}
			if err := writeKeystore(node.KeysDir(home), p.account, key, c.KeyPassphrase, c.LightKDF); err != nil {
				return nil, fmt.Errorf("%s: keystore: %w", p.name, err)
			}
		}
	}
	for _, u := range c.Users {
		kind := u.Kind
		if kind == accountsv1.EntityKind_ENTITY_KIND_UNSPECIFIED {
			kind = accountsv1.EntityKind_ENTITY_KIND_CORPORATION
		}
		if _, err := addAccount(u.Name, kind, u.Roles); err != nil {
			return nil, err
		}
	}

	accJSON, err := protojson.Marshal(accGen)
	if err != nil {
		return nil, err
	}
	state := map[string]json.RawMessage{}
	if c.ExtraGenesis != nil {
		addrs := map[string]string{}
		for _, a := range m.Accounts {
			addrs[a.Name] = a.Address
		}
		if state, err = c.ExtraGenesis(addrs); err != nil {
			return nil, fmt.Errorf("genesis: %w", err)
		}
	}
	state["accounts"] = accJSON
	appState, err := json.Marshal(state)
	if err != nil {
		return nil, err
	}
	gen := &types.GenesisDoc{
		GenesisTime:     c.GenesisTime,
		ChainID:         c.ChainID,
		InitialHeight:   1,
		ConsensusParams: node.ConsensusParams(),
		Validators:      genVals,
		AppState:        appState,
	}
	if err := gen.ValidateAndComplete(); err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}

	for i, n := range m.Nodes {
		home := filepath.Join(c.OutputDir, n.Home)
		conf := nodeConfig(c, home, n, m.Nodes, i)
		if err := gen.SaveAs(conf.GenesisFile()); err != nil {
			return nil, err
		}
		if err := conf.ValidateBasic(); err != nil {
			return nil, fmt.Errorf("%s: config: %w", n.Name, err)
		}
		cfg.WriteConfigFile(filepath.Join(home, "config", "config.toml"), conf)
		if err := node.WriteAppConfig(home, node.AppConfig{APIListen: n.APIListen, SnapshotInterval: c.SnapshotInterval, SnapshotKeepRecent: 2}); err != nil {
			return nil, err
		}
	}
	if err := writeJSON(filepath.Join(c.OutputDir, DevKeysFile), keys, 0o600); err != nil {
		return nil, err
	}
	if err := writeJSON(filepath.Join(c.OutputDir, ManifestFile), m, 0o644); err != nil {
		return nil, err
	}
	return m, nil
}

// nodeConfig is node i's CometBFT configuration.
func nodeConfig(c Config, home string, n Node, all []Node, i int) *cfg.Config {
	conf := cfg.DefaultConfig()
	conf.SetRoot(home)
	conf.Moniker = n.Name
	if c.LogLevel != "" {
		conf.LogLevel = c.LogLevel
	}
	conf.P2P.ListenAddress = "tcp://" + n.P2PListen
	conf.P2P.ExternalAddress = net.JoinHostPort(n.Host, fmt.Sprint(n.P2PPort))
	conf.RPC.ListenAddress = "tcp://" + n.RPCListen
	conf.RPC.PprofListenAddress = ""
	// Several nodes on one host: CometBFT must accept peers sharing an IP
	// and private addresses in its address book.
	conf.P2P.AllowDuplicateIP = true
	conf.P2P.AddrBookStrict = false
	var peers []string
	for j, o := range all {
		if j != i {
			peers = append(peers, o.P2P())
		}
	}
	conf.P2P.PersistentPeers = strings.Join(peers, ",")
	// Reconnect quickly after a peer restarts (tests kill nodes).
	conf.P2P.PersistentPeersMaxDialPeriod = 2 * time.Second
	conf.Consensus.TimeoutPropose = c.TimeoutPropose
	conf.Consensus.TimeoutPrevote = c.TimeoutVote
	conf.Consensus.TimeoutPrecommit = c.TimeoutVote
	conf.Consensus.TimeoutCommit = c.TimeoutCommit //nolint:staticcheck // still the block interval knob in v1.0
	conf.Consensus.CreateEmptyBlocks = true
	conf.Consensus.CreateEmptyBlocksInterval = 0
	conf.TxIndex.Indexer = "kv"
	// Metrics are off in a generated network; an operator who turns them
	// on gets the loopback interface (port counted up like the others).
	conf.Instrumentation.Prometheus = false
	conf.Instrumentation.PrometheusListenAddr = fmt.Sprintf("127.0.0.1:%d", 26660+i*max(c.PortStep, 1))
	conf.Mempool.MaxTxBytes = tx.MaxTxBytes
	return conf
}

func orgAccount(name string) (accountsv1.EntityKind, []accountsv1.Role) {
	switch name {
	case "meti", "moe", "maff":
		return accountsv1.EntityKind_ENTITY_KIND_GOVERNMENT, []accountsv1.Role{accountsv1.Role_ROLE_MINISTRY}
	case "secretariat":
		return accountsv1.EntityKind_ENTITY_KIND_CORPORATION, []accountsv1.Role{accountsv1.Role_ROLE_SECRETARIAT}
	default:
		return accountsv1.EntityKind_ENTITY_KIND_CORPORATION, []accountsv1.Role{accountsv1.Role_ROLE_PROVIDER}
	}
}

func legalName(name string) string {
	switch name {
	case "meti":
		return "Ministry of Economy, Trade and Industry"
	case "moe":
		return "Ministry of the Environment"
	case "maff":
		return "Ministry of Agriculture, Forestry and Fisheries"
	case "secretariat":
		return "J-Credit System Secretariat"
	}
	return name
}

func writeKeystore(dir, name string, key *ecdsa.PrivateKey, pass string, light bool) error {
	kr := keys.New(dir)
	kr.LightKDF = light
	_, err := kr.ImportECDSA(name, key, pass)
	return err
}

func writeJSON(path string, v any, mode os.FileMode) error {
	bz, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(bz, '\n'), mode)
}

// LoadManifest reads DIR/network.json.
func LoadManifest(dir string) (*Manifest, error) {
	bz, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(bz, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestFile, err)
	}
	return &m, nil
}

// LoadDevKeys reads DIR/dev-keys.json into name → key.
func LoadDevKeys(dir string) (map[string]*ecdsa.PrivateKey, error) {
	bz, err := os.ReadFile(filepath.Join(dir, DevKeysFile))
	if err != nil {
		return nil, err
	}
	var dk DevKeys
	if err := json.Unmarshal(bz, &dk); err != nil {
		return nil, fmt.Errorf("%s: %w", DevKeysFile, err)
	}
	out := make(map[string]*ecdsa.PrivateKey, len(dk.Keys))
	for _, k := range dk.Keys {
		key, err := crypto.HexToECDSA(k.PrivateKey)
		if err != nil {
			return nil, fmt.Errorf("%s: key %s: %w", DevKeysFile, k.Name, err)
		}
		out[k.Name] = key
	}
	return out, nil
}

// Node returns the node with the given name.
func (m *Manifest) Node(name string) (Node, bool) {
	for _, n := range m.Nodes {
		if n.Name == name {
			return n, true
		}
	}
	return Node{}, false
}

// Validators returns the validator nodes.
func (m *Manifest) Validators() []Node {
	var out []Node
	for _, n := range m.Nodes {
		if n.Validator {
			out = append(out, n)
		}
	}
	return out
}
