// Package accounts holds the registry's permissioned accounts — who may act,
// in which roles, and whether they may act now — and the validator set the
// ministries govern.
//
// # Accounts
//
// An account is what the secretariat checked off-chain — legal name, entity
// kind (corporation, local government, individual, foreign entity,
// government), country — under a stable number, given in sequence when the
// account is opened (MsgOpenAccount; genesis accounts first, in genesis
// order) and never changed or reused. Its primary key is a secp256k1 key,
// whose 20-byte address the account record shows; until the secretariat
// opens the account, that key signs nothing.
//
// Every other module names accounts by number, never by address. An address
// reaches its account through its KeyRef (k/<address>), which also holds
// the nonce that key's next transaction must carry — a nonce belongs to a
// signing key, and it is what makes a replayed transaction fail. Admit
// returns the signer's account number and its key's nonce; the app puts the
// number in module.Context.Account for the handlers. Member keys of
// organisations are KeyRefs of kind MEMBER (see "Members and thresholds"),
// so every path from a signer to its account works for them alike.
//
// # State layout
//
// x/accounts/types (keys.go) defines the keys, under "accounts/":
//
//	a/<account# 8B>            Account
//	k/<20B address>            KeyRef{account, nonce, kind}
//	r/<role 1B><account# 8B>   0x01 (accounts by role)
//	t/<20B address>            RetiredAddress{rotated_to, height, account}
//	s/account                  the last account number
//	p/params, v/<ed25519 key> (Validator{operator_account}), u/<key>,
//	g/<proposal id> (Proposal{proposer_account, approval_accounts}),
//	x/<expires><id> (0x01), n/proposal
//	gx/o/<account# 8B>         GxOperator{corporate_number} (keys_gx.go)
//	gx/e/<account# 8B><fy 4B>  GxEmissions{verified_t_co2, document_hash}
//	cn/<13-digit corporate number><account# 8B>  0x01 (accounts of one corporation)
//	nh/<account# 8B><version 8B>  AccountDetails (replaced names and addresses)
//	dg/<grantor# 8B><agent# 8B>   Delegation
//	tr/<account# 8B><recipient# 8B>  TrustedRecipient
//	mb/<account# 8B><address 20B>    Member (member keys; KeyRef kind MEMBER)
//	po/<account# 8B>                 ThresholdPolicy
//	pa/<id 8B>                       PendingAction (any status)
//	pe/<expires 8B><id 8B>           0x01 (pending actions by expiry)
//	pi/<account# 8B><id 8B>          0x01 (an account's pending actions)
//	pn/action                        the next pending action id
//
// No value is empty, so that any key can be proven absent. migrate_v2.go
// moves a state written by release v0.2.0 (accounts keyed by address) to
// this layout in upgrade v2: accounts are numbered in the order they were
// opened (opening height, then the address they were opened with).
//
// Roles (ministry, secretariat, verifier, provider, creator, holder,
// settlement — an exchange's or provider's settlement account, which
// holders name as agent in x/credits' settlement locks) are
// what an account may do; the secretariat sets them (MsgUpdateRoles), except
// the ministry role, which only genesis or a quorum of ministries grants or
// revokes (MsgProposeMinistryRole).
//
// # Organisations: corporate numbers, departments, names over time
//
// An account of a domestic corporation, government body or local government
// may carry its 13-digit corporate number (法人番号, Account.corporate_number),
// which the National Tax Agency assigns. Its first digit is a check digit
// over the other twelve (the base number), computed as the Ministry of
// Finance ordinance prescribes (法人番号の指定等に関する省令, 平成26年財務省令
// 第70号, 第2条; published on the NTA's 法人番号公表サイト):
//
//	check = 9 - ((Σ_{n=1..12} Pn × Qn) mod 9)
//
// with Pn the n-th digit of the base counted from the right and Qn = 1 for
// odd n, 2 for even n (types.ValidateCorporateNumber; the NTA's own number
// 7000012050002 passes). A number with a wrong check digit, of another
// length or with anything but ASCII digits is refused
// (ErrInvalidCorporateNumber). A foreign entity gives instead the
// registration number of its home register (registration_number) and that
// register's country. Every account's country must be an officially
// assigned ISO 3166-1 alpha-2 code (types.ValidateCountry, a fixed list in
// the state machine): user-assigned codes such as XX, reserved ones such as
// UK or EU, and withdrawn ones are refused (ErrInvalidCountry).
//
// Department accounts of one corporation (allowed by the scheme since
// October 2023) are separate accounts — their own keys, holdings and
// roles — that carry the same corporate number and a department name; the
// cn/ index lists them together (CorporateAccounts). The number, country
// and entity kind are identity and never change: a different legal person
// is a different account.
//
// The secretariat records changes of legal name, registered address or
// department (MsgUpdateAccountDetails, with a reason). The replaced version
// is kept under nh/<account><version> with the heights it was in force,
// the reason and the secretariat account that changed it
// (DetailsHistory); Account.details_version counts them. Records of other
// modules that show a legal name copy it at their height — a retirement
// keeps the names of the retiring and beneficiary accounts of its block —
// so a rename changes no record made before it.
//
// # Delegation: agents acting for an account
//
// An account (the grantor) lets another (the agent: an application agent,
// 申請代理人, filing for a client, or a provider moving a client's credits)
// act for it (MsgGrantDelegation): which actions — submit a project, submit
// a monitoring report, transfer, retire — how many credits the agent may
// transfer and retire in all (max_quantity), and until which height
// (expires_height, inclusive). The record is dg/<grantor><agent>; one per
// pair, a new grant replacing the old one and its count. MsgRevokeDelegation
// deletes it, effective from that transaction: a message after it in the
// same block is already refused.
//
// The agent signs with its own key and names the grantor in the message's
// on_behalf_of (x/credits MsgTransfer and MsgRetire, x/projects
// MsgSubmitProject and MsgSubmitReport). The module's handler calls
// Keeper.ActFor, which checks the delegation (ErrNoDelegation,
// ErrDelegationExpired, ErrOutsideDelegation) and hands back a context
// whose Account is the grantor, so every other rule — roles, holdings,
// the operator of a project — is the grantor's; transfers and retirements
// then charge the credits they move (ChargeDelegation,
// ErrDelegationExhausted). Every record made so names both accounts: a
// retirement's account_number (grantor) and agent_account with both legal
// names of that height; a project's or report's operator (grantor) and the
// history entry's actor and agent_account; a transfer's events (sender:
// the grantor; agent_account, agent). Delegations are not transitive (an
// agent cannot grant what it holds), and an expired record stays in state
// until the grantor revokes or replaces it, so that its use stays provable.
//
// # Trusted recipients
//
// An account may restrict its transfers to a list of trusted recipients
// (MsgUpdateTrustedRecipients), the EU Union Registry's safeguard against
// stolen credentials. A recipient added at height H can receive from
// H + trusted_recipient_delay_blocks (a parameter: genesis sets it, 18,720
// blocks — 26 hours at 5-second blocks — by default); one removed stops at
// once. Turning the restriction on is immediate; turning it off takes the
// same delay, until which it stands (Account.trusted_recipients_only,
// trusted_recipients_off_height). x/credits asks MayTransferTo whenever a
// holder's credits go to another account: every transfer, delegated ones
// included (the grantor's list applies), a two-step transfer's offer and
// its acceptance, and an exchange's settlement of a lock to the buyer (the
// seller must trust the buyer; the settlement agent's role exempts
// nothing, since it only names where the credits go). It refuses with
// ErrUntrustedRecipient, naming the height from which a pending recipient
// can receive. Records: tr/<account><recipient>
// (TrustedRecipient, with added and effective heights); query
// TrustedRecipients.
//
// # Members and thresholds
//
// An organisation is not one key. Besides its primary key, an account may
// have up to MaxMembers (16) member keys (MsgUpdateMembers), each with a
// role inside the account — the EU Union Registry's authorised and
// additional authorised representatives, and read-only users:
//
//   - REPRESENTATIVE: initiates any of the account's actions and approves
//     pending ones;
//   - APPROVER: only approves (Admit refuses it any message but
//     MsgApproveAction: ErrApproverOnlyApproves);
//   - VIEWER: reads off chain; signs nothing (ErrViewerCannotSign).
//
// A member key is a KeyRef of kind MEMBER pointing at the account, with its
// own nonce, and a member record mb/<account><address> with its role, a
// label and a member id (1, 2, … from Account.last_member_id, never
// reused; the primary key is id 0). A transaction signed by a member key
// runs with Context.Account the account and Context.Signer the member's
// key, so records name the account and events the person. An added key
// must be fresh (no account's key, never rotated away or removed). A
// removed key is retired like a rotated-away one (t/<address>,
// removed_member): it never signs again (ErrMemberRemoved, before any
// nonce: such a transaction changes nothing) and never returns as a member
// or an account.
//
// A threshold policy (po/<account>, MsgSetThresholdPolicy) says, per class
// of action, how many distinct keys able to approve — the primary key,
// representatives, approvers — must agree:
//
//   - TRANSFER: x/credits MsgTransfer, MsgOfferTransfer, MsgLock (credits
//     leave, or may through a settlement agent), with above_quantity: a
//     transaction moving at most that many credits, all its transfer
//     messages together, needs one approval;
//   - RETIRE: MsgRetire; CANCEL: MsgCancel (a ministry's);
//   - KEYS_AND_MEMBERS: MsgUpdateMembers, MsgSetThresholdPolicy,
//     MsgRotateKey, and MsgGrantDelegation and MsgUpdateTrustedRecipients,
//     which also decide who may move the credits (a delegation would
//     otherwise let one representative's agent do what the policy keeps
//     from the representative).
//
// Other modules tell the class of their messages through ActionClassifier
// (x/credits' ActionClass, from the message alone); every other message
// needs one signature. A policy may not ask more approvals than the
// account has keys able to give them, and no member change may leave it so
// (ErrThresholdUnreachable). An account without a policy acts on one
// signature, exactly as before members existed; until its policy has a
// KEYS_AND_MEMBERS rule, only its primary key changes its members or its
// policy (ErrPrimaryKeyOnly), so that no representative can raise itself.
//
// Pending actions. The app asks Hold for every admitted transaction before
// its messages run. If the signer's account has a policy under which the
// messages need more than one approval, none of them runs: they are
// stored, exactly as signed, as a pending action pa/<id> (ids global, from
// pn/), with the initiator (member id and address), its approval, the
// class that asked the most, and expires_height = now +
// Params.pending_action_ttl_blocks (17,280 by default, a day at 5-second
// blocks), indexed by expiry (pe/) and by account (pi/). The transaction
// succeeds — its nonce is spent — and emits accounts.action_pending with
// the id. A transaction that would be held may not also approve or cancel
// an action (ErrApprovalNotHeld). The messages were checked without state
// when the transaction was admitted; their state checks happen when they
// execute.
//
// MsgApproveAction records an approval of an action of the signer's own
// account, once per member (ErrAlreadyApprovedAction), whichever key the
// member signs with. Approvals are then counted from the keys able to
// approve now, by member id — a member removed (or made a viewer) since it
// approved does not count — against the policy in force now (a policy
// changed or removed meanwhile decides). The approval that reaches it
// executes the messages, in order, in the approving transaction, through
// the app's router (MsgRunner, which the app sets: decoding as for a
// transaction, then each route's handler), as the account, with the
// initiator's current key as signer, metered by the approving
// transaction's gas. If a message fails, the approving transaction fails
// with that message's own error and changes nothing but its nonce: the
// action stays pending, without that approval — simplest to reason about
// (a refused transaction changes nothing), and a state that changes back
// (credits received again) can still let it execute; a representative
// withdraws it otherwise (MsgCancelAction; approvers only approve). An
// action past its expires_height is refused (ErrActionExpired) even
// before EndBlock has marked it; EndBlock marks at most
// MaxExpiriesPerBlock (64) expired actions a block, in expiry order, and
// continues in the next block. Records stay in state with their status
// (executed, expired, cancelled) and height, so that who approved what
// stays provable.
//
// Key rotation of a member (MsgRotateKey signed by the member key, itself
// a KEYS_AND_MEMBERS action) moves its KeyRef with its nonce and its
// member record, keeping its member id: the member's approvals of pending
// actions stay valid, and its new key cannot approve the same action
// again. The old address is retired like any rotated key. The primary
// key's approvals are id 0 and survive its rotations likewise.
//
// # Status: active, suspended, closed
//
// The secretariat suspends (MsgSuspendAccount), reactivates
// (MsgReactivateAccount) and closes (MsgCloseAccount) accounts, always
// giving a reason that is recorded on the account.
//
//   - A suspended account signs nothing at all: Admit, which the app calls
//     for every transaction before any handler, refuses it
//     (ErrAccountInactive). There is deliberately no exception — not even
//     key rotation, since suspension is what the secretariat does when a
//     key is reported stolen, and the thief must not be able to move the
//     account. What the secretariat allows a suspended account is exactly
//     one thing: to be reactivated, by the secretariat.
//   - A suspended account receives nothing: IsActive is false for it, and
//     every module checks IsActive on a recipient (credits will not
//     transfer or issue to it). Its holdings stay where they are.
//   - Closing is final. A closed account must hold nothing that would be
//     stranded: no validator node and nothing another module reports
//     through AccountHook.CanClose (x/credits: active credits; x/projects:
//     projects in progress). Its record stays for history and proofs; its
//     address is never reopened.
//   - Ministries cannot be suspended or closed by the secretariat (revoke
//     the role by quorum first), and the last active secretariat cannot be
//     suspended, closed or stripped of its role, so that the registry can
//     always open and reactivate accounts.
//
// # Key rotation
//
// MsgRotateKey, signed by the account's current key, gives the account a
// new key: the old key's KeyRef is deleted, the new key's written with the
// old one's nonce (the nonce goes with the account's key), the old address
// is recorded as retired with the account's number, and the account record
// names the new address. That is four writes, whatever the account holds:
// its number does not change, so nothing any module keeps — credits,
// projects, validator operatorships, proposal approvals — is touched. The
// new key proves possession by signing RotationSignBytes (chain id, old and
// new address), so an account cannot be moved to a mistyped address nobody
// controls. The old address can never sign again (ErrKeyRotated) nor be
// opened as a new account (ErrAddressRetired); the RetiredAddress query
// says where it went. The account lists its previous addresses.
// MsgRotateKey must be the last message of its transaction (Admit refuses
// it elsewhere: later messages would be signed by a key that no longer
// exists).
//
// # Validator-set governance
//
// The CometBFT validators are recorded in state with their operator
// accounts (genesis: app_state.accounts.validators, checked against
// genesis.json's validators at InitChain). A ministry proposes adding,
// removing or re-weighting a node (MsgProposeValidatorChange); its own
// approval counts. Other ministries approve (MsgApproveProposal); the
// approval that brings the distinct active ministries to the quorum
// (ministry_quorum, 2 of 3 by default) applies the change to state in that
// transaction, and EndBlock returns it to CometBFT as a ValidatorUpdate
// (power 0 removes), which CometBFT applies two blocks later. A proposal
// not approved within proposal_ttl_blocks expires at the end of its last
// block. Only ed25519 consensus keys are accepted, and no change may leave
// the set empty.
//
// # Validator changes that cannot halt the chain
//
// CometBFT commits a block only with the votes of more than two thirds of
// the set's power, and an approved change cannot be undone without a
// block. So a change is refused, when proposed and again when the quorum
// applies it (the set and who signs may have changed in between), if it
// could leave the chain unable to commit:
//
//   - possession (ErrPossessionProof): adding a key, or raising the power
//     of a validator that has not signed a block yet, carries the key's
//     ed25519 signature over types.ValidatorPossessionSignBytes (chain id,
//     kind, key, power, operator). A proposal cannot name a key nobody
//     holds, nor reuse a proof for another power, operator or chain. The
//     CLI signs with the node's priv_validator_key.json (--consensus-key).
//   - unproven power (ErrUnprovenPower): validators that have not signed a
//     block since they were added (last_signed_height 0), the new one
//     included, may hold less than a third of the total power after the
//     change. A key whose holder runs no node can then never stop the
//     chain; it gains weight once its node signs.
//   - live power (ErrLiveQuorumAtRisk): the live validators — those whose
//     last_signed_height is within Params.liveness_window_blocks (100 by
//     default) of the current height — must keep more than two thirds of
//     the total power after the change; removing a live node while others
//     are down, or adding weight the live ones cannot outvote, is refused.
//
// A change that does not make the share in question worse is let through,
// so that a weakened set can always be repaired (removing a silent or an
// unproven validator is never refused by these rules).
//
// Who signs is recorded from the blocks themselves: at the start of every
// block the app hands RecordLastCommit the block's DecidedLastCommit votes,
// and each validator in the set whose vote for the previous block is there
// gets last_signed_height = height-1 — one field per validator, the same on
// every node. Genesis validators (and, at the v2 upgrade, the set that
// reached it) count as having signed at that height: the set is trusted
// there. The record is bounded by the set's size and needs no pruning.
//
// # Software upgrades
//
// The same quorum schedules software upgrades (MsgProposeUpgrade: a name, a
// height, and what operators must run), or cancels the scheduled one. The
// approved plan is kept by x/upgrade; at its height every node either
// migrates the state with the new binary or stops before the block and
// says which release to run (see x/upgrade's package doc).
//
// # The credits use table
//
// The same quorum, and nothing else, replaces the category-by-use table
// every retirement is checked against (MsgProposeUseTable, Proposal field
// use_table): x/credits checks the table when it is proposed and again at
// the quorum, through the UseRules interface this module declares, and
// stores it as the next version, in force from the approving transaction.
// One ministry alone changes no rule.
//
// # GX-ETS operators
//
// A ministry marks an active account as a GX-ETS operator with its
// 13-digit corporate number (法人番号, check digit checked:
// types.CheckCorporateNumber) and records its verified emissions per fiscal
// year (MsgSetGxOperator, gx.go). J-Credits may cover at most
// floor(verified × share / 100) t-CO2 of a year (types.GxCap); the share,
// Params.gx_ets_cap_percent (default 10), changes only by the ministry
// quorum (MsgProposeGxEtsCap, Proposal field gx_ets_cap, 13). x/credits
// asks GxCap when a GX-ETS retirement is made and keeps the totals. Query
// GxOperator is provable (gx/o/<account#>).
//
// # Authorization for other modules
//
// Other modules ask this one about authority through Keeper.HasRole (an
// active account holding a role) and Keeper.IsActive, by account number,
// and resolve the addresses messages name with Keeper.AccountNumber, all
// declared in their own expected_keepers.go; none of them re-implements the
// rules. Proposals name the accounts they change by the address given when
// they were submitted, resolved when they are applied (a key rotated away
// meanwhile still leads to its account).
//
// # Queries
//
// query.go answers the rpcs of service jcredit.accounts.v1.Query
// (proto/jcredit/accounts/v1/query.proto) at /accounts/<rpc>, each request
// in protobuf JSON (x/module): Account (by address or number), Key,
// RetiredAddress, Validator, Proposal and Params are single records, each
// answered with its state key so that prove=true proves it; Accounts (by
// number, or from the role index with role; name filters by legal name,
// x/module NameFilter), Validators, Proposals (by
// id, or with pending from the expiry index), CorporateAccounts (the cn/
// index of one corporate number) and DetailsHistory (an account's nh/
// entries) and Delegations (a grantor's dg/ entries; Delegation is one,
// provable) and TrustedRecipients (an account's tr/ entries) and Members
// (an account's mb/ entries) and PendingActions (an account's pi/ entries;
// with pending, only the open ones; PendingAction is one, provable, with
// the approvals that count now; Policy is provable) are lists,
// paged with one cursor scheme. Answers that name accounts by number list them under
// "accounts" with their current address and legal name.
package accounts
