package accounts_test

import (
	"encoding/json"
	"strconv"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

// Member roles and action classes, for short.
const (
	representative = accountsv1.MemberRole_MEMBER_ROLE_REPRESENTATIVE
	approverRole   = accountsv1.MemberRole_MEMBER_ROLE_APPROVER
	viewerRole     = accountsv1.MemberRole_MEMBER_ROLE_VIEWER

	transferClass = accountsv1.ActionClass_ACTION_CLASS_TRANSFER
	retireClass   = accountsv1.ActionClass_ACTION_CLASS_RETIRE
	cancelClass   = accountsv1.ActionClass_ACTION_CLASS_CANCEL
	keysClass     = accountsv1.ActionClass_ACTION_CLASS_KEYS_AND_MEMBERS
)

func addMember(name string, role accountsv1.MemberRole) *accountsv1.MsgUpdateMembers {
	return &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{{Address: apptest.Addr(name).Hex(), Role: role, Label: name}}}
}

func removeMember(name string) *accountsv1.MsgUpdateMembers {
	return &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{{Address: apptest.Addr(name).Hex(), Remove: true}}}
}

func rule(class accountsv1.ActionClass, k uint32, above uint64) *accountsv1.ThresholdRule {
	return &accountsv1.ThresholdRule{Class: class, Approvals: k, AboveQuantity: above}
}

func policy(rules ...*accountsv1.ThresholdRule) *accountsv1.MsgSetThresholdPolicy {
	return &accountsv1.MsgSetThresholdPolicy{Rules: rules}
}

func approveAction(id uint64) *accountsv1.MsgApproveAction {
	return &accountsv1.MsgApproveAction{ActionId: id}
}

// heldID is the id of the pending action a transaction became; it fails
// the test if the transaction ran instead.
func heldID(t *testing.T, res *abci.ExecTxResult) uint64 {
	t.Helper()
	s := eventAttr(res.Events, accounts.EventActionPending, "action")
	if s == "" {
		t.Fatalf("the transaction was not held for approvals: %v", res.Events)
	}
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// pendingAction reads a pending action through the public query, with the
// approvals that count now and what the policy asks.
func pendingAction(t *testing.T, c *apptest.Chain, id uint64) *accountsv1.QueryPendingActionResponse {
	t.Helper()
	ans := &accountsv1.QueryPendingActionResponse{}
	if err := c.Read("/accounts/PendingAction", &accountsv1.QueryPendingActionRequest{Id: id}, ans); err != nil {
		t.Fatalf("pending action %d: %v", id, err)
	}
	return ans
}

func retireMsg(q uint64) *creditsv1.MsgRetire {
	return &creditsv1.MsgRetire{Quantity: q, Beneficiary: "Company K.K.", Use: creditsv1.Use_USE_GLOBAL_WARMING_ACT, FiscalYear: 2025}
}

func transferMsg(to string, q uint64) *creditsv1.MsgTransfer {
	return &creditsv1.MsgTransfer{Recipient: apptest.Addr(to).Hex(), Quantity: q}
}

// companyChain is the 2-of-3 company: account "company" (its primary key
// held by the company's administrator) holds 100 credits; its members are
// representatives sato and suzuki, approver tanaka and viewer yamada; its
// policy asks two approvals for retirements, transfers above 10 credits,
// cancellations and key and member changes. Pending actions live ttl
// blocks (0: the default). "bob" is another holder.
func companyChain(t *testing.T, ttl uint64) *apptest.Chain {
	t.Helper()
	state := withCredits(t, "company")
	if ttl != 0 {
		var g map[string]any
		if err := json.Unmarshal(state["accounts"], &g); err != nil {
			t.Fatal(err)
		}
		g["pendingActionTtlBlocks"] = strconv.FormatUint(ttl, 10)
		raw, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		state["accounts"] = raw
	}
	c := apptest.New(t, app.GenesisState(state)).ReplayAtEnd()
	c.OpenAccount("bob", 0, holder)
	c.MustExec("company", &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{
		{Address: apptest.Addr("sato").Hex(), Role: representative, Label: "経理部 佐藤"},
		{Address: apptest.Addr("suzuki").Hex(), Role: representative, Label: "環境部 鈴木"},
		{Address: apptest.Addr("tanaka").Hex(), Role: approverRole, Label: "監査 田中"},
		{Address: apptest.Addr("yamada").Hex(), Role: viewerRole, Label: "閲覧 山田"},
	}})
	c.MustExec("company", policy(rule(transferClass, 2, 10), rule(retireClass, 2, 0), rule(cancelClass, 2, 0), rule(keysClass, 2, 0)))
	return c
}
