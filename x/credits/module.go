package credits

import (
	"github.com/jcredit/jcredit/x/module"
)

// Name implements module.Module.
func (k *Keeper) Name() string { return ModuleName }

// RegisterMsgs implements module.Module: one handler per message, each in
// its msg_<verb>.go file. Issuance has no message of its own: it happens
// when x/projects certifies a monitoring report (IssueBatch).
func (k *Keeper) RegisterMsgs(r *module.Router) {
	module.Register(r, validateTransfer, k.Transfer)
	module.Register(r, validateRetire, k.Retire)
	module.Register(r, validateCancel, k.Cancel)
	module.Register(r, validateSetBatchLabel, k.SetBatchLabel)
	module.Register(r, validateImportLegacyBatch, k.ImportLegacyBatch)
	module.Register(r, validateLock, k.Lock)
	module.Register(r, validateSettle, k.Settle)
	module.Register(r, validateRelease, k.Release)
	module.Register(r, validatePublishOffer, k.PublishOffer) // offers.go
	module.Register(r, validateWithdrawOffer, k.WithdrawOffer)
	module.Register(r, validateOfferTransfer, k.OfferTransfer) // two-step transfers: locks.go
	module.Register(r, validateAcceptTransfer, k.AcceptTransfer)
	module.Register(r, validateCancelTransfer, k.CancelTransfer)
}

var _ module.Module = (*Keeper)(nil)
