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
	ErrFiscalYear        = module.NewError(ModuleName, 17, "the reporting fiscal year is not one the uses allow")
	ErrScopeMismatch     = module.NewError(ModuleName, 18, "the uses are of different scopes (活用範囲); retire for each scope separately")
	ErrOffsetTarget      = module.NewError(ModuleName, 19, "the carbon offset target is missing or where the credits were created")
	ErrInvalidLabel      = module.NewError(ModuleName, 20, "invalid batch label change")
	ErrAlreadyImported   = module.NewError(ModuleName, 21, "these original serials were already imported")
	ErrInvalidUseTable   = module.NewError(ModuleName, 22, "invalid use table")
	ErrInvalidIdentifier = module.NewError(ModuleName, 23, "invalid official identifiers")

	// Settlement locks (issue 14; codes 80-99 are the markets' range).
	ErrLocked             = module.NewError(ModuleName, 80, "credits are locked for a settlement agent")
	ErrUnknownLock        = module.NewError(ModuleName, 81, "no such settlement lock")
	ErrLockClosed         = module.NewError(ModuleName, 82, "the settlement lock is no longer open")
	ErrNotAgent           = module.NewError(ModuleName, 83, "only the lock's settlement agent may settle or release it")
	ErrLockExpired        = module.NewError(ModuleName, 84, "the settlement lock's expiry height has passed")
	ErrNotSettlementAgent = module.NewError(ModuleName, 85, "the named agent is not an active account with the settlement role")
	ErrGxNotOperator      = module.NewError(ModuleName, 86, "a GX-ETS retirement must count for a GX-ETS operator")
	ErrGxCap              = module.NewError(ModuleName, 87, "the retirement would exceed the operator's GX-ETS cap")
	// Offers of credits for sale and two-step transfers (issue 14).
	ErrUnknownOffer   = module.NewError(ModuleName, 90, "no such open offer")
	ErrNotOfferHolder = module.NewError(ModuleName, 91, "only the offer's holder may withdraw it")
	ErrTransferOffer  = module.NewError(ModuleName, 92, "the lock is a two-step transfer: its recipient accepts it, its sender cancels it")
	ErrNotTransfer    = module.NewError(ModuleName, 93, "the lock is not a two-step transfer")
	ErrNotRecipient   = module.NewError(ModuleName, 94, "only the transfer's recipient may accept it")
	ErrNotSender      = module.NewError(ModuleName, 95, "only the transfer's sender may cancel it")
)

// AllErrors lists the codespace's errors (for the uniqueness test and docs).
var AllErrors = []*module.Error{
	ErrInvalidIssuance, ErrInvalidSerial, ErrUnknownBatch, ErrUnknownSerial,
	ErrInsufficient, ErrNotHolder, ErrNotActive, ErrRecipientInactive,
	ErrUseNotAllowed, ErrUnauthorized, ErrInvalidMsg, ErrInvalidGenesis,
	ErrAlreadyIssued, ErrHoldsCredits, ErrSerialMismatch, ErrFiscalYear,
	ErrScopeMismatch, ErrOffsetTarget, ErrInvalidLabel, ErrAlreadyImported,
	ErrInvalidUseTable, ErrInvalidIdentifier,
	ErrLocked, ErrUnknownLock, ErrLockClosed, ErrNotAgent, ErrLockExpired, ErrNotSettlementAgent,
	ErrGxCap, ErrUnknownOffer, ErrNotOfferHolder, ErrTransferOffer, ErrNotTransfer, ErrNotRecipient, ErrNotSender,
}
