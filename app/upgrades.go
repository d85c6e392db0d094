package app

import (
	"encoding/binary"
	"fmt"

	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects"
)

// StateVersion is the version of the state layout and rules this binary
// executes. A binary executes blocks only on a state of exactly this
// version; an upgrade (x/upgrade) moves the state from one version to the
// next at a height the ministries agreed on. A chain started from genesis by
// this binary is at this version from its first block.
//
//	1  release v0.2.0: accounts keyed by address
//	2  this release: accounts numbered (issue 10), one definition of each
//	   key (issue 11), no empty values in state, the scheme's rules as
//	   state (use table, labels, identifiers, locations; issue 12)
const StateVersion uint64 = 2

// registerUpgrades lists the upgrades this binary can apply, each the
// migration from the state the previous release wrote. The ministries
// schedule one by name (MsgProposeUpgrade); at its height the binary runs
// it inside the block, before the block's transactions.
func (a *App) registerUpgrades(acc *accounts.Keeper, proj *projects.Keeper, cred *credits.Keeper) {
	// v2: from release v0.2.0's layout. The app's own keys first (the
	// block gas limit), then one step per module, in this order: accounts
	// first (it numbers the accounts, which the others resolve addresses
	// to), then projects, then credits. Each module's step is in
	// x/<module>/migrate_v2.go.
	a.RegisterUpgrade(Upgrade{Name: "v2", From: 1, To: 2, Migrate: func(ctx module.Context) error {
		a.migrateAppV2(ctx)
		if err := acc.MigrateV2(ctx); err != nil {
			return fmt.Errorf("accounts: %w", err)
		}
		if err := proj.MigrateV2(ctx, acc.ResolveAddress); err != nil {
			return fmt.Errorf("projects: %w", err)
		}
		if err := cred.MigrateV2(ctx, acc.ResolveAddress, proj); err != nil {
			return fmt.Errorf("credits: %w", err)
		}
		return nil
	}})
}

// migrateAppV2 is the app's own step of the v2 migration: state version 1
// has no block gas limit (app/max_gas; v0.2.0 metered nothing). Release
// v0.2.0's `jcreditd init` and `jcreditd testnet` wrote CometBFT's default
// consensus parameters, block.max_gas -1, for which InitChain keeps
// DefaultBlockMaxGas; the migration writes that same value, so that a
// migrated chain and one started by this binary from the same genesis
// hold the same limit. It depends on nothing but the binary (a migration
// cannot read the consensus parameters: ABCI gives them to InitChain
// only). The app enforces the limit itself, in CheckTx, PrepareProposal,
// ProcessProposal and FinalizeBlock; CometBFT's block.max_gas on such a
// chain stays -1 (no limit of its own).
func (a *App) migrateAppV2(ctx module.Context) {
	if ctx.Store.Get(maxGasKey) == nil {
		ctx.Store.Set(maxGasKey, binary.BigEndian.AppendUint64(nil, uint64(DefaultBlockMaxGas)))
	}
	a.maxGas = blockMaxGas(ctx.Store)
}
