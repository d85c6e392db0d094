package app_test

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/credits"
)

// TestAuthorizationHeldByThresholds: the authorization matrix's holder
// "org" and the ministry meti, each with a threshold policy asking two
// approvals for every class (transfers above 0 credits). Every governed
// message, from a representative or from the primary key, is held: the
// transaction succeeds with accounts.action_pending and changes nothing
// but its signer's nonce and the pending action's records (pa/, pe/, pi/,
// pn/) — no credit moves, no key or member changes. A message of no class
// runs at once. The approver's approval of each then executes it.
func TestAuthorizationHeldByThresholds(t *testing.T) {
	c := authzChain(t)
	all := func(k uint32) *accountsv1.MsgSetThresholdPolicy {
		var rules []*accountsv1.ThresholdRule
		for class := accountsv1.ActionClass_ACTION_CLASS_TRANSFER; class <= accountsv1.ActionClass_ACTION_CLASS_KEYS_AND_MEMBERS; class++ {
			rules = append(rules, &accountsv1.ThresholdRule{Class: class, Approvals: k})
		}
		return &accountsv1.MsgSetThresholdPolicy{Rules: rules}
	}
	c.MustExec("org", all(2))
	c.MustExec("meti", &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{
		{Address: apptest.Addr("meti-rep").Hex(), Role: accountsv1.MemberRole_MEMBER_ROLE_REPRESENTATIVE},
		{Address: apptest.Addr("meti-apr").Hex(), Role: accountsv1.MemberRole_MEMBER_ROLE_APPROVER}}})
	c.MustExec("meti", all(2))

	rotation := func(signer string) proto.Message {
		sig, err := accounts.SignRotation(apptest.ChainID, apptest.Addr(signer), apptest.Key(signer+"-new"))
		if err != nil {
			t.Fatal(err)
		}
		return &accountsv1.MsgRotateKey{NewAddress: apptest.Addr(signer + "-new").Hex(), NewKeySignature: sig}
	}
	type held struct {
		signer, approver string
		msg              proto.Message
	}
	rows := []held{
		{"org-rep", "org-apr", &creditsv1.MsgTransfer{Recipient: apptest.Addr("h2").Hex(), Quantity: 1}},
		{"org", "org-apr", &creditsv1.MsgTransfer{Recipient: apptest.Addr("h2").Hex(), Serials: []string{authzSerial(holdingOf("org") + 100)}}},
		{"org-rep", "org-apr", &creditsv1.MsgOfferTransfer{Quantity: 1, Recipient: apptest.Addr("h2").Hex()}},
		{"org-rep", "org-apr", &creditsv1.MsgLock{Quantity: 1, Agent: apptest.Addr("tse").Hex(), ExpiresHeight: c.Height + 1000}},
		{"org-rep", "org-apr", &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Org K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_GLOBAL_WARMING_ACT}, FiscalYear: 2025}},
		{"meti-rep", "meti-apr", &creditsv1.MsgCancel{Serials: []string{authzSerial(holdingOf("h1") + 1)}, Reason: "double counting"}},
		{"org-rep", "org-apr", &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{{Address: apptest.Addr("org-new").Hex(), Role: accountsv1.MemberRole_MEMBER_ROLE_VIEWER}}}},
		{"org", "org-apr", &accountsv1.MsgGrantDelegation{Agent: apptest.Addr("target").Hex(), MaxQuantity: 5, ExpiresHeight: c.Height + 100,
			Actions: []accountsv1.DelegatedAction{accountsv1.DelegatedAction_DELEGATED_ACTION_RETIRE}}},
		{"org-rep", "org-apr", &accountsv1.MsgUpdateTrustedRecipients{Add: []string{apptest.Addr("target").Hex()}}},
		{"org-rep", "org-apr", rotation("org-rep")},
		// Last: it replaces the policy.
		{"org", "org-apr", &accountsv1.MsgSetThresholdPolicy{Rules: []*accountsv1.ThresholdRule{{Class: accountsv1.ActionClass_ACTION_CLASS_RETIRE, Approvals: 2}}}},
	}
	for _, r := range rows {
		name := string(proto.MessageName(r.msg))
		before := c.State()
		res := c.MustExec(r.signer, r.msg)
		id := eventAttr(t, res, accounts.EventActionPending, "action")
		for _, k := range before.TxDiff(c.State()) {
			rest, _ := strings.CutPrefix(k, accountstypes.StorePrefix)
			switch {
			case rest == string(accountstypes.KeyRefKey(apptest.Addr(r.signer))), strings.HasPrefix(rest, string(accountstypes.ActionPrefix)),
				strings.HasPrefix(rest, string(accountstypes.ActionExpiryPrefix)), strings.HasPrefix(rest, string(accountstypes.AccountActionPrefix)),
				rest == string(accountstypes.NextActionKey):
			default:
				t.Fatalf("%s from %s, held as action %s, changed %q", name, r.signer, id, k)
			}
		}
		res = c.MustExec(r.approver, &accountsv1.MsgApproveAction{ActionId: parseU(t, id)})
		eventAttr(t, res, accounts.EventActionExecuted, "action")
	}
	// No class: runs at once.
	res := c.MustExec("org", &creditsv1.MsgPublishOffer{Quantity: 1, Contact: "org desk"})
	for _, e := range res.Events {
		if e.Type == accounts.EventActionPending {
			t.Fatalf("an offer was held: %v", res.Events)
		}
	}
	snap, err := c.App.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if err := credits.CheckInvariants(snap); err != nil {
		t.Fatal(err)
	}
}

func parseU(t *testing.T, s string) uint64 {
	t.Helper()
	var n uint64
	for _, ch := range s {
		if ch < '0' || ch > '9' {
			t.Fatalf("%q is not a number", s)
		}
		n = n*10 + uint64(ch-'0')
	}
	return n
}
