package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

func TestQueries(t *testing.T) {
	c := governanceChain(t)
	c.OpenAccount("holder-a", 0, holder)
	c.OpenAccount("holder-b", 0, holder, provider)
	c.MustExec("meti", addValidator("provider-node", "provider", 5))
	c.MustExec("meti", ministryRole("holder-a", true))

	t.Run("accounts by role", func(t *testing.T) {
		for role, want := range map[string]int{"holder": 2, "PROVIDER": 2, "ROLE_MINISTRY": 3, "secretariat": 1, "verifier": 0} {
			res := c.Query("/accounts/role/"+role, nil, false)
			accs, err := listOf(res.Value, "accounts", func() *accountsv1.Account { return &accountsv1.Account{} })
			if res.Code != 0 || err != nil || len(accs) != want {
				t.Fatalf("role %s: %d accounts (%s %v), want %d", role, len(accs), res.Log, err, want)
			}
		}
		if res := c.Query("/accounts/role/admiral", nil, false); res.Code == 0 {
			t.Fatal("unknown role accepted")
		}
	})
	t.Run("pending proposals", func(t *testing.T) {
		res := c.Query("/accounts/proposals/pending", nil, false)
		ps, err := listOf(res.Value, "proposals", func() *accountsv1.Proposal { return &accountsv1.Proposal{} })
		if err != nil || len(ps) != 2 || ps[0].Id != 1 || ps[1].Id != 2 || ps[0].GetValidator() == nil || ps[1].GetMinistryRole() == nil {
			t.Fatalf("pending: %v %v", ps, err)
		}
		if res := c.Query("/accounts/proposal/1", nil, true); res.Code != 0 || res.ProofOps == nil {
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
		var v accountsv1.Validator
		res := c.Query("/accounts/validator/"+vs[0].Address, nil, false)
		if res.Code == 0 {
			t.Fatal("a CometBFT address is not a key")
		}
		for _, key := range []string{hexKey("moe"), b64Key("moe")} {
			res = c.Query("/accounts/validator/"+key, nil, false)
			if res.Code != 0 || unmarshalJSON(res.Value, &v) != nil || answerAccounts(t, res.Value)[v.OperatorAccount] != apptest.Addr("moe").Hex() {
				t.Fatalf("validator by %s: %s", key, res.Log)
			}
		}
	})
	t.Run("params and errors", func(t *testing.T) {
		var p accountsv1.Params
		res := c.Query("/accounts/params", nil, true)
		if res.Code != 0 || unmarshalJSON(res.Value, &p) != nil || p.MinistryQuorum != 2 || res.ProofOps == nil {
			t.Fatalf("params: %s %v", res.Log, &p)
		}
		for _, path := range []string{"/accounts/nothing", "/accounts/account/xyz", "/accounts/proposal/x", "/accounts/proposal/77", "/accounts/account/" + apptest.Addr("nobody").Hex()} {
			if res := c.Query(path, nil, false); res.Code == 0 {
				t.Fatalf("%s answered", path)
			}
		}
	})
}
