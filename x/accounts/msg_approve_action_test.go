package accounts_test

// The 2-of-3 company: how an organisation's members act together. These
// scenarios read as the rules of x/accounts' threshold policies.

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
)

// TestRetirementWaitsForTheSecondApproval: a representative's retirement
// does not run: it becomes pending action 1 — the state changes by the
// signer's nonce and the pending record only, and no credit moves. The
// approver's approval, the second, executes it in its own transaction: the
// retirement record exists, initiated by sato, and conservation holds. The
// action cannot be approved again.
func TestRetirementWaitsForTheSecondApproval(t *testing.T) {
	c := companyChain(t, 0)
	before := c.State()
	held := holdings(t, c, apptest.Addr("company").Hex())

	res := c.MustExec("sato", retireMsg(30))
	id := heldID(t, res)
	if id != 1 || eventAttr(res.Events, "credits.retire", "retirement_id") != "" {
		t.Fatalf("held as action %d; events %v", id, res.Events)
	}
	// sato's nonce (k/), the action (pa/), its expiry and account index
	// entries (pe/, pi/) and the action sequence (pn/): nothing else.
	wantChanged(t, before.TxDiff(c.State()), accountstypes.KeyRefKey(apptest.Addr("sato")),
		accountstypes.ActionKey(1), accountstypes.ActionExpiryKey(c.Height+accounts.DefaultPendingActionTTLBlocks, 1),
		accountstypes.AccountActionKey(c.AccountNumber("company"), 1), accountstypes.NextActionKey)
	if got := holdings(t, c, apptest.Addr("company").Hex()); got != held {
		t.Fatalf("credits moved before the second approval:\n%s", got)
	}
	a := pendingAction(t, c, 1)
	if a.Counted != 1 || a.Required != 2 || a.Action.Status != accountsv1.ActionStatus_ACTION_STATUS_PENDING ||
		a.Action.Initiator != apptest.Addr("sato").Hex() || a.Action.Class != retireClass {
		t.Fatalf("pending action: %+v", a)
	}

	// The initiator's approval is counted already: a second one is refused.
	reject(t, c, "sato", accounts.ErrAlreadyApprovedAction, approveAction(1))

	res = c.MustExec("tanaka", approveAction(1))
	if !hasEvent(res.Events, accounts.EventActionExecuted, "action", "1") {
		t.Fatalf("not executed: %v", res.Events)
	}
	rec := retirementOf(t, c, eventAttr(res.Events, "credits.retire", "retirement_id"))
	if rec.AccountNumber != c.AccountNumber("company") || rec.Quantity != 30 {
		t.Fatalf("retirement: %+v", rec)
	}
	if a := pendingAction(t, c, 1); a.Action.Status != accountsv1.ActionStatus_ACTION_STATUS_EXECUTED || a.Action.DecidedHeight != c.Height {
		t.Fatalf("after execution: %+v", a.Action)
	}
	checkInvariants(t, c)
	reject(t, c, "suzuki", accounts.ErrActionNotPending, approveAction(1))
	reject(t, c, "sato", accounts.ErrUnknownAction, approveAction(99))
}

// wantChanged fails unless the keys changed (full store keys) are exactly
// want (keys under the accounts prefix).
func wantChanged(t *testing.T, changed []string, want ...[]byte) {
	t.Helper()
	w := map[string]bool{}
	for _, k := range want {
		w[accountstypes.StorePrefix+string(k)] = true
	}
	if len(changed) != len(w) {
		t.Fatalf("changed %d keys %q, want %d", len(changed), changed, len(w))
	}
	for _, k := range changed {
		if !w[k] {
			t.Fatalf("changed %q, not among the expected keys", k)
		}
	}
}

// TestExpiredActionNeverExecutes: an action not approved within
// pending_action_ttl_blocks expires at the end of its last block and never
// executes; approving it afterwards is refused and changes nothing but the
// nonce.
func TestExpiredActionNeverExecutes(t *testing.T) {
	c := companyChain(t, 3)
	res := c.MustExec("sato", retireMsg(30))
	id := heldID(t, res)
	expires := c.Height + 3
	held := holdings(t, c, apptest.Addr("company").Hex())
	for c.Height < expires {
		c.Block()
	}
	a := pendingAction(t, c, id)
	if a.Action.Status != accountsv1.ActionStatus_ACTION_STATUS_EXPIRED || a.Action.DecidedHeight != expires {
		t.Fatalf("at its last height: %+v", a.Action)
	}
	reject(t, c, "tanaka", accounts.ErrActionNotPending, approveAction(id))
	if got := holdings(t, c, apptest.Addr("company").Hex()); got != held {
		t.Fatalf("an expired action moved credits:\n%s", got)
	}
	checkInvariants(t, c)
}

// TestExpiryIsBoundedPerBlock: EndBlock expires at most
// MaxExpiriesPerBlock actions a block and leaves the rest for the next; an
// approval of one not yet marked, after its last height, is refused all
// the same.
func TestExpiryIsBoundedPerBlock(t *testing.T) {
	c := companyChain(t, 2)
	n := accounts.MaxExpiriesPerBlock + 1
	nonce := c.Nonce("sato")
	var txs [][]byte
	for i := 0; i < n; i++ {
		txs = append(txs, c.Sign("sato", nonce+uint64(i), retireMsg(1)))
	}
	for i, r := range c.Block(txs...) {
		if r.Code != 0 {
			t.Fatalf("tx %d: %s", i, r.Log)
		}
	}
	expires := c.Height + 2
	for c.Height < expires {
		c.Block()
	}
	last := uint64(n)
	if a := pendingAction(t, c, last); a.Action.Status != accountsv1.ActionStatus_ACTION_STATUS_PENDING {
		t.Fatalf("action %d was expired in the same block as %d others: %v", last, accounts.MaxExpiriesPerBlock, a.Action.Status)
	}
	if a := pendingAction(t, c, last-1); a.Action.Status != accountsv1.ActionStatus_ACTION_STATUS_EXPIRED {
		t.Fatalf("action %d: %v", last-1, a.Action.Status)
	}
	// Refused, though EndBlock has not marked it yet; that block's
	// EndBlock marks it.
	wantCode(t, c.Exec("tanaka", approveAction(last)), accounts.ErrActionExpired)
	if a := pendingAction(t, c, last); a.Action.Status != accountsv1.ActionStatus_ACTION_STATUS_EXPIRED || a.Action.DecidedHeight != expires+1 {
		t.Fatalf("action %d after the next block: %+v", last, a.Action)
	}
	checkInvariants(t, c)
}

// TestRemovedMemberCannotApprove: sato initiates a retirement, then is
// removed from the company (a key change: two approvals). sato's key can
// no longer sign at all — its approval is refused before anything runs —
// and its earlier approval no longer counts: tanaka's approval alone does
// not execute the retirement; suzuki's, the second that counts, does.
func TestRemovedMemberCannotApprove(t *testing.T) {
	c := companyChain(t, 0)
	retire := heldID(t, c.MustExec("sato", retireMsg(30)))
	removal := heldID(t, c.MustExec("company", removeMember("sato")))
	res := c.MustExec("suzuki", approveAction(removal))
	if !hasEvent(res.Events, accounts.EventMembers, "removed", apptest.Addr("sato").Hex()) {
		t.Fatalf("sato not removed: %v", res.Events)
	}
	// A key no account has: refused with nothing changed, not even a nonce.
	res = c.ExecFails("sato", approveAction(retire))
	wantCode(t, res, accounts.ErrMemberRemoved)

	if a := pendingAction(t, c, retire); a.Counted != 0 || len(a.Action.Approvals) != 1 {
		t.Fatalf("sato's approval still counts: %+v", a)
	}
	res = c.MustExec("tanaka", approveAction(retire))
	if hasEvent(res.Events, accounts.EventActionExecuted, "action", utoaT(retire)) || eventAttr(res.Events, accounts.EventActionApproved, "approvals") != "1" {
		t.Fatalf("executed on a removed member's approval: %v", res.Events)
	}
	res = c.MustExec("suzuki", approveAction(retire))
	if !hasEvent(res.Events, accounts.EventActionExecuted, "action", utoaT(retire)) {
		t.Fatalf("not executed on two approvals that count: %v", res.Events)
	}
	checkInvariants(t, c)
	// The removed address never comes back: the change is held for a
	// second approval, which fails with the reason.
	readd := heldID(t, c.MustExec("company", addMember("sato", representative)))
	reject(t, c, "suzuki", accounts.ErrAddressRetired, approveAction(readd))
}

// TestViewerAndApproverRoles: a viewer signs nothing; an approver only
// approves; neither refusal changes anything but the signer's nonce.
func TestViewerAndApproverRoles(t *testing.T) {
	c := companyChain(t, 0)
	reject(t, c, "yamada", accounts.ErrViewerCannotSign, transferMsg("bob", 1))
	id := heldID(t, c.MustExec("sato", retireMsg(5)))
	reject(t, c, "yamada", accounts.ErrViewerCannotSign, approveAction(id))
	reject(t, c, "tanaka", accounts.ErrApproverOnlyApproves, transferMsg("bob", 1))
	reject(t, c, "tanaka", accounts.ErrApproverOnlyApproves, &accountsv1.MsgCancelAction{ActionId: id})
	reject(t, c, "tanaka", accounts.ErrApproverOnlyApproves, approveAction(id), retireMsg(1))
	// Approving together with other messages is refused when they need
	// approvals themselves.
	reject(t, c, "suzuki", accounts.ErrApprovalNotHeld, approveAction(id), retireMsg(1))
	c.MustExec("tanaka", approveAction(id))
	checkInvariants(t, c)
}

// TestTransferUnderTheLimitRunsAtOnce: transfers of at most 10 credits in
// a transaction need one signature; above it, two — the transaction's
// total counts, so splitting it into messages does not pass under.
func TestTransferUnderTheLimitRunsAtOnce(t *testing.T) {
	c := companyChain(t, 0)
	res := c.MustExec("sato", transferMsg("bob", 10))
	if !hasEvent(res.Events, "credits.transfer", "recipient", apptest.Addr("bob").Hex()) || hasEvent(res.Events, accounts.EventActionPending, "account_number", utoaT(c.AccountNumber("company"))) {
		t.Fatalf("a transfer of 10 was held: %v", res.Events)
	}
	heldID(t, c.MustExec("sato", transferMsg("bob", 11)))
	heldID(t, c.MustExec("sato", transferMsg("bob", 6), transferMsg("bob", 5)))
	// The primary key is held to the same policy.
	heldID(t, c.MustExec("company", transferMsg("bob", 50)))
	if got := heldQuantity(t, c, "bob"); got != 10 {
		t.Fatalf("bob holds %d, want the 10 transferred at once only", got)
	}
	checkInvariants(t, c)
}

// TestRotationKeepsApprovals: approvals belong to the member, recorded by
// its member id, so a key rotation keeps them. sato approves (initiates) a
// retirement, then rotates its key (a key change: suzuki approves); the
// new key cannot approve the same action again, and tanaka's approval is
// the second that counts: the retirement executes.
func TestRotationKeepsApprovals(t *testing.T) {
	c := companyChain(t, 0)
	retire := heldID(t, c.MustExec("sato", retireMsg(20)))
	rot := heldID(t, c.MustExec("sato", rotateMsg(t, apptest.ChainID, "sato", "sato-new")))
	c.MustExec("suzuki", approveAction(rot))
	k, s := keeperView(t, c)
	if n, _ := k.AccountNumber(s, apptest.Addr("sato-new")); n != c.AccountNumber("company") {
		t.Fatalf("sato-new signs for account %d", n)
	}
	if m := k.Member(s, c.AccountNumber("company"), apptest.Addr("sato-new")); m == nil || m.Role != representative || m.Id != 1 {
		t.Fatalf("member record after rotation: %+v", m)
	}
	reject(t, c, "sato", accounts.ErrKeyRotated, approveAction(retire))
	if a := pendingAction(t, c, retire); a.Counted != 1 {
		t.Fatalf("after the rotation %d approvals count, want sato's", a.Counted)
	}
	reject(t, c, "sato-new", accounts.ErrAlreadyApprovedAction, approveAction(retire))
	res := c.MustExec("tanaka", approveAction(retire))
	if !hasEvent(res.Events, accounts.EventActionExecuted, "action", utoaT(retire)) {
		t.Fatalf("not executed: %v", res.Events)
	}
	checkInvariants(t, c)
}

// TestFailedExecutionLeavesActionPending: if the approved action's
// messages fail when the threshold is reached (the company no longer holds
// the credits), the approving transaction fails with the message's own
// error and changes nothing but its nonce; the action stays pending, and
// a representative can cancel it.
func TestFailedExecutionLeavesActionPending(t *testing.T) {
	c := companyChain(t, 0)
	big := heldID(t, c.MustExec("sato", retireMsg(80)))
	other := heldID(t, c.MustExec("suzuki", retireMsg(50)))
	c.MustExec("tanaka", approveAction(other))
	res := c.ExecFails("tanaka", approveAction(big))
	if res.Codespace != "credits" {
		t.Fatalf("want the retirement's own refusal, got %s/%d: %s", res.Codespace, res.Code, res.Log)
	}
	if a := pendingAction(t, c, big); a.Action.Status != accountsv1.ActionStatus_ACTION_STATUS_PENDING || len(a.Action.Approvals) != 1 {
		t.Fatalf("after the failed execution: %+v", a.Action)
	}
	c.MustExec("suzuki", &accountsv1.MsgCancelAction{ActionId: big, Reason: "only 50 credits left"})
	if a := pendingAction(t, c, big); a.Action.Status != accountsv1.ActionStatus_ACTION_STATUS_CANCELLED || a.Action.Reason != "only 50 credits left" {
		t.Fatalf("after cancelling: %+v", a.Action)
	}
	reject(t, c, "tanaka", accounts.ErrActionNotPending, approveAction(big))
	checkInvariants(t, c)
}

// TestSingleKeyAccountsUnchanged: an account without members or policy
// acts on one signature, as before; its transactions are never held.
func TestSingleKeyAccountsUnchanged(t *testing.T) {
	c := apptest.New(t, withCredits(t, "alice")).ReplayAtEnd()
	c.OpenAccount("bob", 0, holder)
	res := c.MustExec("alice", retireMsg(60), transferMsg("bob", 40))
	if hasEvent(res.Events, accounts.EventActionPending, "account_number", utoaT(c.AccountNumber("alice"))) {
		t.Fatalf("held: %v", res.Events)
	}
	checkInvariants(t, c)
}

// heldQuantity is the number of active credits name's account holds.
func heldQuantity(t *testing.T, c *apptest.Chain, name string) uint64 {
	t.Helper()
	ans := &creditsv1.QueryHoldingsResponse{}
	if err := c.Read("/credits/Holdings", &creditsv1.QueryHoldingsRequest{Account: apptest.Addr(name).Hex()}, ans); err != nil {
		t.Fatal(err)
	}
	var q uint64
	for _, h := range ans.Holdings {
		if h.Status == creditsv1.RangeStatus_RANGE_STATUS_ACTIVE {
			q += h.Quantity
		}
	}
	return q
}

// TestPrimaryRotationKeepsApprovals: the primary key's approvals are member
// id 0's, and survive its rotation (itself a key change, approved by
// suzuki): the new primary key cannot approve again, and tanaka's approval
// is the second that counts.
func TestPrimaryRotationKeepsApprovals(t *testing.T) {
	c := companyChain(t, 0)
	retire := heldID(t, c.MustExec("company", retireMsg(20)))
	rot := heldID(t, c.MustExec("company", rotateMsg(t, apptest.ChainID, "company", "company-2")))
	c.MustExec("suzuki", approveAction(rot))
	if acc := account(t, c, "company-2"); acc.Address != apptest.Addr("company-2").Hex() {
		t.Fatalf("after the approved rotation: %+v", acc)
	}
	reject(t, c, "company-2", accounts.ErrAlreadyApprovedAction, approveAction(retire))
	res := c.MustExec("tanaka", approveAction(retire))
	if !hasEvent(res.Events, accounts.EventActionExecuted, "action", utoaT(retire)) {
		t.Fatalf("not executed: %v", res.Events)
	}
	if got := heldQuantity(t, c, "company-2"); got != 80 {
		t.Fatalf("company holds %d, want 80", got)
	}
	checkInvariants(t, c)
}
