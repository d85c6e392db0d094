package accounts

import (
	"strconv"
)

// Event types the module emits. Each carries indexed attributes naming the
// accounts, proposals and validators involved, so that CometBFT's indexer
// can answer "what happened to this account".
const (
	EventOpen              = "accounts.open"
	EventUpdateRoles       = "accounts.update_roles"
	EventSuspend           = "accounts.suspend"
	EventReactivate        = "accounts.reactivate"
	EventClose             = "accounts.close"
	EventRotateKey         = "accounts.rotate_key"
	EventPropose           = "accounts.proposal_submitted"
	EventApprove           = "accounts.proposal_approved"
	EventApplied           = "accounts.proposal_applied"
	EventExpired           = "accounts.proposal_expired"
	EventValidatorUpdate   = "accounts.validator_update"
	EventMinistryRoleGrant = "accounts.ministry_role"
	// accounts.gx_operator: account, corporate_number (indexed); a ministry
	// marked a GX-ETS operator or recorded its verified emissions.
	EventGxOperator        = "accounts.gx_operator"
	EventUpdateDetails     = "accounts.update_details"
	EventGrantDelegation   = "accounts.delegation_granted"
	EventRevokeDelegation  = "accounts.delegation_revoked"
	EventDelegationUsed    = "accounts.delegation_used"
	EventTrustedRecipients = "accounts.trusted_recipients"
	// Members and thresholds: account_number (indexed) on each; action
	// (indexed) names a pending action.
	EventMembers         = "accounts.members"
	EventPolicy          = "accounts.threshold_policy"
	EventActionPending   = "accounts.action_pending"
	EventActionApproved  = "accounts.action_approved"
	EventActionExecuted  = "accounts.action_executed"
	EventActionExpired   = "accounts.action_expired"
	EventActionCancelled = "accounts.action_cancelled"
)

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func utoa(v uint64) string { return strconv.FormatUint(v, 10) }
