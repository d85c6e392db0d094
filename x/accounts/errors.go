package accounts

import "github.com/jcredit/jcredit/x/module"

// Errors of the accounts codespace.
var (
	ErrUnknownSigner   = module.NewError(ModuleName, 2, "signer has no account; ask the secretariat to open one")
	ErrAccountExists   = module.NewError(ModuleName, 3, "account already exists")
	ErrUnauthorized    = module.NewError(ModuleName, 4, "signer lacks the role this action needs")
	ErrInvalidAddress  = module.NewError(ModuleName, 5, "invalid address")
	ErrInvalidAccount  = module.NewError(ModuleName, 6, "invalid account fields")
	ErrAccountInactive = module.NewError(ModuleName, 7, "account is not active")
	ErrUnknownAccount  = module.NewError(ModuleName, 8, "no such account")
	ErrInvalidGenesis  = module.NewError(ModuleName, 9, "invalid accounts genesis")
)

// AllErrors lists the codespace's errors (for the uniqueness test and docs).
var AllErrors = []*module.Error{
	ErrUnknownSigner, ErrAccountExists, ErrUnauthorized, ErrInvalidAddress,
	ErrInvalidAccount, ErrAccountInactive, ErrUnknownAccount, ErrInvalidGenesis,
}
