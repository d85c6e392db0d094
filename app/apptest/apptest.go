// Package apptest drives a real App (IAVL on disk, real signatures) block by
// block without CometBFT, for module scenario tests: sign as a named
// account, deliver a block, commit, query.
package apptest

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

// ChainID of test chains.
const ChainID = "jcredit-test"

// GenesisTime is the test chain's genesis time; each block adds a minute.
var GenesisTime = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// Key returns a deterministic private key for a name, so that tests and
// their failure messages are reproducible.
func Key(name string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte("jcredit-test-key/" + name)))
	if err != nil {
		panic(err)
	}
	return k
}

// Addr is the address of Key(name).
func Addr(name string) common.Address { return crypto.PubkeyToAddress(Key(name).PublicKey) }

// GenesisAccount describes an account present at genesis.
type GenesisAccount struct {
	Name  string
	Roles []accountsv1.Role
	Kind  accountsv1.EntityKind
}

// DefaultAccounts are the scheme's administrators: three ministries and the
// secretariat.
func DefaultAccounts() []GenesisAccount {
	return []GenesisAccount{
		{Name: "meti", Roles: []accountsv1.Role{accountsv1.Role_ROLE_MINISTRY}, Kind: accountsv1.EntityKind_ENTITY_KIND_GOVERNMENT},
		{Name: "moe", Roles: []accountsv1.Role{accountsv1.Role_ROLE_MINISTRY}, Kind: accountsv1.EntityKind_ENTITY_KIND_GOVERNMENT},
		{Name: "maff", Roles: []accountsv1.Role{accountsv1.Role_ROLE_MINISTRY}, Kind: accountsv1.EntityKind_ENTITY_KIND_GOVERNMENT},
		{Name: "secretariat", Roles: []accountsv1.Role{accountsv1.Role_ROLE_SECRETARIAT}, Kind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION},
	}
}

// AccountsGenesis renders accounts as the accounts module's genesis JSON.
func AccountsGenesis(accs []GenesisAccount) json.RawMessage {
	g := &accountsv1.GenesisState{}
	for _, a := range accs {
		kind := a.Kind
		if kind == accountsv1.EntityKind_ENTITY_KIND_UNSPECIFIED {
			kind = accountsv1.EntityKind_ENTITY_KIND_CORPORATION
		}
		g.Accounts = append(g.Accounts, &accountsv1.Account{
			Address: Addr(a.Name).Hex(), LegalName: a.Name, EntityKind: kind, Country: "JP", Roles: a.Roles,
		})
	}
	bz, err := protojson.Marshal(g)
	if err != nil {
		panic(err)
	}
	return bz
}

// Chain is a running app with a block clock.
type Chain struct {
	T      testing.TB
	App    *app.App
	Dir    string
	Height int64
	Time   time.Time
	// LastHash is the app hash returned by the last FinalizeBlock.
	LastHash []byte
}

// New starts a chain in a temporary directory with the given app_state
// (nil: DefaultAccounts only).
func New(t testing.TB, appState app.GenesisState) *Chain {
	t.Helper()
	return NewWithValidators(t, appState, nil)
}

// ConsensusKey returns a deterministic ed25519 consensus public key (32
// bytes) for a validator name.
func ConsensusKey(name string) []byte {
	return ed25519.GenPrivKeyFromSecret([]byte("jcredit-test-node/" + name)).PubKey().Bytes()
}

// NewWithValidators is New with genesis validators, passed to InitChain as
// CometBFT passes genesis.json's validators.
func NewWithValidators(t testing.TB, appState app.GenesisState, vals []abci.ValidatorUpdate) *Chain {
	t.Helper()
	dir := t.TempDir()
	a, err := app.Open(dir)
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	if appState == nil {
		appState = app.GenesisState{"accounts": AccountsGenesis(DefaultAccounts())}
	}
	raw, err := json.Marshal(appState)
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.InitChain(context.Background(), &abci.InitChainRequest{
		ChainId: ChainID, Time: GenesisTime, InitialHeight: 1, AppStateBytes: raw, Validators: vals,
	})
	if err != nil {
		t.Fatalf("init chain: %v", err)
	}
	c := &Chain{T: t, App: a, Dir: dir, Time: GenesisTime, LastHash: res.AppHash}
	c.Block() // commit genesis so that CheckTx and queries have a state
	return c
}

// Nonce reads the next nonce of name's key from committed state (0 if it
// is no account's key).
func (c *Chain) Nonce(name string) uint64 {
	snap, err := c.App.Snapshot()
	if err != nil {
		c.T.Fatalf("snapshot: %v", err)
	}
	return accounts.NewKeeper().Nonce(snap, Addr(name))
}

// AccountNumber is the number of the account name's key signs for in
// committed state (0 if none).
func (c *Chain) AccountNumber(name string) uint64 {
	snap, err := c.App.Snapshot()
	if err != nil {
		c.T.Fatalf("snapshot: %v", err)
	}
	n, _ := accounts.NewKeeper().AccountNumber(snap, Addr(name))
	return n
}

// Sign builds and signs a transaction from name with an explicit nonce.
func (c *Chain) Sign(name string, nonce uint64, msgs ...proto.Message) []byte {
	body, err := tx.Build(ChainID, nonce, "", msgs...)
	if err != nil {
		c.T.Fatalf("build tx: %v", err)
	}
	raw, err := tx.Sign(body, Key(name))
	if err != nil {
		c.T.Fatalf("sign tx: %v", err)
	}
	return raw
}

// Tx signs msgs from name with its next nonce.
func (c *Chain) Tx(name string, msgs ...proto.Message) []byte {
	return c.Sign(name, c.Nonce(name), msgs...)
}

// Block finalizes and commits a block of txs and returns their results.
func (c *Chain) Block(txs ...[]byte) []*abci.ExecTxResult {
	c.T.Helper()
	return c.BlockResponse(txs...).TxResults
}

// BlockResponse finalizes and commits a block of txs and returns the whole
// FinalizeBlock response (end-block events, validator updates, app hash).
func (c *Chain) BlockResponse(txs ...[]byte) *abci.FinalizeBlockResponse {
	c.T.Helper()
	c.Height++
	c.Time = c.Time.Add(time.Minute)
	res, err := c.App.FinalizeBlock(context.Background(), &abci.FinalizeBlockRequest{
		Txs: txs, Height: c.Height, Time: c.Time,
	})
	if err != nil {
		c.T.Fatalf("finalize block %d: %v", c.Height, err)
	}
	if _, err := c.App.Commit(context.Background(), &abci.CommitRequest{}); err != nil {
		c.T.Fatalf("commit %d: %v", c.Height, err)
	}
	c.LastHash = res.AppHash
	return res
}

// Exec signs msgs from name, delivers them alone in a block, and returns the
// result.
func (c *Chain) Exec(name string, msgs ...proto.Message) *abci.ExecTxResult {
	c.T.Helper()
	return c.Block(c.Tx(name, msgs...))[0]
}

// MustExec is Exec that fails the test unless the transaction succeeds.
func (c *Chain) MustExec(name string, msgs ...proto.Message) *abci.ExecTxResult {
	c.T.Helper()
	res := c.Exec(name, msgs...)
	if res.Code != 0 {
		c.T.Fatalf("tx from %s failed: %s/%d: %s", name, res.Codespace, res.Code, res.Log)
	}
	return res
}

// Query runs an ABCI query at the latest height.
func (c *Chain) Query(path string, data []byte, prove bool) *abci.QueryResponse {
	c.T.Helper()
	res, err := c.App.Query(context.Background(), &abci.QueryRequest{Path: path, Data: data, Prove: prove})
	if err != nil {
		c.T.Fatalf("query %s: %v", path, err)
	}
	return res
}

// QueryJSON runs a query and decodes its JSON answer into out.
func (c *Chain) QueryJSON(path string, out any) error {
	res := c.Query(path, nil, false)
	if res.Code != 0 {
		return fmt.Errorf("%s/%d: %s", res.Codespace, res.Code, res.Log)
	}
	return json.Unmarshal(res.Value, out)
}

// Ask runs the module query path (/<module>/<rpc>) with req, in protobuf
// JSON, as the query data (nil: the empty request).
func (c *Chain) Ask(path string, req proto.Message, prove bool) *abci.QueryResponse {
	c.T.Helper()
	var data []byte
	if req != nil {
		var err error
		if data, err = module.MarshalJSON(req); err != nil {
			c.T.Fatalf("query %s: %v", path, err)
		}
	}
	return c.Query(path, data, prove)
}

// Read runs the module query path with req and decodes the answer into
// resp; a refusal is an error with its code.
func (c *Chain) Read(path string, req, resp proto.Message) error {
	c.T.Helper()
	res := c.Ask(path, req, false)
	if res.Code != 0 {
		return fmt.Errorf("%s/%d: %s", res.Codespace, res.Code, res.Log)
	}
	return module.UnmarshalJSON(res.Value, resp)
}

// OpenAccount has the secretariat open an account for name with roles.
func (c *Chain) OpenAccount(name string, kind accountsv1.EntityKind, roles ...accountsv1.Role) {
	c.T.Helper()
	if kind == accountsv1.EntityKind_ENTITY_KIND_UNSPECIFIED {
		kind = accountsv1.EntityKind_ENTITY_KIND_CORPORATION
	}
	c.MustExec("secretariat", &accountsv1.MsgOpenAccount{
		Address: Addr(name).Hex(), LegalName: name, EntityKind: kind, Country: "JP", Roles: roles,
	})
}
