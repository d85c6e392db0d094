package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/api/cometbft/types/v1"

	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/x/module"
)

// Exported is the application's part of a genesis exported at a committed
// height: what `jcreditd genesis export` writes into genesis.json.
type Exported struct {
	// ChainID is the exported chain's id.
	ChainID string
	// Height is the exported height; a chain started from the export begins
	// at Height+1 (genesis.json's initial_height), so that the records'
	// heights stay in the past.
	Height int64
	// AppHash is the app hash of state Height (in header Height+1), so that
	// anyone can tie the export to the exported chain.
	AppHash []byte
	// MaxGas is the block gas limit (consensus block.max_gas).
	MaxGas int64
	// AppState is the app_state: one entry per module, keyed by name, in
	// one deterministic encoding (module.MarshalGenesis; the object's keys
	// sorted): the same state always gives the same bytes.
	AppState json.RawMessage
	// Validators are the registry's validators at Height (the genesis
	// validators of the new chain).
	Validators []abci.ValidatorUpdate
}

// ExportGenesis exports the whole committed state at height (0: the
// latest) as a genesis: every module's ExportGenesis, the chain id and the
// block gas limit. It refuses a height that is not committed or no longer
// kept, and a state whose version is not this binary's (its records would
// be read with the wrong layout: run the binary of that version, or export
// after the upgrade).
func (a *App) ExportGenesis(height int64) (*Exported, error) {
	latest := a.LastHeight()
	if height == 0 {
		height = latest
	}
	if height < 1 || height > latest {
		return nil, fmt.Errorf("height %d is not committed: the state holds heights up to %d", height, latest)
	}
	snap, err := a.SnapshotAt(height)
	if err != nil {
		return nil, fmt.Errorf("height %d is not kept in the state database (pruned?): %w", height, err)
	}
	return a.exportSnapshot(snap)
}

// LastHeight is the latest committed height (0: none).
func (a *App) LastHeight() int64 {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.tree.Version()
}

func (a *App) exportSnapshot(snap *store.Snapshot) (*Exported, error) {
	if v := a.upgrade.Version(snap); v != a.stateVersion {
		return nil, fmt.Errorf("the state at height %d is at state version %d; this binary (jcreditd %s) reads version %d: export with the release of that version",
			snap.Version(), v, Version, a.stateVersion)
	}
	out := &Exported{
		ChainID: string(snap.Get(chainIDKey)),
		Height:  snap.Version(),
		AppHash: snap.Hash(),
		MaxGas:  blockMaxGas(snap),
	}
	gen := GenesisState{}
	for _, m := range a.modules {
		raw, err := m.ExportGenesis(snap)
		if err != nil {
			return nil, fmt.Errorf("export %s at height %d: %w", m.Name(), out.Height, err)
		}
		gen[m.Name()] = raw
		if ve, ok := m.(module.GenesisValidatorsExporter); ok {
			if out.Validators, err = ve.ExportValidators(snap); err != nil {
				return nil, fmt.Errorf("export %s validators: %w", m.Name(), err)
			}
		}
	}
	var err error
	// encoding/json writes a map's keys sorted and compacts the raw
	// entries: one spelling.
	if out.AppState, err = json.Marshal(gen); err != nil {
		return nil, err
	}
	return out, nil
}

// InitChainRequest is the InitChain a chain started from e receives (as
// CometBFT sends it from the genesis.json `jcreditd genesis export`
// writes), with the given genesis time.
func (e *Exported) InitChainRequest(genesisTime time.Time) *abci.InitChainRequest {
	return &abci.InitChainRequest{
		ChainId: e.ChainID, Time: genesisTime, InitialHeight: e.Height + 1,
		AppStateBytes: e.AppState, Validators: e.Validators,
		ConsensusParams: &cmtproto.ConsensusParams{Block: &cmtproto.BlockParams{MaxGas: e.MaxGas}},
	}
}

// ValidateGenesis checks a genesis the way a node starting from it would:
// it runs InitChain on a fresh app over a state held in memory, so every
// module's checks apply (ValidateGenesis of each module, the accounts the
// other modules name, the validators matching app_state). Nothing is
// written anywhere.
func ValidateGenesis(req *abci.InitChainRequest) error {
	tree, err := store.NewMemTree()
	if err != nil {
		return err
	}
	a, err := NewWithTree(tree)
	if err != nil {
		tree.Close()
		return err
	}
	defer a.Close()
	_, err = a.InitChain(context.Background(), req)
	return err
}
