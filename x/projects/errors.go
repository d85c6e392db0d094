package projects

import (
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

// Errors of the projects codespace. Codes are stable: clients match on them.
var (
	ErrInvalidMethodology     = module.NewError(ModuleName, 2, "invalid methodology fields")
	ErrMethodologyExists      = module.NewError(ModuleName, 3, "methodology already adopted")
	ErrUnknownMethodology     = module.NewError(ModuleName, 4, "no such methodology")
	ErrMethodologyInactive    = module.NewError(ModuleName, 5, "methodology is abolished; choose an active one")
	ErrUnauthorized           = module.NewError(ModuleName, 6, "signer lacks the role this action needs")
	ErrInvalidProject         = module.NewError(ModuleName, 7, "invalid project fields")
	ErrInvalidMembers         = module.NewError(ModuleName, 8, "invalid program members")
	ErrInvalidDate            = module.NewError(ModuleName, 9, "invalid date or period")
	ErrCreditingTooLong       = module.NewError(ModuleName, 10, "crediting period longer than the scheme allows")
	ErrCreditingEndTooLate    = module.NewError(ModuleName, 11, "crediting period ends after the scheme's latest crediting end")
	ErrInvalidHash            = module.NewError(ModuleName, 12, "document hash must be a SHA-256 in hex (64 digits)")
	ErrInvalidID              = types.ErrInvalidID // code 13, declared beside the ids
	ErrUnknownProject         = module.NewError(ModuleName, 14, "no such project")
	ErrWrongProjectStatus     = module.NewError(ModuleName, 15, "project is not in a status that allows this action")
	ErrNotIndependent         = module.NewError(ModuleName, 16, "review body is not independent of the project (it is the operator or a member)")
	ErrReasonRequired         = module.NewError(ModuleName, 17, "a reason is required")
	ErrNotOperator            = module.NewError(ModuleName, 18, "only the project's operator may do this")
	ErrInvalidReport          = module.NewError(ModuleName, 19, "invalid monitoring report fields")
	ErrPeriodOutsideCrediting = module.NewError(ModuleName, 20, "monitoring period lies outside the project's crediting period")
	ErrPeriodOverlap          = module.NewError(ModuleName, 21, "monitoring period overlaps an earlier report of the project")
	ErrPeriodNotEnded         = module.NewError(ModuleName, 22, "monitoring period has not ended yet")
	ErrUnknownReport          = module.NewError(ModuleName, 23, "no such monitoring report")
	ErrWrongReportStatus      = module.NewError(ModuleName, 24, "report is not in a status that allows this action")
	ErrAmountRaised           = module.NewError(ModuleName, 25, "a verifier may lower the claimed amount, never raise it")
	ErrInactiveRecipient      = module.NewError(ModuleName, 26, "credit recipient is not an active account")
	ErrInvalidGenesis         = module.NewError(ModuleName, 27, "invalid projects genesis")
	ErrAccountInUse           = module.NewError(ModuleName, 28, "account is still tied to projects in progress")
)

// AllErrors lists the codespace's errors (for the uniqueness test and docs).
var AllErrors = []*module.Error{
	ErrInvalidMethodology, ErrMethodologyExists, ErrUnknownMethodology, ErrMethodologyInactive,
	ErrUnauthorized, ErrInvalidProject, ErrInvalidMembers, ErrInvalidDate, ErrCreditingTooLong,
	ErrCreditingEndTooLate, ErrInvalidHash, ErrInvalidID, ErrUnknownProject, ErrWrongProjectStatus,
	ErrNotIndependent, ErrReasonRequired, ErrNotOperator, ErrInvalidReport, ErrPeriodOutsideCrediting,
	ErrPeriodOverlap, ErrPeriodNotEnded, ErrUnknownReport, ErrWrongReportStatus, ErrAmountRaised,
	ErrInactiveRecipient, ErrInvalidGenesis, ErrAccountInUse,
}
