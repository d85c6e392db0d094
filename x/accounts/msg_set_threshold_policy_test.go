package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

// TestSetThresholdPolicy: rules are checked (known class, once each, 1 to
// MaxMembers+1 approvals, a quantity for transfers only) and must be
// reachable with the keys able to approve; the stored policy is sorted by
// class; once it exists, changing it is a key change that needs its
// approvals; no rules removes it, and one signature is enough again.
func TestSetThresholdPolicy(t *testing.T) {
	c := apptest.New(t, withCredits(t, "company")).ReplayAtEnd()
	c.OpenAccount("bob", 0, holder)
	for name, m := range map[string]*accountsv1.MsgSetThresholdPolicy{
		"unknown class":       policy(rule(0, 1, 0)),
		"class twice":         policy(rule(retireClass, 1, 0), rule(retireClass, 1, 0)),
		"no approvals":        policy(rule(retireClass, 0, 0)),
		"too many":            policy(rule(retireClass, accounts.MaxMembers+2, 0)),
		"quantity not transf": policy(rule(retireClass, 1, 5)),
	} {
		t.Run(name, func(t *testing.T) { reject(t, c, "company", accounts.ErrInvalidPolicy, m) })
	}
	reject(t, c, "company", accounts.ErrInvalidPolicy, policy()) // none to remove
	// One key able to approve: 2 is unreachable until members are added.
	reject(t, c, "company", accounts.ErrThresholdUnreachable, policy(rule(retireClass, 2, 0)))
	c.MustExec("company", addMember("sato", representative), addMember("yamada", viewerRole))
	reject(t, c, "company", accounts.ErrThresholdUnreachable, policy(rule(retireClass, 3, 0)))
	c.MustExec("company", policy(rule(keysClass, 2, 0), rule(transferClass, 2, 20)))

	k, s := keeperView(t, c)
	p := k.Policy(s, c.AccountNumber("company"))
	if len(p.Rules) != 2 || p.Rules[0].Class != transferClass || p.Rules[0].AboveQuantity != 20 || p.Rules[1].Class != keysClass || p.SetHeight != c.Height {
		t.Fatalf("stored policy: %+v", p)
	}
	ans := &accountsv1.QueryPolicyResponse{}
	if err := c.Read("/accounts/Policy", &accountsv1.QueryPolicyRequest{Account: apptest.Addr("sato").Hex()}, ans); err != nil || len(ans.Policy.Rules) != 2 {
		t.Fatalf("policy query: %v %+v", err, ans)
	}

	// Removing it is a key change: held until sato approves.
	id := heldID(t, c.MustExec("company", policy()))
	heldID(t, c.MustExec("company", transferMsg("bob", 21)))
	c.MustExec("sato", approveAction(id))
	k, s = keeperView(t, c)
	if k.Policy(s, c.AccountNumber("company")) != nil {
		t.Fatal("policy not removed")
	}
	// One signature again: the transfer runs at once. The earlier one,
	// pending, now needs only its initiator's approval: any approval
	// executes it.
	c.MustExec("company", transferMsg("bob", 21))
	if got := heldQuantity(t, c, "bob"); got != 21 {
		t.Fatalf("bob holds %d", got)
	}
	res := c.MustExec("sato", approveAction(id+1))
	if !hasEvent(res.Events, accounts.EventActionExecuted, "action", utoaT(id+1)) {
		t.Fatalf("pending transfer not executed after the policy went: %v", res.Events)
	}
	checkInvariants(t, c)
}
