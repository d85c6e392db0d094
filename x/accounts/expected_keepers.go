package accounts

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/module"
)

// AccountHook lets another module take part in closing an account. The
// app registers x/projects and x/credits with SetHooks. (Key rotation needs
// no hook: other modules name accounts by number, which a rotation does not
// change.)
type AccountHook interface {
	// CanClose returns an error naming what still ties account n to the
	// registry (active credits, projects in progress) if it must not be
	// closed.
	CanClose(ctx module.Context, n uint64) error
}

// SetHooks registers the modules consulted on closing, in the order they
// are called.
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

// UseRules is what the ministries' use-table proposals need from x/credits,
// which keeps the category-by-use table every retirement is checked
// against.
type UseRules interface {
	// CheckUseTable checks a proposed table.
	CheckUseTable(ctx module.Context, t *creditsv1.UseTable) error
	// ApplyUseTable makes t the next version, in force from ctx on, and
	// returns its version.
	ApplyUseTable(ctx module.Context, t *creditsv1.UseTable, proposal uint64) (uint64, error)
}

// SetUseRules wires the credits module, which applies approved use-table
// proposals.
func (k *Keeper) SetUseRules(u UseRules) { k.useRules = u }

// ActionClassifier tells the accounts module which threshold class a
// message of another module falls in, and how many credits it moves. The
// app registers x/credits with SetActionClassifiers.
type ActionClassifier interface {
	// ActionClass returns the class of msg (UNSPECIFIED: not governed by
	// thresholds) and the credits it moves (0 if none or unknown before
	// execution).
	ActionClass(msg proto.Message) (accountsv1.ActionClass, uint64)
}

// SetActionClassifiers wires the modules whose messages thresholds govern.
func (k *Keeper) SetActionClassifiers(c ...ActionClassifier) { k.classifiers = c }

// MsgRunner is what the accounts module needs from the app to execute an
// approved pending action: the app's own decoding and routing of a
// transaction's messages. The app sets it with SetMsgRunner.
type MsgRunner interface {
	// Unpack decodes messages as the app decodes a transaction's (known
	// type, canonical encoding, stateless validation).
	Unpack(msgs []*anypb.Any) ([]proto.Message, error)
	// Run executes msgs in order through the app's router, each handler
	// seeing ctx (its Account the acting account, Signer the acting key,
	// its Store and Gas the approving transaction's), and stops at the
	// first error, which it returns naming the message.
	Run(ctx module.Context, msgs []proto.Message) error
}

// SetMsgRunner wires the app's router for executing approved actions.
func (k *Keeper) SetMsgRunner(r MsgRunner) { k.runner = r }
