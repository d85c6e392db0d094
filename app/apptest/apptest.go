// Package apptest drives a real App (IAVL on disk, real signatures) block by
// block without CometBFT, for module scenario tests: sign as a named
// account, deliver a block, commit, query.
package apptest

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/api/cometbft/types/v1"
	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
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
	// Spent is every transaction a block has spent so far (run, or failed
	// after its nonce: its result's gas_wanted is not 0), in order.
	// ReplayAll resubmits them.
	Spent [][]byte
	// MaxGas is the genesis block.max_gas.
	MaxGas int64
	// Signing are the consensus keys (ConsensusKey) whose votes each block
	// carries in its DecidedLastCommit, as CometBFT reports the validators
	// that signed the previous block; x/accounts counts them live. Nil: the
	// blocks carry no votes (and no validator's record changes).
	Signing   [][]byte
	replaying bool
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

// ConsensusPrivKey is the private key of ConsensusKey(name).
func ConsensusPrivKey(name string) ed25519.PrivKey {
	return ed25519.GenPrivKeyFromSecret([]byte("jcredit-test-node/" + name))
}

// ProvePossession signs ch with node's consensus key (ConsensusPrivKey) for
// the test chain, as `jcreditd tx accounts propose-validator
// --consensus-key` does with priv_validator_key.json, and returns ch.
func ProvePossession(node string, ch *accountsv1.ValidatorChange) *accountsv1.ValidatorChange {
	var op common.Address
	if ch.Kind == accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD {
		op = common.HexToAddress(ch.Operator)
	}
	sig, err := ConsensusPrivKey(node).Sign(accountstypes.ValidatorPossessionSignBytes(ChainID, ch.Kind, ch.PubKey, ch.Power, op))
	if err != nil {
		panic(err)
	}
	ch.PossessionSignature = sig
	return ch
}

// NewWithValidators is New with genesis validators, passed to InitChain as
// CometBFT passes genesis.json's validators.
func NewWithValidators(t testing.TB, appState app.GenesisState, vals []abci.ValidatorUpdate) *Chain {
	t.Helper()
	return NewWithMaxGas(t, appState, vals, app.DefaultBlockMaxGas)
}

// NewWithMaxGas is NewWithValidators with the genesis consensus parameter
// block.max_gas (what `jcreditd init` writes: app.DefaultBlockMaxGas).
func NewWithMaxGas(t testing.TB, appState app.GenesisState, vals []abci.ValidatorUpdate, maxGas int64) *Chain {
	t.Helper()
	dir := t.TempDir()
	a, err := app.Open(dir)
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	c, err := Start(t, a, appState, vals, maxGas)
	if err != nil {
		t.Fatalf("init chain: %v", err)
	}
	c.Dir = dir
	return c
}

// NewInMemory is New over a state held in memory (no disk, no fsync), for
// fuzzing, which starts a chain per input.
func NewInMemory(t testing.TB, appState app.GenesisState) *Chain {
	t.Helper()
	tree, err := store.NewMemTree()
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.NewWithTree(tree)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	c, err := Start(t, a, appState, nil, app.DefaultBlockMaxGas)
	if err != nil {
		t.Fatalf("init chain: %v", err)
	}
	return c
}

// Start runs InitChain on a (genesis appState, nil: DefaultAccounts only;
// validators vals; block.max_gas maxGas) and commits the genesis block, so
// that CheckTx and queries have a state. It returns InitChain's error.
func Start(t testing.TB, a *app.App, appState app.GenesisState, vals []abci.ValidatorUpdate, maxGas int64) (*Chain, error) {
	t.Helper()
	if appState == nil {
		appState = app.GenesisState{"accounts": AccountsGenesis(DefaultAccounts())}
	}
	raw, err := json.Marshal(appState)
	if err != nil {
		return nil, err
	}
	res, err := a.InitChain(context.Background(), &abci.InitChainRequest{
		ChainId: ChainID, Time: GenesisTime, InitialHeight: 1, AppStateBytes: raw, Validators: vals,
		ConsensusParams: &cmtproto.ConsensusParams{Block: &cmtproto.BlockParams{MaxBytes: 4 << 20, MaxGas: maxGas}},
	})
	if err != nil {
		return nil, err
	}
	c := &Chain{T: t, App: a, Time: GenesisTime, LastHash: res.AppHash, MaxGas: maxGas}
	if maxGas == -1 {
		c.MaxGas = app.DefaultBlockMaxGas
	}
	c.Block() // commit genesis so that CheckTx and queries have a state
	return c, nil
}

// Nonce reads the next nonce of name's key from committed state (0 if no
// account has that key).
func (c *Chain) Nonce(name string) uint64 { return c.NonceOf(Addr(name)) }

// NonceOf reads the next nonce of the key addr from committed state (0 if
// no account has that key).
func (c *Chain) NonceOf(addr common.Address) uint64 {
	n, _ := c.keyNonce(addr)
	return n
}

// keyNonce is the next nonce of the key addr, and whether any account has
// that key.
func (c *Chain) keyNonce(addr common.Address) (uint64, bool) {
	snap, err := c.App.Snapshot()
	if err != nil {
		c.T.Fatalf("snapshot: %v", err)
	}
	_, n, err := accounts.NewKeeper().NextNonce(module.NewContext(snap, ChainID, snap.Version(), c.Time), addr)
	return n, err == nil
}

// State is a copy of the whole committed state, key -> value.
type State map[string]string

// State copies the committed state (tests' states are small).
func (c *Chain) State() State {
	c.T.Helper()
	snap, err := c.App.Snapshot()
	if err != nil {
		c.T.Fatalf("snapshot: %v", err)
	}
	return StateOf(snap)
}

// StateOf copies a whole store (a committed snapshot, for a node's app).
func StateOf(s module.KVStore) State {
	out := State{}
	it := s.Iterator(nil, nil)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		out[string(it.Key())] = string(it.Value())
	}
	return out
}

// Diff lists the keys whose values differ between two states, in order.
func (s State) Diff(other State) []string {
	var out []string
	for k, v := range s {
		if w, ok := other[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	for k := range other {
		if _, ok := s[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// TxDiff lists the keys whose values differ between two states apart from
// what a block's votes change (a validator's last_signed_height, recorded
// from DecidedLastCommit when Signing is set): what the block's
// transactions changed.
func (s State) TxDiff(other State) []string {
	var out []string
	for _, k := range s.Diff(other) {
		if strings.HasPrefix(k, accountstypes.StorePrefix+string(accountstypes.ValidatorPrefix)) && sameButSigned(s[k], other[k]) {
			continue
		}
		out = append(out, k)
	}
	return out
}

func sameButSigned(a, b string) bool {
	var va, vb accountsv1.Validator
	if a == "" || b == "" || proto.Unmarshal([]byte(a), &va) != nil || proto.Unmarshal([]byte(b), &vb) != nil {
		return false
	}
	va.LastSignedHeight, vb.LastSignedHeight = 0, 0
	return proto.Equal(&va, &vb)
}

// OnlyNonceSpent fails the test unless the committed state differs from
// before in exactly one key, and the next nonce of signer's key is one
// more than wantFrom: a transaction that failed in a block spends its
// nonce and leaves everything else as it was.
func (c *Chain) OnlyNonceSpent(before State, signer common.Address, wantFrom uint64) {
	c.T.Helper()
	if diff := before.TxDiff(c.State()); len(diff) != 1 {
		c.T.Fatalf("a failed transaction changed %d keys (%q); it may change only its signer's nonce", len(diff), diff)
	}
	if n := c.NonceOf(signer); n != wantFrom+1 {
		c.T.Fatalf("nonce of %s is %d after a failed transaction with nonce %d, want %d (spent)", signer.Hex(), n, wantFrom, wantFrom+1)
	}
}

// ExecFails signs msgs from name with its next nonce, delivers them alone
// in a block and returns the result, failing the test if the transaction
// succeeded, or if it changed anything but its nonce (see OnlyNonceSpent).
// A key no account has (never opened, rotated away) has no nonce to
// spend: its transaction must change nothing at all.
func (c *Chain) ExecFails(name string, msgs ...proto.Message) *abci.ExecTxResult {
	c.T.Helper()
	nonce, _ := c.keyNonce(Addr(name))
	return c.ExecFailsRaw(c.Sign(name, nonce, msgs...))
}

// ExecFailsRaw is ExecFails for a signed transaction, which must carry its
// key's next nonce.
func (c *Chain) ExecFailsRaw(raw []byte) *abci.ExecTxResult {
	c.T.Helper()
	d, err := tx.Decode(raw)
	if err != nil {
		c.T.Fatalf("ExecFailsRaw: %v", err)
	}
	before := c.State()
	nonce, known := c.keyNonce(d.Signer)
	if known && nonce != d.Body.Nonce {
		c.T.Fatalf("ExecFailsRaw: the transaction carries nonce %d, the key's next is %d", d.Body.Nonce, nonce)
	}
	res := c.Block(raw)[0]
	if res.Code == 0 {
		c.T.Fatalf("tx from %s succeeded; it should have failed", d.Signer.Hex())
	}
	if !known {
		if diff := before.TxDiff(c.State()); len(diff) != 0 {
			c.T.Fatalf("a transaction signed by a key no account has changed %q", diff)
		}
		return res
	}
	c.OnlyNonceSpent(before, d.Signer, nonce)
	return res
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
	var votes []abci.VoteInfo
	for _, pk := range c.Signing {
		votes = append(votes, abci.VoteInfo{
			Validator:   abci.Validator{Address: ed25519.PubKey(pk).Address(), Power: 1},
			BlockIdFlag: cmtproto.BlockIDFlagCommit,
		})
	}
	res, err := c.App.FinalizeBlock(context.Background(), &abci.FinalizeBlockRequest{
		Txs: txs, Height: c.Height, Time: c.Time, DecidedLastCommit: abci.CommitInfo{Votes: votes},
	})
	if err != nil {
		c.T.Fatalf("finalize block %d: %v", c.Height, err)
	}
	if _, err := c.App.Commit(context.Background(), &abci.CommitRequest{}); err != nil {
		c.T.Fatalf("commit %d: %v", c.Height, err)
	}
	c.LastHash = res.AppHash
	for i, r := range res.TxResults {
		if r.GasWanted > 0 && !c.replaying {
			c.Spent = append(c.Spent, txs[i])
		}
	}
	return res
}

// ReplayAll resubmits every transaction blocks have spent so far, as an
// attacker replaying the chain's history would: each to CheckTx, which
// must refuse it, and all of them again in blocks (in their order, as many
// per block as the block's max_gas allows), which must change nothing at
// all. Successful or failed, a transaction that reached its nonce is
// spent. (A transaction refused before its nonce — future nonce, timed
// out, no room left in its block — never ran, and may still run later.)
func (c *Chain) ReplayAll() {
	c.T.Helper()
	before := c.State()
	for i, raw := range c.Spent {
		res, err := c.App.CheckTx(context.Background(), &abci.CheckTxRequest{Tx: raw, Type: abci.CHECK_TX_TYPE_CHECK})
		if err != nil {
			c.T.Fatal(err)
		}
		if res.Code == 0 {
			c.T.Fatalf("CheckTx admitted a replay of spent transaction %d (%X)", i, tx.Hash(raw))
		}
	}
	c.replaying = true
	defer func() { c.replaying = false }()
	var block [][]byte
	gas := int64(0)
	flush := func() {
		for i, r := range c.Block(block...) {
			if r.Code == 0 {
				c.T.Fatalf("replayed transaction %X executed again", tx.Hash(block[i]))
			}
		}
		block, gas = nil, 0
	}
	for _, raw := range c.Spent {
		limit := app.DefaultTxGas
		if d, err := tx.Decode(raw); err == nil && d.Body.GasLimit != 0 {
			limit = d.Body.GasLimit
		}
		if gas+int64(limit) > c.MaxGas && len(block) > 0 {
			flush()
		}
		block = append(block, raw)
		gas += int64(limit)
	}
	flush()
	if diff := before.TxDiff(c.State()); len(diff) != 0 {
		c.T.Fatalf("replaying the chain's transactions changed %q", diff)
	}
}

// ReplayAtEnd makes the test end with ReplayAll (unless it has failed
// already): module scenario helpers call it, so that every transaction of
// every scenario is replayed after it.
func (c *Chain) ReplayAtEnd() *Chain {
	c.T.Cleanup(func() {
		if !c.T.Failed() {
			c.ReplayAll()
		}
	})
	return c
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
