package node

import (
	"errors"
	"fmt"
	"time"

	cfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/crypto/ed25519"
	sm "github.com/cometbft/cometbft/state"
	cmtstore "github.com/cometbft/cometbft/store"
	"github.com/cometbft/cometbft/types"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/store"
)

// Export is a node's state exported at a committed height as the genesis
// of a new chain, with where it came from.
type Export struct {
	Doc *types.GenesisDoc
	// Height and AppHash identify the exported state (the app hash is in
	// header Height+1 of the exported chain).
	Height  int64
	AppHash []byte
}

// ExportGenesis reads the node's state at height (0: the latest committed)
// from home, read-only, and returns it as the genesis of a new chain that
// starts at height+1 with every record of the old one: app_state from
// every module's ExportGenesis, the chain id, the consensus parameters in
// force at height (block.max_gas the app's limit), the registry's
// validators, and the time of block height as genesis time. The document
// is checked as a node starting from it would (app.ValidateGenesis:
// InitChain on a state in memory) before it is returned.
//
// The node must be stopped: its databases are locked while it runs. A
// height above the latest committed one, or one no longer kept, is
// refused.
func ExportGenesis(home string, height int64) (*Export, error) {
	c, err := LoadConfig(home)
	if err != nil {
		return nil, err
	}
	tree, err := store.OpenDirReadOnly("state", AppDataDir(home))
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return nil, fmt.Errorf("cannot read the node's state while it runs (the node holds the lock on %s): stop the node, then export: %w", AppDataDir(home), err)
		}
		return nil, err
	}
	a, err := app.NewWithTree(tree)
	if err != nil {
		tree.Close()
		return nil, err
	}
	defer a.Close()
	if height == 0 {
		height = a.LastHeight()
	}
	e, err := a.ExportGenesis(height)
	if err != nil {
		return nil, err
	}
	genesisTime, params, err := cometAt(c, height)
	if err != nil {
		return nil, err
	}
	params.Block.MaxGas = e.MaxGas
	doc := &types.GenesisDoc{
		GenesisTime:     genesisTime,
		ChainID:         e.ChainID,
		InitialHeight:   e.Height + 1,
		ConsensusParams: params,
		AppState:        e.AppState,
	}
	for _, v := range e.Validators {
		if v.PubKeyType != ed25519.KeyType {
			return nil, fmt.Errorf("validator key type %q: only ed25519 is supported", v.PubKeyType)
		}
		pk := ed25519.PubKey(v.PubKeyBytes)
		doc.Validators = append(doc.Validators, types.GenesisValidator{Address: pk.Address(), PubKey: pk, Power: v.Power})
	}
	if err := doc.ValidateAndComplete(); err != nil {
		return nil, fmt.Errorf("exported genesis: %w", err)
	}
	if err := app.ValidateGenesis(e.InitChainRequest(genesisTime)); err != nil {
		return nil, fmt.Errorf("the exported genesis does not pass ValidateGenesis: %w", err)
	}
	return &Export{Doc: doc, Height: e.Height, AppHash: e.AppHash}, nil
}

// cometAt reads from CometBFT's own stores the time of block height and
// the consensus parameters in force for the next block.
func cometAt(c *cfg.Config, height int64) (time.Time, *types.ConsensusParams, error) {
	bdb, err := cfg.DefaultDBProvider(&cfg.DBContext{ID: "blockstore", Config: c})
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("open the block store: %w", err)
	}
	defer bdb.Close()
	meta := cmtstore.NewBlockStore(bdb).LoadBlockMeta(height)
	if meta == nil {
		return time.Time{}, nil, fmt.Errorf("block %d is not in the block store (pruned?)", height)
	}
	sdb, err := cfg.DefaultDBProvider(&cfg.DBContext{ID: "state", Config: c})
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("open CometBFT's state store: %w", err)
	}
	defer sdb.Close()
	params, err := sm.NewStore(sdb, sm.StoreOptions{}).LoadConsensusParams(height + 1)
	if err != nil {
		return time.Time{}, nil, fmt.Errorf("consensus parameters at height %d: %w", height+1, err)
	}
	return meta.Header.Time, &params, nil
}
