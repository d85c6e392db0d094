package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/module"
)

func TestQueries(t *testing.T) {
	c := governanceChain(t)
	c.OpenAccount("holder-a", 0, holder)
	c.OpenAccount("holder-b", 0, holder, provider)
	c.MustExec("meti", addValidator("provider-node", "provider", 5))
	c.MustExec("meti", ministryRole("holder-a", true))

	t.Run("accounts by role", func(t *testing.T) {
		for role, want := range map[accountsv1.Role]int{holder: 2, provider: 2, ministry: 3, secretariat: 1, verifier: 0} {
			ans := &accountsv1.QueryAccountsResponse{}
			if err := c.Read("/accounts/Accounts", &accountsv1.QueryAccountsRequest{Role: role}, ans); err != nil || len(ans.Accounts) != want {
				t.Fatalf("role %s: %d accounts (%v), want %d", role, len(ans.Accounts), err, want)
			}
		}
		if res := c.Query("/accounts/Accounts", []byte(`{"role":"ROLE_ADMIRAL"}`), false); res.Code == 0 {
			t.Fatal("unknown role accepted")
		}
	})
	t.Run("every account once, by number, over pages", func(t *testing.T) {
		all := &accountsv1.QueryAccountsResponse{}
		if err := c.Read("/accounts/Accounts", nil, all); err != nil || len(all.Accounts) < 6 || all.Page.NextCursor != "" {
			t.Fatalf("accounts: %v %v", all, err)
		}
		var seen []uint64
		pr := &queryv1.PageRequest{Limit: 2}
		for {
			ans := &accountsv1.QueryAccountsResponse{}
			if err := c.Read("/accounts/Accounts", &accountsv1.QueryAccountsRequest{Page: pr}, ans); err != nil {
				t.Fatal(err)
			}
			for _, a := range ans.Accounts {
				seen = append(seen, a.Number)
			}
			if ans.Page.NextCursor == "" {
				break
			}
			pr = &queryv1.PageRequest{Limit: 2, Cursor: ans.Page.NextCursor}
		}
		if len(seen) != len(all.Accounts) {
			t.Fatalf("pages listed %v, want %d accounts", seen, len(all.Accounts))
		}
		for i, n := range seen {
			if n != uint64(i+1) {
				t.Fatalf("pages listed %v, want 1..%d in order", seen, len(all.Accounts))
			}
		}
		// Newest first.
		rev := &accountsv1.QueryAccountsResponse{}
		if err := c.Read("/accounts/Accounts", &accountsv1.QueryAccountsRequest{Page: &queryv1.PageRequest{Limit: 1, Reverse: true}}, rev); err != nil ||
			len(rev.Accounts) != 1 || rev.Accounts[0].Number != uint64(len(all.Accounts)) {
			t.Fatalf("newest account: %v %v", rev, err)
		}
		// A cursor continues only its own query.
		res := c.Ask("/accounts/Accounts", &accountsv1.QueryAccountsRequest{Role: holder, Page: &queryv1.PageRequest{Cursor: rev.Page.NextCursor, Reverse: true}}, false)
		if res.Code != module.ErrBadQuery.Code || res.Codespace != module.ErrBadQuery.Codespace {
			t.Fatalf("a cursor of another query: %d %s", res.Code, res.Log)
		}
	})
	t.Run("pending proposals", func(t *testing.T) {
		ans := &accountsv1.QueryProposalsResponse{}
		if err := c.Read("/accounts/Proposals", &accountsv1.QueryProposalsRequest{Pending: true}, ans); err != nil {
			t.Fatal(err)
		}
		ps := ans.Proposals
		if len(ps) != 2 || ps[0].Id != 1 || ps[1].Id != 2 || ps[0].GetValidator() == nil || ps[1].GetMinistryRole() == nil || len(ans.Accounts) == 0 {
			t.Fatalf("pending: %v", ans)
		}
		if res := c.Ask("/accounts/Proposal", &accountsv1.QueryProposalRequest{Id: 1}, true); res.Code != 0 || res.ProofOps == nil {
			t.Fatalf("proposal proof: %s", res.Log)
		}
	})
	t.Run("validators with operators", func(t *testing.T) {
		vs := validatorSet(t, c)
		if len(vs) != 4 {
			t.Fatalf("%d validators", len(vs))
		}
		for _, v := range vs {
			if v.OperatorAccount == 0 || v.Address == "" || v.Power != 10 {
				t.Fatalf("validator %+v", v)
			}
		}
		// Keys are accepted in hex or base64, as genesis.json writes them.
		res := c.Ask("/accounts/Validator", &accountsv1.QueryValidatorRequest{PubKey: vs[0].Address}, false)
		if res.Code == 0 {
			t.Fatal("a CometBFT address is not a key")
		}
		for _, key := range []string{hexKey("moe"), b64Key("moe")} {
			ans := &accountsv1.QueryValidatorResponse{}
			if err := c.Read("/accounts/Validator", &accountsv1.QueryValidatorRequest{PubKey: key}, ans); err != nil ||
				answerAccounts(ans.Accounts)[ans.Validator.OperatorAccount] != apptest.Addr("moe").Hex() {
				t.Fatalf("validator by %s: %v", key, err)
			}
		}
	})
	t.Run("params and errors", func(t *testing.T) {
		ans := &accountsv1.QueryParamsResponse{}
		res := c.Ask("/accounts/Params", nil, true)
		if res.Code != 0 || module.UnmarshalJSON(res.Value, ans) != nil || ans.Params.MinistryQuorum != 2 || res.ProofOps == nil {
			t.Fatalf("params: %s %v", res.Log, ans)
		}
		for _, bad := range []struct {
			path string
			data string
		}{
			{"/accounts/Nothing", ""}, {"/accounts/Account", `{"account":"xyz"}`}, {"/accounts/Proposal", `{"id":"x"}`},
			{"/accounts/Proposal", `{"id":"77"}`}, {"/accounts/Account", `{"account":"` + apptest.Addr("nobody").Hex() + `"}`},
			{"/accounts/Account", `{"acount":"1"}`}, {"/accounts/Accounts", `{"page":{"limit":1001}}`},
			{"/accounts/Accounts", `{"page":{"cursor":"garbage"}}`},
		} {
			if res := c.Query(bad.path, []byte(bad.data), false); res.Code == 0 {
				t.Fatalf("%s %s answered", bad.path, bad.data)
			}
		}
	})
}
