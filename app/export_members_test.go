package app_test

import (
	"testing"
	"time"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/upgradetest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
)

// TestExportRoundTripMembers: an organisation's member keys (one removed,
// one rotated), its threshold policy and its pending actions — executed,
// cancelled, and one still pending — survive export and import; the
// imported chain executes the pending one at its second approval and
// continues the action sequence.
func TestExportRoundTripMembers(t *testing.T) {
	c := upgradetest.NewChain(t)
	rulesScenario(c)
	c.MustExec("secretariat", &accountsv1.MsgOpenAccount{Address: apptest.Addr("carol").Hex(), LegalName: "Carol K.K.",
		EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP", Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER}})
	c.MustExec("kyoto", &creditsv1.MsgTransfer{Recipient: apptest.Addr("carol").Hex(), Quantity: 50})
	member := func(name string, role accountsv1.MemberRole) *accountsv1.MemberChange {
		return &accountsv1.MemberChange{Address: apptest.Addr(name).Hex(), Role: role, Label: name}
	}
	c.MustExec("carol", &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{
		member("carol-rep", accountsv1.MemberRole_MEMBER_ROLE_REPRESENTATIVE), member("carol-apr", accountsv1.MemberRole_MEMBER_ROLE_APPROVER),
		member("carol-view", accountsv1.MemberRole_MEMBER_ROLE_VIEWER), member("carol-gone", accountsv1.MemberRole_MEMBER_ROLE_REPRESENTATIVE)}})
	c.MustExec("carol", &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{{Address: apptest.Addr("carol-gone").Hex(), Remove: true}}})
	c.MustExec("carol", &accountsv1.MsgSetThresholdPolicy{Rules: []*accountsv1.ThresholdRule{
		{Class: accountsv1.ActionClass_ACTION_CLASS_TRANSFER, Approvals: 2, AboveQuantity: 5},
		{Class: accountsv1.ActionClass_ACTION_CLASS_RETIRE, Approvals: 2},
		{Class: accountsv1.ActionClass_ACTION_CLASS_KEYS_AND_MEMBERS, Approvals: 2}}})
	// Action 1 executed: a transfer above the limit.
	c.MustExec("carol-rep", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 10})
	c.MustExec("carol-apr", &accountsv1.MsgApproveAction{ActionId: 1})
	// Action 2: carol-rep's key rotation, executed.
	sig, err := accounts.SignRotation(apptest.ChainID, apptest.Addr("carol-rep"), apptest.Key("carol-rep-2"))
	if err != nil {
		t.Fatal(err)
	}
	c.MustExec("carol-rep", &accountsv1.MsgRotateKey{NewAddress: apptest.Addr("carol-rep-2").Hex(), NewKeySignature: sig})
	c.MustExec("carol", &accountsv1.MsgApproveAction{ActionId: 2})
	// Action 3 cancelled; action 4, a retirement, pending.
	c.MustExec("carol", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 20})
	c.MustExec("carol-rep-2", &accountsv1.MsgCancelAction{ActionId: 3, Reason: "wrong recipient"})
	c.MustExec("carol-rep-2", &creditsv1.MsgRetire{Quantity: 15, Beneficiary: "Carol K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_OTHER}, FiscalYear: 2025})
	c.Block()
	b := roundTrip(t, c.App, c.Height)

	next := &apptest.Chain{T: t, App: b, Height: c.Height + 1, Time: c.Time.Add(time.Hour), MaxGas: c.MaxGas}
	res := next.MustExec("carol-apr", &accountsv1.MsgApproveAction{ActionId: 4})
	eventAttr(t, res, accounts.EventActionExecuted, "action")
	res = next.MustExec("carol-rep-2", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 6})
	if id := eventAttr(t, res, accounts.EventActionPending, "action"); id != "5" {
		t.Fatalf("the imported chain's next action is %s, want 5", id)
	}
	if r := next.Exec("carol-gone", &accountsv1.MsgApproveAction{ActionId: 5}); r.Code != accounts.ErrMemberRemoved.Code {
		t.Fatalf("a removed member after import: %d %s", r.Code, r.Log)
	}
	if err := credits.CheckInvariants(mustSnapshot(t, b)); err != nil {
		t.Fatal(err)
	}
}
