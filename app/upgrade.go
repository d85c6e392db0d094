package app

import (
	cmtproto "github.com/cometbft/cometbft/api/cometbft/types/v1"

	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/module"
)

// Upgrade is a migration this binary can apply when the ministries'
// scheduled plan of the same name reaches its height.
type Upgrade struct {
	// Name is the plan name it answers to ("v2").
	Name string
	// From and To are the state versions before and after; To must be this
	// binary's StateVersion.
	From, To uint64
	// Migrate rewrites the state in place. It runs inside the upgrade
	// block, before its transactions, so it must be deterministic; an
	// error halts the node (every honest node fails alike).
	Migrate func(ctx module.Context) error
}

// HaltError is returned by FinalizeBlock when this binary must not execute
// a block: an upgrade it does not have is due, or the state's version is
// not the one it runs. Nothing of the block is executed.
type HaltError struct {
	// Message says what to run instead; it is meant for the operator.
	Message string
	// Plan is the upgrade that is due, if that is the reason.
	Plan *upgradev1.Plan
}

func (e *HaltError) Error() string { return e.Message }

// UpgradeInfoFile is written to the app's data directory when the node
// stops for an upgrade, in the format Cosmos SDK's cosmovisor reads
// ({"name", "height", "info"}), so that a supervisor can switch binaries.
const UpgradeInfoFile = "upgrade-info.json"

// RegisterUpgrade makes this binary able to apply u. It panics on a
// wiring mistake (duplicate name, a target other than StateVersion).
func (a *App) RegisterUpgrade(u Upgrade) {
	if u.Name == "" || u.Migrate == nil || u.To <= u.From {
		panic(fmt.Sprintf("app: upgrade %q is incomplete", u.Name))
	}
	if u.To != a.stateVersion {
		panic(fmt.Sprintf("app: upgrade %q goes to version %d, this binary runs %d", u.Name, u.To, a.stateVersion))
	}
	for _, have := range a.upgrades {
		if have.Name == u.Name {
			panic(fmt.Sprintf("app: upgrade %q registered twice", u.Name))
		}
	}
	a.upgrades = append(a.upgrades, u)
}

// OnHalt registers f to be called (once, from FinalizeBlock) when the app
// refuses to execute a block. The node uses it to stop with the message.
func (a *App) OnHalt(f func(*HaltError)) { a.onHalt = f }

// beginBlock runs the upgrade checks before a block's transactions: at a
// scheduled plan's height it migrates the state if this binary knows the
// plan, and refuses the block otherwise; at any other height it refuses a
// state whose version is not this binary's. It returns the upgrade it
// applied, if any.
func (a *App) beginBlock(ctx module.Context) (*Upgrade, error) {
	version := a.upgrade.Version(ctx.Store)
	plan := a.upgrade.Plan(ctx.Store)
	if plan != nil && plan.Height == ctx.Height {
		u := a.findUpgrade(plan.Name)
		if u == nil {
			return nil, a.halt(&HaltError{Plan: plan, Message: fmt.Sprintf(
				"UPGRADE %q NEEDED at height %d: this binary (jcreditd %s, state version %d) does not have it; stop and run the release the ministries named (%s)",
				plan.Name, plan.Height, Version, a.stateVersion, planInfo(plan))})
		}
		if u.From != version {
			return nil, a.halt(&HaltError{Plan: plan, Message: fmt.Sprintf(
				"upgrade %q migrates state version %d, but the chain's state is at version %d; run the release the ministries named (%s)",
				plan.Name, u.From, version, planInfo(plan))})
		}
		if err := u.Migrate(ctx); err != nil {
			return nil, a.halt(&HaltError{Plan: plan, Message: fmt.Sprintf("upgrade %q at height %d failed: %v", plan.Name, plan.Height, err)})
		}
		a.upgrade.MarkApplied(ctx, plan, u.From, u.To)
		return u, nil
	}
	switch {
	case version < a.stateVersion && plan != nil:
		return nil, a.halt(&HaltError{Message: fmt.Sprintf(
			"this binary (jcreditd %s) runs state version %d, but the chain is at version %d until upgrade %q at height %d; run the previous release until then",
			Version, a.stateVersion, version, plan.Name, plan.Height)})
	case version != a.stateVersion:
		return nil, a.halt(&HaltError{Message: fmt.Sprintf(
			"this binary (jcreditd %s) runs state version %d, but the chain's state is at version %d; run a release for state version %d",
			Version, a.stateVersion, version, version)})
	}
	return nil, nil
}

func (a *App) findUpgrade(name string) *Upgrade {
	for i := range a.upgrades {
		if a.upgrades[i].Name == name {
			return &a.upgrades[i]
		}
	}
	return nil
}

// versionUpdate is the consensus-parameter change that makes CometBFT
// write the new state version into the headers from the next block on
// (header H+1's version.app then names the layout of state H, which is how
// a proof verifier knows which key layout a proven state has).
func versionUpdate(u *Upgrade) *cmtproto.ConsensusParams {
	if u == nil {
		return nil
	}
	return &cmtproto.ConsensusParams{Version: &cmtproto.VersionParams{App: u.To}}
}

func planInfo(p *upgradev1.Plan) string {
	if p.Info == "" {
		return "no info given"
	}
	return p.Info
}

// halt reports e once: to the registered callback and, for a due upgrade,
// in the upgrade-info file beside the state.
func (a *App) halt(e *HaltError) error {
	if e.Plan != nil && a.dataDir != "" {
		bz, _ := json.Marshal(map[string]any{"name": e.Plan.Name, "height": e.Plan.Height, "info": e.Plan.Info})
		_ = os.WriteFile(filepath.Join(a.dataDir, UpgradeInfoFile), bz, 0o600)
	}
	if a.onHalt != nil {
		f := a.onHalt
		a.onHalt = nil
		go f(e) // the callback stops the node, which waits for this call to return
	}
	return e
}
