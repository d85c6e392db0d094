package projects

import (
	"github.com/jcredit/jcredit/x/module"
)

// Name implements module.Module.
func (k *Keeper) Name() string { return ModuleName }

// RegisterMsgs implements module.Module: one handler per message.
func (k *Keeper) RegisterMsgs(r *module.Router) {
	module.Register(r, validateAdoptMethodology, k.AdoptMethodology)
	module.Register(r, validateSubmitProject, k.SubmitProject)
	module.Register(r, validateValidateProject, k.ValidateProject)
	module.Register(r, validateRegisterProject, k.RegisterProject)
	module.Register(r, validateRejectProject, k.RejectProject)
	module.Register(r, validateTerminateProject, k.TerminateProject)
	module.Register(r, validateSubmitReport, k.SubmitReport)
	module.Register(r, validateVerifyReport, k.VerifyReport)
	module.Register(r, validateCertifyReport, k.CertifyReport)
	module.Register(r, validateRejectReport, k.RejectReport)
}

var _ module.Module = (*Keeper)(nil)
