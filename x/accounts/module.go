package accounts

import (
	"github.com/jcredit/jcredit/x/module"
)

// Name implements module.Module.
func (k *Keeper) Name() string { return ModuleName }

// RegisterMsgs implements module.Module: one handler per message, each in
// its msg_<verb>.go file.
func (k *Keeper) RegisterMsgs(r *module.Router) {
	module.Register(r, validateOpenAccount, k.OpenAccount)
	module.Register(r, validateUpdateRoles, k.UpdateRoles)
	module.Register(r, validateSuspendAccount, k.SuspendAccount)
	module.Register(r, validateReactivateAccount, k.ReactivateAccount)
	module.Register(r, validateCloseAccount, k.CloseAccount)
	module.Register(r, validateRotateKey, k.RotateKey)
	module.Register(r, validateProposeValidatorChange, k.ProposeValidatorChange)
	module.Register(r, validateProposeMinistryRole, k.ProposeMinistryRole)
	module.Register(r, validateProposeUpgrade, k.ProposeUpgrade)
	module.Register(r, validateProposeUseTable, k.ProposeUseTable)
	module.Register(r, validateApproveProposal, k.ApproveProposal)
	module.Register(r, validateSetGxOperator, k.SetGxOperator)
	module.Register(r, validateProposeGxEtsCap, k.ProposeGxEtsCap)
	module.Register(r, validateUpdateAccountDetails, k.UpdateAccountDetails)
	module.Register(r, validateGrantDelegation, k.GrantDelegation)
	module.Register(r, validateRevokeDelegation, k.RevokeDelegation)
	module.Register(r, validateUpdateTrustedRecipients, k.UpdateTrustedRecipients)
	module.Register(r, validateUpdateMembers, k.UpdateMembers)
	module.Register(r, validateSetThresholdPolicy, k.SetThresholdPolicy)
	module.Register(r, validateApproveAction, k.ApproveAction)
	module.Register(r, validateCancelAction, k.CancelAction)
}

var (
	_ module.Module                  = (*Keeper)(nil)
	_ module.EndBlocker              = (*Keeper)(nil)
	_ module.GenesisValidatorsSetter = (*Keeper)(nil)
)
