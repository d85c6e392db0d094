package app

import (
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
	// v2: from release v0.2.0's layout. One step per module, in this
	// order: accounts first (it numbers the accounts, which the others
	// resolve addresses to), then projects, then credits. Each step is in
	// x/<module>/migrate_v2.go.
	a.RegisterUpgrade(Upgrade{Name: "v2", From: 1, To: 2, Migrate: func(ctx module.Context) error {
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
