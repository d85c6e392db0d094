package accounts_test

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

// membersGenesis is validGenesis with two members of meti (account 1) and
// a policy asking both representatives' approval for key changes.
func membersGenesis() *accountsv1.GenesisState {
	g := validGenesis()
	g.Accounts[0].LastMemberId = 2
	a, b := apptest.Addr("meti-a"), apptest.Addr("meti-b")
	if string(a.Bytes()) > string(b.Bytes()) {
		a, b = b, a
	}
	g.Members = []*accountsv1.Member{
		{Account: 1, Address: a.Hex(), Role: representative, Id: 1},
		{Account: 1, Address: b.Hex(), Role: approverRole, Id: 2},
	}
	g.Policies = []*accountsv1.ThresholdPolicy{{Account: 1, Rules: []*accountsv1.ThresholdRule{rule(keysClass, 3, 0)}}}
	return g
}

func TestValidateGenesisMembers(t *testing.T) {
	if err := accounts.ValidateGenesis(membersGenesis()); err != nil {
		t.Fatal(err)
	}
	msg, err := anypb.New(&accountsv1.MsgRevokeDelegation{Agent: apptest.Addr("x").Hex()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		mutate func(g *accountsv1.GenesisState)
		want   string
	}{
		{"member of no account", func(g *accountsv1.GenesisState) { g.Members[0].Account = 99 }, "members[0]"},
		{"members out of order", func(g *accountsv1.GenesisState) { g.Members[0], g.Members[1] = g.Members[1], g.Members[0] }, "by account then address"},
		{"member without role", func(g *accountsv1.GenesisState) { g.Members[1].Role = 0 }, "unknown role"},
		{"member id beyond the account's last", func(g *accountsv1.GenesisState) { g.Members[1].Id = 3 }, "last_member_id"},
		{"member id twice", func(g *accountsv1.GenesisState) { g.Members[1].Id = 1 }, "unique"},
		{"member is a primary key", func(g *accountsv1.GenesisState) {
			g.Members = g.Members[:1]
			g.Members[0].Address = g.Accounts[1].Address
		}, "primary key"},
		{"unreachable policy", func(g *accountsv1.GenesisState) { g.Policies[0].Rules[0].Approvals = 4 }, "approvals"},
		{"policy without rules", func(g *accountsv1.GenesisState) { g.Policies[0].Rules = nil }, "no rules"},
		{"action of no account", func(g *accountsv1.GenesisState) {
			g.PendingActions = []*accountsv1.PendingAction{{Id: 1, Account: 42, Status: accountsv1.ActionStatus_ACTION_STATUS_PENDING, Messages: []*anypb.Any{msg}}}
		}, "pending_actions[0]"},
		{"action sequence behind", func(g *accountsv1.GenesisState) {
			g.PendingActions = []*accountsv1.PendingAction{{Id: 3, Account: 1, Status: accountsv1.ActionStatus_ACTION_STATUS_PENDING, Messages: []*anypb.Any{msg}}}
			g.NextPendingActionId = 3
		}, "next_pending_action_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := membersGenesis()
			tc.mutate(g)
			err := accounts.ValidateGenesis(g)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v does not mention %q", err, tc.want)
			}
		})
	}
}

// TestGenesisMembersSign: a hand-written genesis's members get their keys
// (kind MEMBER, nonce 0) and act under the genesis policy at once.
func TestGenesisMembersSign(t *testing.T) {
	g := &accountsv1.GenesisState{}
	for _, a := range apptest.DefaultAccounts() {
		g.Accounts = append(g.Accounts, &accountsv1.Account{Address: apptest.Addr(a.Name).Hex(), LegalName: a.Name, EntityKind: a.Kind, Country: "JP", Roles: a.Roles})
	}
	g.Accounts[0].LastMemberId = 1
	g.Members = []*accountsv1.Member{{Account: 1, Address: apptest.Addr("meti-a").Hex(), Role: representative, Id: 1}}
	g.Policies = []*accountsv1.ThresholdPolicy{{Account: 1, Rules: []*accountsv1.ThresholdRule{rule(keysClass, 2, 0)}}}
	raw, err := protojson.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	c := apptest.New(t, app.GenesisState{"accounts": raw}).ReplayAtEnd()
	id := heldID(t, c.MustExec("meti-a", &accountsv1.MsgUpdateTrustedRecipients{Restriction: accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON}))
	c.MustExec("meti", approveAction(id))
	if !account(t, c, "meti").TrustedRecipientsOnly {
		t.Fatal("the approved action did not run")
	}
}
