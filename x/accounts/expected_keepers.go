package accounts

import (
	"github.com/ethereum/go-ethereum/common"

	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/module"
)

// AccountHook lets a module that keys state by address take part in changes
// to accounts. The app registers x/projects and x/credits with SetHooks.
type AccountHook interface {
	// MoveAccount re-homes everything from owns or is named in to the
	// address to, as part of a key rotation. It runs in the rotating
	// transaction: an error aborts the rotation.
	MoveAccount(ctx module.Context, from, to common.Address) error
	// CanClose returns an error naming what still ties addr to the registry
	// (active credits, projects in progress) if it must not be closed.
	CanClose(ctx module.Context, addr common.Address) error
}

// SetHooks registers the modules consulted on rotation and closing, in the
// order they are called.
func (k *Keeper) SetHooks(hooks ...AccountHook) { k.hooks = hooks }

// UpgradeScheduler is what the ministries' upgrade proposals need from
// x/upgrade.
type UpgradeScheduler interface {
	// CheckSchedule checks that p could be scheduled now.
	CheckSchedule(ctx module.Context, p *upgradev1.Plan) error
	// Schedule stores p as the scheduled upgrade.
	Schedule(ctx module.Context, p *upgradev1.Plan) error
	// Plan returns the scheduled upgrade, or nil.
	Plan(s module.KVStore) *upgradev1.Plan
	// Cancel removes the scheduled upgrade.
	Cancel(ctx module.Context) error
}

// SetUpgrades wires the upgrade module, which applies approved upgrade
// proposals.
func (k *Keeper) SetUpgrades(u UpgradeScheduler) { k.upgrades = u }
