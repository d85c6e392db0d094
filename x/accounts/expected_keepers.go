package accounts

import (
	"github.com/ethereum/go-ethereum/common"

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
