package app

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/upgrade"
)

// Version is the application's version, reported in Info.
var Version = "0.1.0-dev"

// Auth is what the app needs from x/accounts to admit a transaction.
type Auth interface {
	// Admit checks that signer is a key allowed to sign msgs (its account
	// exists and its status permits them) and returns the number of the
	// account it signs for and the nonce its next transaction must carry.
	// It must not write.
	Admit(ctx module.Context, signer common.Address, msgs []proto.Message) (account, nonce uint64, err error)
	// IncrementNonce records that signer's transaction was applied: the
	// signing key's nonce moves on (with the key, if the transaction
	// rotated it).
	IncrementNonce(ctx module.Context, signer common.Address) error
}

// App is the jcredit ABCI application.
type App struct {
	abci.BaseApplication

	// mu serialises the ABCI connections with the HTTP readers. CometBFT's
	// local client already serialises ABCI calls; the lock keeps the public
	// API (a separate goroutine) from reading a tree being written.
	mu sync.RWMutex

	tree    *store.Tree
	modules []module.Module
	router  *module.Router
	queries *module.QueryRouter
	auth    Auth
	sigs    *sigCache

	chainID string
	// block buffers the writes of the block being finalized; nil between
	// blocks.
	block *store.Cache
	// checkView is the last committed state; CheckTx reads it.
	checkView *store.Snapshot
	// pending counts transactions admitted to the mempool per signer since
	// the last commit, so that a signer can queue several in one block.
	pending map[common.Address]uint64
	closed  bool

	// snap offers and restores state-sync snapshots (snapshot.go).
	snap *snapshotState

	// upgrade reads the scheduled plan and the state version; upgrades are
	// the migrations this binary can apply (upgrade.go).
	upgrade      *upgrade.Keeper
	upgrades     []Upgrade
	stateVersion uint64
	onHalt       func(*HaltError)
	// dataDir is where the state lives ("" in memory).
	dataDir string
}

var _ abci.Application = (*App)(nil)

// chainIDKey holds the chain id in state, so that a restarted node (which
// gets no InitChain) knows which chain its transactions must name.
var chainIDKey = []byte("app/chain_id")

// New builds the app over an opened tree. modules are initialised, queried
// and ended in the order given; auth admits signers.
func New(tree *store.Tree, auth Auth, modules ...module.Module) (*App, error) {
	a := &App{
		tree:    tree,
		modules: modules,
		router:  module.NewRouter(),
		queries: module.NewQueryRouter(),
		auth:    auth,
		sigs:    newSigCache(20_000),
		pending: map[common.Address]uint64{},
		snap:    newSnapshotState(),

		upgrade:      upgrade.NewKeeper(),
		stateVersion: StateVersion,
	}
	for _, m := range modules {
		m.RegisterMsgs(a.router)
		m.RegisterQueries(a.queries)
	}
	if err := a.queries.Check(); err != nil {
		return nil, err
	}
	if tree.Version() > 0 {
		if err := a.refreshCheckView(); err != nil {
			return nil, err
		}
		a.chainID = string(a.checkView.Get(chainIDKey))
	}
	return a, nil
}

// ChainID is the chain this app was initialised for ("" before InitChain).
func (a *App) ChainID() string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.chainID
}

// Router exposes the registered message types (for tools and tests).
func (a *App) Router() *module.Router { return a.router }

// Queries exposes the registered queries (for tools and tests).
func (a *App) Queries() *module.QueryRouter { return a.queries }

func (a *App) refreshCheckView() error {
	v, err := a.tree.At(a.tree.Version())
	if err != nil {
		return err
	}
	a.checkView = v
	return nil
}

// Info is called when CometBFT starts (the handshake) and answers with the
// last committed height and app hash. If CometBFT has blocks beyond that
// height it replays them through FinalizeBlock and Commit: this is how a node
// that crashed between FinalizeBlock and Commit recovers.
func (a *App) Info(_ context.Context, _ *abci.InfoRequest) (*abci.InfoResponse, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	// AppVersion is the state version of the committed state (the rules
	// its blocks were executed under), so that nodes running different
	// rules cannot silently agree.
	res := &abci.InfoResponse{
		Data:            "jcredit",
		Version:         Version,
		AppVersion:      a.stateVersion,
		LastBlockHeight: a.tree.Version(),
	}
	if res.LastBlockHeight > 0 {
		res.LastBlockAppHash = a.tree.Hash()
		res.AppVersion = a.upgrade.Version(a.checkView)
	}
	return res, nil
}

// GenesisState is the app_state of the genesis file: one entry per module,
// keyed by the module's name.
type GenesisState map[string]json.RawMessage

// InitChain is called once, at genesis (height 0), and again after a crash
// that happened before the first Commit. It loads every module's genesis
// into state and returns the resulting app hash; the genesis validators are
// accepted as given.
func (a *App) InitChain(_ context.Context, req *abci.InitChainRequest) (*abci.InitChainResponse, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if req.ChainId == "" {
		return nil, fmt.Errorf("genesis: chain id is empty")
	}
	var gen GenesisState
	if len(req.AppStateBytes) > 0 {
		if err := json.Unmarshal(req.AppStateBytes, &gen); err != nil {
			return nil, fmt.Errorf("genesis: app_state is not a JSON object: %w", err)
		}
	}
	for name := range gen {
		if !a.hasModule(name) {
			return nil, fmt.Errorf("genesis: app_state has an entry %q but no module has that name", name)
		}
	}
	if req.InitialHeight > 1 {
		a.tree.SetInitialVersion(uint64(req.InitialHeight))
	}
	cache := store.NewCache(a.tree)
	ctx := module.NewContext(cache, req.ChainId, req.InitialHeight, req.Time)
	cache.Set(chainIDKey, []byte(req.ChainId))
	for _, m := range a.modules {
		if vs, ok := m.(module.GenesisValidatorsSetter); ok {
			vs.SetGenesisValidators(req.Validators)
		}
		if err := m.InitGenesis(ctx, gen[m.Name()]); err != nil {
			return nil, fmt.Errorf("genesis: %s: %w", m.Name(), err)
		}
	}
	// The genesis was loaded by this binary's rules: the state is at its
	// version (upgrade.go).
	if err := a.upgrade.InitVersion(ctx, a.stateVersion); err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	cache.Write()
	a.chainID = req.ChainId
	return &abci.InitChainResponse{AppHash: a.tree.WorkingHash()}, nil
}

func (a *App) hasModule(name string) bool {
	for _, m := range a.modules {
		if m.Name() == name {
			return true
		}
	}
	return false
}

// CheckTx is called for every transaction entering the mempool, and again
// (RECHECK) for those still waiting after each commit. It admits a
// transaction only if it could apply on top of the committed state and the
// signer's earlier pending transactions. It never writes state. A RECHECK
// reuses the cached signature result.
func (a *App) CheckTx(_ context.Context, req *abci.CheckTxRequest) (*abci.CheckTxResponse, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	d, err := a.decode(req.Tx)
	if err != nil {
		return checkTxError(err), nil
	}
	if a.checkView == nil {
		return checkTxError(ErrWrongChainID.Wrapf("the chain has no committed block yet")), nil
	}
	ctx := module.NewContext(store.NewCache(a.checkView), a.chainID, a.checkView.Version(), time.Time{})
	ctx.Signer, ctx.TxHash = d.Signer, d.Hash
	_, _, err = a.admit(&ctx, d, func(n uint64) uint64 { return n + a.pending[d.Signer] })
	if err != nil {
		return checkTxError(err), nil
	}
	a.pending[d.Signer]++
	return &abci.CheckTxResponse{Code: abci.CodeTypeOK, GasWanted: 1}, nil
}

func checkTxError(err error) *abci.CheckTxResponse {
	space, code := module.CodeOf(err)
	return &abci.CheckTxResponse{Codespace: space, Code: code, Log: err.Error()}
}

// PrepareProposal is called on the proposer only. It keeps the mempool's
// transactions in order, dropping any that cannot decode or verify (which an
// honest mempool would not contain, but a restarted node's might) and
// stopping at the block's byte limit.
func (a *App) PrepareProposal(_ context.Context, req *abci.PrepareProposalRequest) (*abci.PrepareProposalResponse, error) {
	var out [][]byte
	var size int64
	for _, raw := range req.Txs {
		if _, err := a.decode(raw); err != nil {
			continue
		}
		if req.MaxTxBytes > 0 && size+int64(len(raw)) > req.MaxTxBytes {
			break
		}
		size += int64(len(raw))
		out = append(out, raw)
	}
	return &abci.PrepareProposalResponse{Txs: out}, nil
}

// ProcessProposal is called on every validator for each proposal. A proposal
// is rejected (never a panic) if a transaction in it cannot be decoded or its
// signature does not verify: no honest proposer includes those. Transactions
// that decode but fail against state are accepted here and rejected one by
// one in FinalizeBlock, because only there is the block's state known.
func (a *App) ProcessProposal(_ context.Context, req *abci.ProcessProposalRequest) (*abci.ProcessProposalResponse, error) {
	for _, raw := range req.Txs {
		if _, err := a.decode(raw); err != nil {
			return &abci.ProcessProposalResponse{Status: abci.PROCESS_PROPOSAL_STATUS_REJECT}, nil
		}
	}
	return &abci.ProcessProposalResponse{Status: abci.PROCESS_PROPOSAL_STATUS_ACCEPT}, nil
}

// FinalizeBlock is called once per decided block. It executes every
// transaction in order, each in its own write buffer, re-checking everything
// CheckTx checked (a proposer may include anything), then runs the modules'
// end-of-block logic and returns one result per transaction, the events,
// validator-set changes and the new app hash. Nothing is durable until
// Commit.
func (a *App) FinalizeBlock(_ context.Context, req *abci.FinalizeBlockRequest) (*abci.FinalizeBlockResponse, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.block = store.NewCache(a.tree)
	ctx := module.NewContext(a.block, a.chainID, req.Height, req.Time)
	applied, err := a.beginBlock(ctx)
	if err != nil {
		a.block = nil
		return nil, err
	}

	results := make([]*abci.ExecTxResult, len(req.Txs))
	for i, raw := range req.Txs {
		results[i] = a.deliver(ctx, raw)
	}

	endCtx := ctx.WithStore(a.block)
	var updates []abci.ValidatorUpdate
	for _, m := range a.modules {
		eb, ok := m.(module.EndBlocker)
		if !ok {
			continue
		}
		u, err := eb.EndBlock(endCtx)
		if err != nil {
			// A failing end-of-block is a bug in the rules; stop rather
			// than commit a state the other validators may not share.
			return nil, fmt.Errorf("end block %d: %s: %w", req.Height, m.Name(), err)
		}
		updates = append(updates, u...)
	}
	a.block.Write()
	a.block = nil
	return &abci.FinalizeBlockResponse{
		TxResults:             results,
		Events:                append(ctx.Events(), endCtx.Events()...),
		ValidatorUpdates:      updates,
		ConsensusParamUpdates: versionUpdate(applied),
		AppHash:               a.tree.WorkingHash(),
	}, nil
}

// deliver executes one transaction in its own buffer over the block's.
func (a *App) deliver(blockCtx module.Context, raw []byte) (res *abci.ExecTxResult) {
	d, err := a.decode(raw)
	if err != nil {
		return execError(err)
	}
	txStore := store.NewCache(a.block)
	ctx := blockCtx.WithStore(txStore)
	ctx.Signer, ctx.TxHash = d.Signer, d.Hash

	defer func() {
		if r := recover(); r != nil {
			if se, ok := r.(module.StoreError); ok {
				panic(se) // the disk failed: stop the node
			}
			res = execError(module.ErrInternal.Wrapf("message handler panicked: %v", r))
		}
	}()

	msgs, routes, err := a.admit(&ctx, d, func(n uint64) uint64 { return n })
	if err != nil {
		return execError(err)
	}
	for i, m := range msgs {
		if err := routes[i].Handle(ctx, m); err != nil {
			return execError(fmt.Errorf("message %d (%s): %w", i, m.ProtoReflect().Descriptor().FullName(), err))
		}
	}
	if err := a.auth.IncrementNonce(ctx, d.Signer); err != nil {
		return execError(err)
	}
	ctx.Emit("tx",
		module.Indexed("signer", d.Signer.Hex()),
		module.Plain("nonce", fmt.Sprint(d.Body.Nonce)))
	txStore.Write()
	return &abci.ExecTxResult{Code: abci.CodeTypeOK, Events: ctx.Events()}
}

func execError(err error) *abci.ExecTxResult {
	space, code := module.CodeOf(err)
	return &abci.ExecTxResult{Codespace: space, Code: code, Log: err.Error()}
}

// Commit is called after FinalizeBlock, with the mempool locked. It saves
// the IAVL version (atomically: a crash leaves either the old or the new
// version), then resets the mempool's view to the new state. All blocks are
// retained: old heights back retirement proofs.
func (a *App) Commit(_ context.Context, _ *abci.CommitRequest) (*abci.CommitResponse, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, _, err := a.tree.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	if err := a.refreshCheckView(); err != nil {
		return nil, err
	}
	a.pending = map[common.Address]uint64{}
	return &abci.CommitResponse{}, nil
}

// Snapshot returns a read-only view of the latest committed state, for the
// public API and tests. It stays valid while later blocks commit.
func (a *App) Snapshot() (*store.Snapshot, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.tree.At(a.tree.Version())
}

// SnapshotAt returns a read-only view of committed state version (0: the
// latest); its Hash is the app hash of that height.
func (a *App) SnapshotAt(version int64) (*store.Snapshot, error) {
	if version == 0 {
		return a.Snapshot()
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.tree.At(version)
}
