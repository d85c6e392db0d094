package upgrade

import "github.com/jcredit/jcredit/x/module"

// Errors of the upgrade codespace. Codes are stable: clients match on them.
var (
	ErrInvalidPlan     = module.NewError(ModuleName, 2, "invalid upgrade plan")
	ErrAlreadyApplied  = module.NewError(ModuleName, 3, "an upgrade of this name was applied already")
	ErrNoPlan          = module.NewError(ModuleName, 4, "no upgrade is scheduled")
	ErrInvalidGenesis  = module.NewError(ModuleName, 5, "invalid upgrade genesis")
	ErrUpgradeNeeded   = module.NewError(ModuleName, 6, "upgrade needed: this binary cannot execute the block")
	ErrVersionMismatch = module.NewError(ModuleName, 7, "this binary runs another state version than the chain's")
)

// AllErrors lists the codespace's errors (for the uniqueness test and docs).
var AllErrors = []*module.Error{
	ErrInvalidPlan, ErrAlreadyApplied, ErrNoPlan, ErrInvalidGenesis, ErrUpgradeNeeded, ErrVersionMismatch,
}
