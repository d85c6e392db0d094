package accounts

import (
	"github.com/jcredit/jcredit/x/module"
)

// Name implements module.Module.
func (k *Keeper) Name() string { return ModuleName }

// RegisterMsgs implements module.Module: one handler per message.
func (k *Keeper) RegisterMsgs(r *module.Router) {
	module.Register(r, validateOpenAccount, k.OpenAccount)
}

var _ module.Module = (*Keeper)(nil)
