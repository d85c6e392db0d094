package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	dbm "github.com/cometbft/cometbft-db"
	cfg "github.com/cometbft/cometbft/config"
	cmtflags "github.com/cometbft/cometbft/libs/cli/flags"
	"github.com/cometbft/cometbft/libs/log"
	cmtnode "github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/proxy"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/tx"
)

// Node is a jcredit node: the app and CometBFT in one process.
type Node struct {
	App    *app.App
	Comet  *cmtnode.Node
	Home   string
	Config *cfg.Config

	// halted receives the app's refusal to execute a block (an upgrade it
	// does not have is due): the node must stop and say why.
	halted chan *app.HaltError

	// leftDBs are databases CometBFT opens but does not close on stop.
	leftDBs  *openedDBs
	stopOnce sync.Once
	stopErr  error
}

// openedDBs records the databases CometBFT opens through our provider.
// CometBFT v1.0.1 never closes the transaction index database; pebble
// locks a database per process, so without this a node stopped and
// started again in the same process (tests, an embedding program) could
// not reopen it.
type openedDBs struct {
	mu  sync.Mutex
	dbs map[string]dbm.DB
}

func (o *openedDBs) provider(ctx *cfg.DBContext) (dbm.DB, error) {
	db, err := cfg.DefaultDBProvider(ctx)
	if err != nil {
		return nil, err
	}
	if ctx.ID == "tx_index" {
		db = guardClose(db)
	}
	o.mu.Lock()
	o.dbs[ctx.ID] = db
	o.mu.Unlock()
	return db, nil
}

// closeUnclosed closes the databases CometBFT leaves open.
func (o *openedDBs) closeUnclosed() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if db, ok := o.dbs["tx_index"]; ok {
		delete(o.dbs, "tx_index")
		return db.Close()
	}
	return nil
}

// New loads the configuration in home and builds the node (see NewWithConfig).
func New(home string, logger log.Logger) (*Node, error) {
	c, err := LoadConfig(home)
	if err != nil {
		return nil, err
	}
	return NewWithConfig(c, logger)
}

// NewWithConfig opens the app's state under <home>/data/app and builds the
// CometBFT node around it from c (whose RootDir is the home). Nothing runs
// and nothing listens until Start. If building fails, the app is closed.
func NewWithConfig(c *cfg.Config, logger log.Logger) (*Node, error) {
	if logger == nil {
		logger = log.NewNopLogger()
	}
	if err := ValidateGenesisFile(c.RootDir); err != nil {
		return nil, fmt.Errorf("genesis %s: %w", c.GenesisFile(), err)
	}
	if c.Mempool.MaxTxBytes > tx.MaxTxBytes {
		// A home written before the mempool limit followed the app's: the
		// mempool would admit transactions the app refuses.
		logger.Info("lowering mempool.max_tx_bytes to the app's limit", "configured", c.Mempool.MaxTxBytes, "limit", tx.MaxTxBytes)
		c.Mempool.MaxTxBytes = tx.MaxTxBytes
	}
	nodeKey, err := p2p.LoadNodeKey(c.NodeKeyFile())
	if err != nil {
		return nil, fmt.Errorf("node key: %w", err)
	}
	pv := privval.LoadFilePV(c.PrivValidatorKeyFile(), c.PrivValidatorStateFile())

	a, err := app.Open(AppDataDir(c.RootDir))
	if err != nil {
		return nil, fmt.Errorf("open app state: %w", err)
	}
	if err := applyAppConfig(a, c.RootDir); err != nil {
		a.Close()
		return nil, err
	}
	dbs := &openedDBs{dbs: map[string]dbm.DB{}}
	comet, err := cmtnode.NewNode(context.Background(), c, pv, nodeKey,
		proxy.NewConnSyncLocalClientCreator(a),
		cmtnode.DefaultGenesisDocProviderFunc(c),
		dbs.provider,
		cmtnode.DefaultMetricsProvider(c.Instrumentation),
		logger,
	)
	if err != nil {
		a.Close()
		for _, db := range dbs.dbs {
			db.Close()
		}
		return nil, fmt.Errorf("build cometbft node: %w", err)
	}
	n := &Node{App: a, Comet: comet, Home: c.RootDir, Config: c, leftDBs: dbs, halted: make(chan *app.HaltError, 1)}
	a.OnHalt(func(e *app.HaltError) {
		logger.Error("the node must stop", "reason", e.Message)
		n.halted <- e
	})
	return n, nil
}

// Halted delivers the app's refusal to execute a block: an upgrade
// this binary does not have is due, or the state's version is not the one
// it runs. The caller should Stop the node and show the message.
func (n *Node) Halted() <-chan *app.HaltError { return n.halted }

// Start starts consensus, p2p, the RPC server and (if enabled) the
// Prometheus endpoint. On failure the node is stopped and the app closed.
func (n *Node) Start() error {
	if err := n.Comet.Start(); err != nil {
		n.Stop()
		return fmt.Errorf("start cometbft: %w", err)
	}
	return nil
}

// Stop shuts down cleanly: CometBFT first (consensus, mempool, RPC, its
// databases), so that no ABCI call can reach the app any more, then the
// app's database. It is safe to call more than once, and on a node that was
// never started.
func (n *Node) Stop() error {
	n.stopOnce.Do(func() {
		var errs []error
		if n.Comet.IsRunning() {
			if err := n.Comet.Stop(); err != nil {
				errs = append(errs, fmt.Errorf("stop cometbft: %w", err))
			}
			n.Comet.Wait()
		} else {
			// Built but never started (or failed to start): the block and
			// state stores are open and must be closed.
			n.Comet.OnStop()
		}
		if err := n.leftDBs.closeUnclosed(); err != nil {
			errs = append(errs, fmt.Errorf("close tx index: %w", err))
		}
		if err := n.App.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close app state: %w", err))
		}
		n.stopErr = errors.Join(errs...)
	})
	return n.stopErr
}

// RPCAddress is the RPC listen address from the config, as a URL a client
// can dial ("tcp://0.0.0.0:26657" becomes "http://127.0.0.1:26657").
func (n *Node) RPCAddress() string { return RPCURL(n.Config.RPC.ListenAddress) }

// NewLogger returns CometBFT's structured logger writing to w: key=value
// lines ("plain") or one JSON object per line ("json"), filtered by level
// ("info", "debug", "error", or per module such as "consensus:info,*:error").
func NewLogger(w io.Writer, format, level string) (log.Logger, error) {
	var l log.Logger
	switch format {
	case "", cfg.LogFormatPlain:
		l = log.NewTMLogger(log.NewSyncWriter(w))
	case cfg.LogFormatJSON:
		l = log.NewTMJSONLogger(log.NewSyncWriter(w))
	default:
		return nil, fmt.Errorf("log format %q: want %q or %q", format, cfg.LogFormatPlain, cfg.LogFormatJSON)
	}
	if level == "" {
		level = cfg.DefaultLogLevel
	}
	return cmtflags.ParseLogLevel(level, l, cfg.DefaultLogLevel)
}
