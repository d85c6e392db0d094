package credits

import (
	"github.com/jcredit/jcredit/x/module"
)

// Name implements module.Module.
func (k *Keeper) Name() string { return ModuleName }

// RegisterMsgs implements module.Module: one handler per message, each in
// its msg_<verb>.go file.
func (k *Keeper) RegisterMsgs(r *module.Router) {
}

var _ module.Module = (*Keeper)(nil)
