package app

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/jcredit/jcredit/app/store"
	txv1 "github.com/jcredit/jcredit/proto/jcredit/tx/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/upgrade"
)

// Version is the application's version, reported in Info.
var Version = "0.1.0-dev"

// Auth is what the app needs from x/accounts to admit a transaction.
type Auth interface {
	// NextNonce returns the number of the account that the key signer
	// signs for and the nonce the key's next transaction must carry,
	// whatever the account's status. It fails only when no account has
	// that key (never opened, or rotated away). It must not write.
	NextNonce(ctx module.Context, signer common.Address) (account, nonce uint64, err error)
	// Admit checks that signer is a key allowed to sign msgs (its account
	// exists and its status permits them) and returns the number of the
	// account it signs for and the nonce its next transaction must carry.
	// It must not write.
	Admit(ctx module.Context, signer common.Address, msgs []proto.Message) (account, nonce uint64, err error)
	// CheckSigner is NextNonce and Admit in one read of the signer's key,
	// for CheckTx: account, nonce and err are NextNonce's, admitErr is
	// Admit's refusal of msgs (nil if it admits them). It must not write.
	CheckSigner(ctx module.Context, signer common.Address, msgs []proto.Message) (account, nonce uint64, admitErr, err error)
	// IncrementNonce spends signer's nonce: its transaction is in a block.
	// The app calls it before the messages run, so a rotation in the same
	// transaction carries the spent nonce over to the new key.
	IncrementNonce(ctx module.Context, signer common.Address) error
	// Hold is asked, once the signer is admitted and before any message
	// runs, whether the messages must wait for approvals by other keys of
	// the signer's account (x/accounts threshold policies). If so it
	// stores them (raw: exactly as signed) as a pending action in ctx's
	// store, emits its event and returns true; the app then runs none of
	// them and the transaction succeeds. It writes nothing when it
	// returns false or an error (which fails the transaction).
	Hold(ctx module.Context, signer common.Address, msgs []proto.Message, raw []*anypb.Any) (bool, error)
}

// App is the jcredit ABCI application.
type App struct {
	abci.BaseApplication

	// mu serialises the ABCI connections with the HTTP readers. CometBFT's
	// local client serialises the calls of each connection; the lock keeps
	// the public API (a separate goroutine) from reading a tree being
	// written. CheckTx takes checkMu instead.
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
	// checkMu guards what CheckTx uses (checkView, admitted, and chainID
	// against its writers), so that CheckTx does not wait for a block that
	// FinalizeBlock is executing under mu: it reads only committed state.
	// Whoever takes both takes mu first.
	checkMu sync.Mutex
	// checkView is the last committed state; CheckTx reads it.
	checkView *store.Snapshot
	// admitted is, per signer, the nonce after the highest one CheckTx
	// admitted since the last commit (or RECHECK), so that a signer can
	// queue several transactions in one block (admit.go, admitNonce).
	admitted map[common.Address]uint64
	// maxGas is the block gas limit (consensus block.max_gas, kept in
	// state at maxGasKey).
	maxGas int64
	// unmetered turns the gas meter off (benchmarks of the meter's cost
	// only; see export_test.go).
	unmetered bool
	closed    bool

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
		tree:     tree,
		modules:  modules,
		router:   module.NewRouter(),
		queries:  module.NewQueryRouter(),
		auth:     auth,
		sigs:     newSigCache(20_000),
		admitted: map[common.Address]uint64{},
		maxGas:   DefaultBlockMaxGas,
		snap:     newSnapshotState(),

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
		a.loadChainParams()
	}
	return a, nil
}

// loadChainParams reads the chain id and block gas limit from committed
// state (after a restart or a state-sync restore).
func (a *App) loadChainParams() {
	a.checkMu.Lock()
	defer a.checkMu.Unlock()
	a.chainID = string(a.checkView.Get(chainIDKey))
	a.maxGas = blockMaxGas(a.checkView)
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
	a.checkMu.Lock()
	defer a.checkMu.Unlock()
	a.checkView = v
	a.admitted = map[common.Address]uint64{}
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
	maxGas := DefaultBlockMaxGas
	if p := req.ConsensusParams.GetBlock(); p != nil && p.MaxGas != -1 {
		if p.MaxGas <= 0 {
			return nil, fmt.Errorf("genesis: consensus_params.block.max_gas is %d: no transaction could ever fit; use -1 (the app's default, %d) or a positive limit", p.MaxGas, DefaultBlockMaxGas)
		}
		maxGas = p.MaxGas
	}
	cache := store.NewCache(a.tree)
	ctx := module.NewContext(cache, req.ChainId, req.InitialHeight, req.Time)
	cache.Set(chainIDKey, []byte(req.ChainId))
	cache.Set(maxGasKey, binary.BigEndian.AppendUint64(nil, uint64(maxGas)))
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
	a.checkMu.Lock()
	a.chainID, a.maxGas = req.ChainId, maxGas
	a.checkMu.Unlock()
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
// signer's earlier pending transactions: envelope, chain id, timeout, gas
// limit, message formats, nonce (admitNonce: from the committed one up to a
// few past the highest admitted) and the signer's status. It never writes
// state, and never panics: a bug in a check becomes an internal-error
// refusal, as in FinalizeBlock. A RECHECK reuses the cached signature
// result.
func (a *App) CheckTx(_ context.Context, req *abci.CheckTxRequest) (res *abci.CheckTxResponse, _ error) {
	defer func() {
		if r := recover(); r != nil {
			if se, ok := r.(module.StoreError); ok {
				panic(se) // the disk failed: stop the node
			}
			res = checkTxError(module.ErrInternal.Wrapf("checking the transaction panicked: %v", r))
		}
	}()
	// Decoding, signature recovery and the messages' stateless checks need
	// no state: they run before taking the lock, so that they overlap with
	// a block that FinalizeBlock executes on the consensus connection
	// (most of CheckTx's time is the signature). Their errors are reported
	// in the same order as before: unpack's after the envelope's.
	d, err := a.decode(req.Tx)
	if err != nil {
		return checkTxError(err), nil
	}
	msgs, _, unpackErr := a.messagesOf(d)
	a.checkMu.Lock()
	defer a.checkMu.Unlock()
	if a.checkView == nil {
		return checkTxError(ErrWrongChainID.Wrapf("the chain has no committed block yet")), nil
	}
	// The earliest block the transaction can be in is the next one.
	height := a.checkView.Version() + 1
	limit, err := checkEnvelope(d.Decoded, a.chainID, height)
	if err != nil {
		return checkTxError(err), nil
	}
	if unpackErr != nil {
		return checkTxError(unpackErr), nil
	}
	// Auth reads the committed state itself (it must not write): no
	// write buffer over it. The key is read once for the nonce and the
	// admission; their refusals keep their order (nonce first).
	ctx := module.NewContext(a.checkView, a.chainID, height, time.Time{})
	ctx.Signer, ctx.TxHash = d.Signer, d.Hash
	_, next, admitErr, err := a.auth.CheckSigner(ctx, d.Signer, msgs)
	if err != nil {
		return checkTxError(err), nil
	}
	top := a.admitted[d.Signer]
	if err := admitNonce(d.Decoded, next, top); err != nil {
		return checkTxError(err), nil
	}
	if admitErr != nil {
		return checkTxError(admitErr), nil
	}
	if d.Body.Nonce >= top {
		a.admitted[d.Signer] = d.Body.Nonce + 1
	}
	return &abci.CheckTxResponse{Code: abci.CodeTypeOK, GasWanted: int64(limit)}, nil
}

func checkTxError(err error) *abci.CheckTxResponse {
	space, code := module.CodeOf(err)
	return &abci.CheckTxResponse{Codespace: space, Code: code, Log: err.Error()}
}

// PrepareProposal is called on the proposer only. It keeps the mempool's
// transactions in order, dropping any that cannot decode or verify, have a
// gas limit out of bounds, have timed out (which an honest mempool would
// not contain, but a restarted node's might), or would fail for their
// nonce: each signer's transactions go in nonce order from the committed
// next nonce, a later one waiting for the one before it (proposal.go). It
// stops at the block's byte limit or gas limit (block.max_gas: the sum of
// the transactions' gas limits).
func (a *App) PrepareProposal(_ context.Context, req *abci.PrepareProposalRequest) (*abci.PrepareProposalResponse, error) {
	a.mu.RLock()
	chainID, maxGas, view := a.chainID, a.maxGas, a.checkView
	a.mu.RUnlock()
	seq := a.newSequencer(view, chainID, req.Height)
	var out [][]byte
	var size, gas int64
	for _, raw := range req.Txs {
		d, err := a.decode(raw)
		if err != nil {
			continue
		}
		limit, err := checkEnvelope(d.Decoded, chainID, req.Height)
		if err != nil {
			continue
		}
		for _, c := range seq.offer(d.Decoded, raw, limit) {
			if req.MaxTxBytes > 0 && size+int64(len(c.raw)) > req.MaxTxBytes || gas+int64(c.limit) > maxGas {
				return &abci.PrepareProposalResponse{Txs: out}, nil
			}
			size += int64(len(c.raw))
			gas += int64(c.limit)
			out = append(out, c.raw)
		}
	}
	return &abci.PrepareProposalResponse{Txs: out}, nil
}

// ProcessProposal is called on every validator for each proposal. A proposal
// is rejected (never a panic) if a transaction in it cannot be decoded, is
// not canonical, its signature does not verify, its gas limit is out of
// bounds, or the transactions' gas limits add up to more than the block's
// max_gas: no honest proposer includes those. Transactions that decode but
// fail against state (including a wrong chain id or a timeout, which a
// proposer's mempool may hold) are accepted here and refused one by one in
// FinalizeBlock, because only there is the block's state known.
func (a *App) ProcessProposal(_ context.Context, req *abci.ProcessProposalRequest) (*abci.ProcessProposalResponse, error) {
	reject := &abci.ProcessProposalResponse{Status: abci.PROCESS_PROPOSAL_STATUS_REJECT}
	a.mu.RLock()
	maxGas := a.maxGas
	a.mu.RUnlock()
	var gas int64
	for _, raw := range req.Txs {
		d, err := a.decode(raw)
		if err != nil {
			return reject, nil
		}
		limit, err := gasLimit(d.Decoded)
		if err != nil || limit < intrinsicGas(d.Decoded) {
			return reject, nil
		}
		if gas += int64(limit); gas > maxGas {
			return reject, nil
		}
	}
	return &abci.ProcessProposalResponse{Status: abci.PROCESS_PROPOSAL_STATUS_ACCEPT}, nil
}

// FinalizeBlock is called once per decided block. It executes every
// transaction in order (deliver), re-checking everything CheckTx checked
// (a proposer may include anything), then runs the modules' end-of-block
// logic and returns one result per transaction, the events, validator-set
// changes and the new app hash. Nothing is durable until Commit.
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
	for _, m := range a.modules {
		if r, ok := m.(module.LastCommitRecorder); ok {
			r.RecordLastCommit(ctx, req.DecidedLastCommit.Votes)
		}
	}

	results := make([]*abci.ExecTxResult, len(req.Txs))
	left := a.maxGas
	for i, raw := range req.Txs {
		results[i] = a.deliver(ctx, raw, &left)
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

// deliver executes one transaction of a block. blockGas is what is left of
// the block's max_gas; the transaction reserves its gas limit from it.
//
// A signed transaction is spent once. Up to the nonce, a failing check
// refuses the transaction and changes nothing: it does not decode, is not
// canonical, the signature is bad, the chain id is another's, it has timed
// out, its gas limit is out of bounds or does not fit in the block, the key
// is unknown, or the nonce is not the key's next. From there on the nonce
// is spent, in a write buffer of its own (ante) that is kept whatever
// happens next: the messages run in a second buffer over it, metered, and
// their writes and events are kept only if every message succeeds. A
// message that fails, a signer whose account may not sign, a message that
// does not decode or validate, running out of gas, a handler that panics:
// all fail the transaction and keep the spent nonce, so the same bytes can
// never execute later (Cosmos SDK's ante-handler semantics).
func (a *App) deliver(blockCtx module.Context, raw []byte, blockGas *int64) (res *abci.ExecTxResult) {
	defer func() {
		// The messages' panics are recovered in runMsgs; this catches a
		// bug in the checks before them, which then change nothing.
		if r := recover(); r != nil {
			if se, ok := r.(module.StoreError); ok {
				panic(se) // the disk failed: stop the node
			}
			res = execResult(module.ErrInternal.Wrapf("checking the transaction panicked: %v", r), 0, 0, nil)
		}
	}()
	d, err := a.decode(raw)
	if err != nil {
		return execResult(err, 0, 0, nil)
	}
	limit, err := checkEnvelope(d.Decoded, blockCtx.ChainID, blockCtx.Height)
	if err != nil {
		return execResult(err, 0, 0, nil)
	}
	if int64(limit) > *blockGas {
		return execResult(ErrBlockGasFull.Wrapf("the transaction reserves %d gas and the block has %d left of its max_gas", limit, *blockGas), 0, 0, nil)
	}

	ante := store.NewCache(a.block)
	ctx := blockCtx.WithStore(ante)
	ctx.Signer, ctx.TxHash = d.Signer, d.Hash
	account, next, err := a.auth.NextNonce(ctx, d.Signer)
	if err != nil {
		return execResult(err, 0, 0, nil)
	}
	if err := checkNonce(d.Decoded, next); err != nil {
		return execResult(err, 0, 0, nil)
	}
	// From here on the transaction is spent.
	ctx.Account = account
	if err := a.auth.IncrementNonce(ctx, d.Signer); err != nil {
		return execResult(module.ErrInternal.Wrapf("spend the nonce of %s: %v", d.Signer.Hex(), err), 0, 0, nil)
	}
	*blockGas -= int64(limit)
	ctx.Emit("tx",
		module.Indexed("signer", d.Signer.Hex()),
		module.Plain("nonce", strconv.FormatUint(d.Body.Nonce, 10)))

	var meter *module.GasMeter
	msgStore := store.NewCache(ante)
	msgCtx := ctx.WithStore(msgStore)
	if !a.unmetered {
		meter = module.NewGasMeter(limit)
		msgCtx = ctx.WithStore(store.Metered(msgStore, meter))
		msgCtx.Gas = meter
	}
	err = a.runMsgs(msgCtx, d)
	used := meter.Used() // 0 when unmetered (nil meter)
	if err != nil {
		ante.Write()
		return execResult(err, limit, used, ctx.Events())
	}
	msgStore.Write()
	ante.Write()
	return execResult(nil, limit, used, append(msgCtx.Events(), ctx.Events()...))
}

// runMsgs charges the transaction's intrinsic gas, then unpacks its
// messages, admits the signer for them, lets Auth hold them for approvals
// (a pending action of an account with a threshold policy: none runs now)
// and otherwise runs each handler, turning a
// panic into an error: running out of gas into ErrOutOfGas, anything else
// into an internal error. A storage failure is re-raised: the node must
// stop.
func (a *App) runMsgs(ctx module.Context, d *decoded) (err error) {
	defer func() {
		r := recover()
		switch r := r.(type) {
		case nil:
		case module.StoreError:
			panic(r)
		case module.OutOfGas:
			err = ErrOutOfGas.Wrapf("%s needed %d gas in all, the transaction's limit is %d; raise its gas_limit (at most %d) or split it", r.Why, r.Wanted, r.Limit, MaxTxGas)
		default:
			err = module.ErrInternal.Wrapf("message handler panicked: %v", r)
		}
	}()
	ctx.Gas.Charge(intrinsicGas(d.Decoded), "the envelope, signature and nonce")
	msgs, routes, err := a.messagesOf(d)
	if err != nil {
		return err
	}
	if _, _, err := a.auth.Admit(ctx, d.Signer, msgs); err != nil {
		return err
	}
	if held, err := a.auth.Hold(ctx, d.Signer, msgs, d.Body.Messages); err != nil || held {
		return err
	}
	for i, m := range msgs {
		if err := routes[i].Handle(ctx, m); err != nil {
			return fmt.Errorf("message %d (%s): %w", i, m.ProtoReflect().Descriptor().FullName(), err)
		}
	}
	return nil
}

// execResult is a transaction's result. A refusal carries its codespace
// both in the (unhashed) codespace field, for tools, and in data, which
// CometBFT hashes into the next header's last_results_hash, so that a
// proven result says which module refused (see ResultData in tx.proto).
func execResult(err error, gasWanted, gasUsed uint64, events []abci.Event) *abci.ExecTxResult {
	res := &abci.ExecTxResult{Code: abci.CodeTypeOK, GasWanted: int64(gasWanted), GasUsed: int64(gasUsed), Events: events}
	if err != nil {
		res.Codespace, res.Code = module.CodeOf(err)
		res.Log = err.Error()
		res.Data, _ = proto.Marshal(&txv1.ResultData{Codespace: res.Codespace})
	}
	return res
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
