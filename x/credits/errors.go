package credits

import (
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Errors of the credits codespace. Each rejection has its own code so that
// clients (and the scenario tests) can tell them apart.
var (
	ErrInvalidIssuance   = module.NewError(ModuleName, 2, "invalid issuance request")
	ErrInvalidSerial     = types.ErrInvalidSerial // code 3, declared beside the serial format
	ErrUnknownBatch      = module.NewError(ModuleName, 4, "no such batch")
	ErrUnknownSerial     = module.NewError(ModuleName, 5, "serial number was never issued")
	ErrInsufficient      = module.NewError(ModuleName, 6, "not enough active credits held")
	ErrNotHolder         = module.NewError(ModuleName, 7, "credits are held by another account")
	ErrNotActive         = module.NewError(ModuleName, 8, "credits are already retired or cancelled")
	ErrRecipientInactive = module.NewError(ModuleName, 9, "recipient is not an active account")
	ErrUseNotAllowed     = module.NewError(ModuleName, 10, "this use does not accept these credits")
	ErrUnauthorized      = module.NewError(ModuleName, 11, "signer lacks the role this action needs")
	ErrInvalidMsg        = module.NewError(ModuleName, 12, "invalid message fields")
	ErrInvalidGenesis    = module.NewError(ModuleName, 13, "invalid credits genesis")
	ErrAlreadyIssued     = module.NewError(ModuleName, 14, "credits for this monitoring report were already issued")
	ErrHoldsCredits      = module.NewError(ModuleName, 15, "account still holds active credits")
	ErrSerialMismatch    = module.NewError(ModuleName, 16, "serial number does not match its batch")
)

// AllErrors lists the codespace's errors (for the uniqueness test and docs).
var AllErrors = []*module.Error{
	ErrInvalidIssuance, ErrInvalidSerial, ErrUnknownBatch, ErrUnknownSerial,
	ErrInsufficient, ErrNotHolder, ErrNotActive, ErrRecipientInactive,
	ErrUseNotAllowed, ErrUnauthorized, ErrInvalidMsg, ErrInvalidGenesis,
	ErrAlreadyIssued, ErrHoldsCredits, ErrSerialMismatch,
}
