package accounts

import (
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// Errors of the accounts codespace. Codes are stable: clients match on them.
// Codes 2–9 date from the first release; new ones are added after.
var (
	ErrUnknownSigner   = module.NewError(ModuleName, 2, "signer has no account; ask the secretariat to open one")
	ErrAccountExists   = module.NewError(ModuleName, 3, "account already exists")
	ErrUnauthorized    = module.NewError(ModuleName, 4, "signer lacks the role this action needs")
	ErrInvalidAddress  = types.ErrInvalidAddress // code 5, declared beside the address parser
	ErrInvalidAccount  = module.NewError(ModuleName, 6, "invalid account fields")
	ErrAccountInactive = module.NewError(ModuleName, 7, "account is not active")
	ErrUnknownAccount  = module.NewError(ModuleName, 8, "no such account")
	ErrInvalidGenesis  = module.NewError(ModuleName, 9, "invalid accounts genesis")

	ErrKeyRotated          = module.NewError(ModuleName, 10, "this key was rotated away; sign with the account's new key")
	ErrAddressRetired      = module.NewError(ModuleName, 11, "address belonged to an account whose key was rotated; it cannot be reused")
	ErrMinistryQuorumOnly  = module.NewError(ModuleName, 12, "the ministry role is granted or revoked only by a ministry quorum")
	ErrBadStatusChange     = module.NewError(ModuleName, 13, "the account's status does not allow this change")
	ErrAccountClosed       = module.NewError(ModuleName, 14, "account is closed; closed accounts are never reopened or changed")
	ErrCannotClose         = module.NewError(ModuleName, 15, "account still holds something and cannot be closed")
	ErrMinistryProtected   = module.NewError(ModuleName, 16, "a ministry account cannot be suspended or closed by the secretariat; revoke the ministry role by quorum first")
	ErrLastSecretariat     = module.NewError(ModuleName, 17, "the registry must keep at least one active secretariat account")
	ErrBadRotationProof    = module.NewError(ModuleName, 18, "the new key's signature does not prove possession of the new address")
	ErrInvalidValidator    = module.NewError(ModuleName, 19, "invalid validator")
	ErrValidatorExists     = module.NewError(ModuleName, 20, "validator is already in the set")
	ErrUnknownValidator    = module.NewError(ModuleName, 21, "validator is not in the set")
	ErrEmptyValidatorSet   = module.NewError(ModuleName, 22, "the change would leave the validator set empty")
	ErrUnknownProposal     = module.NewError(ModuleName, 23, "no such proposal")
	ErrProposalNotPending  = module.NewError(ModuleName, 24, "proposal is no longer pending (applied or expired)")
	ErrAlreadyApproved     = module.NewError(ModuleName, 25, "this ministry has already approved the proposal")
	ErrInvalidProposal     = module.NewError(ModuleName, 26, "invalid proposal")
	ErrQuorumUnreachable   = module.NewError(ModuleName, 27, "the change would leave fewer active ministries than the quorum")
	ErrOperatesValidator   = module.NewError(ModuleName, 28, "account operates a validator node; remove or re-assign the validator first")
	ErrRotateNotLast       = module.NewError(ModuleName, 29, "the account has moved to a new address earlier in this transaction")
	ErrInvalidStatusReason = module.NewError(ModuleName, 30, "invalid status reason")

	// Validator changes that could stop the chain (codes 40–42).
	ErrPossessionProof  = module.NewError(ModuleName, 40, "the consensus key's possession proof is missing or does not verify")
	ErrUnprovenPower    = module.NewError(ModuleName, 41, "the change would give validators that have not signed a block a third or more of the voting power")
	ErrLiveQuorumAtRisk = module.NewError(ModuleName, 42, "the change would leave the validators signing recent blocks without more than two thirds of the voting power")
	// GX-ETS (issue 14; codes 80-99).
	ErrInvalidGxOperator = module.NewError(ModuleName, 80, "invalid GX-ETS operator record")

	// Organisations (issue 15: codes 100-119).
	ErrInvalidCorporateNumber = types.ErrInvalidCorporateNumber // code 100, beside its check in types
	ErrInvalidCountry         = types.ErrInvalidCountry         // code 101
	ErrInvalidDetails         = module.NewError(ModuleName, 102, "invalid organisation details")
	ErrInvalidDelegation      = module.NewError(ModuleName, 103, "invalid delegation")
	ErrNoDelegation           = module.NewError(ModuleName, 104, "the signer holds no delegation from that account")
	ErrDelegationExpired      = module.NewError(ModuleName, 105, "the delegation has expired")
	ErrOutsideDelegation      = module.NewError(ModuleName, 106, "the delegation does not cover this action")
	ErrDelegationExhausted    = module.NewError(ModuleName, 107, "the delegation's quantity would be exceeded")
	ErrUntrustedRecipient     = module.NewError(ModuleName, 108, "the account transfers only to its trusted recipients")
	ErrInvalidTrusted         = module.NewError(ModuleName, 109, "invalid trusted-recipient change")

	// Members and thresholds (issue 15: codes 110-129).
	ErrInvalidMembers        = module.NewError(ModuleName, 110, "invalid member change")
	ErrInvalidPolicy         = module.NewError(ModuleName, 111, "invalid threshold policy")
	ErrPrimaryKeyOnly        = module.NewError(ModuleName, 112, "only the account's primary key changes members and the policy until its policy has a keys-and-members rule")
	ErrViewerCannotSign      = module.NewError(ModuleName, 113, "a viewer member key reads off chain and signs nothing")
	ErrApproverOnlyApproves  = module.NewError(ModuleName, 114, "an approver member key only approves pending actions")
	ErrMemberRemoved         = module.NewError(ModuleName, 115, "this member key was removed from its account and signs nothing")
	ErrTooManyMembers        = module.NewError(ModuleName, 116, "the account would have more member keys than allowed")
	ErrThresholdUnreachable  = module.NewError(ModuleName, 117, "the policy would need more approvals than the account has keys able to approve")
	ErrUnknownAction         = module.NewError(ModuleName, 118, "no such pending action of the signer's account")
	ErrActionNotPending      = module.NewError(ModuleName, 119, "the action is no longer pending (executed, expired or cancelled)")
	ErrActionExpired         = module.NewError(ModuleName, 120, "the pending action has expired and never executes")
	ErrAlreadyApprovedAction = module.NewError(ModuleName, 121, "this member has already approved the action")
	ErrApprovalNotHeld       = module.NewError(ModuleName, 122, "a transaction that needs approvals cannot also approve or cancel pending actions")
)

// AllErrors lists the codespace's errors (for the uniqueness test and docs).
var AllErrors = []*module.Error{
	ErrUnknownSigner, ErrAccountExists, ErrUnauthorized, ErrInvalidAddress,
	ErrInvalidAccount, ErrAccountInactive, ErrUnknownAccount, ErrInvalidGenesis,
	ErrKeyRotated, ErrAddressRetired, ErrMinistryQuorumOnly, ErrBadStatusChange,
	ErrAccountClosed, ErrCannotClose, ErrMinistryProtected, ErrLastSecretariat,
	ErrBadRotationProof, ErrInvalidValidator, ErrValidatorExists, ErrUnknownValidator,
	ErrEmptyValidatorSet, ErrUnknownProposal, ErrProposalNotPending, ErrAlreadyApproved,
	ErrInvalidProposal, ErrQuorumUnreachable, ErrOperatesValidator, ErrRotateNotLast,
	ErrInvalidStatusReason, ErrPossessionProof, ErrUnprovenPower, ErrLiveQuorumAtRisk,
	ErrInvalidGxOperator,
	ErrInvalidCorporateNumber, ErrInvalidCountry, ErrInvalidDetails,
	ErrInvalidDelegation, ErrNoDelegation, ErrDelegationExpired, ErrOutsideDelegation, ErrDelegationExhausted,
	ErrUntrustedRecipient, ErrInvalidTrusted,
	ErrInvalidMembers, ErrInvalidPolicy, ErrPrimaryKeyOnly, ErrViewerCannotSign, ErrApproverOnlyApproves,
	ErrMemberRemoved, ErrTooManyMembers, ErrThresholdUnreachable, ErrUnknownAction, ErrActionNotPending,
	ErrActionExpired, ErrAlreadyApprovedAction, ErrApprovalNotHeld,
}
