package projects_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

// TestDelegatedFiling: an application agent (申請代理人) holding kyoto's
// delegation submits a project and its monitoring report for kyoto. Kyoto
// is the operator; the history names the agent (address and number).
// Beyond the delegation's actions, the agent is refused.
func TestDelegatedFiling(t *testing.T) {
	c := newChain(t)
	c.OpenAccount("agent", 0) // an agent needs no role of its own
	kyoto := apptest.Addr("kyoto").Hex()
	c.MustExec("kyoto", &accountsv1.MsgGrantDelegation{
		Agent: apptest.Addr("agent").Hex(), ExpiresHeight: c.Height + 100,
		Actions: []accountsv1.DelegatedAction{accountsv1.DelegatedAction_DELEGATED_ACTION_SUBMIT_PROJECT},
	})
	m := standardProject()
	m.OnBehalfOf = kyoto
	id := submit(t, c, "agent", m)
	p := getProject(t, c, id)
	if p.OperatorAccount != c.AccountNumber("kyoto") || p.History[0].Actor != apptest.Addr("agent").Hex() || p.History[0].AgentAccount != c.AccountNumber("agent") {
		t.Fatalf("project filed by the agent: operator %d, history %v", p.OperatorAccount, p.History)
	}
	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: id})
	c.MustExec("meti", &projectsv1.MsgRegisterProject{ProjectId: id})

	// Reports are not in the delegation: refused, then granted.
	r := report(id, 2023, 500)
	r.OnBehalfOf = kyoto
	rejected(t, c, "agent", accounts.ErrOutsideDelegation, r)
	c.MustExec("kyoto", &accountsv1.MsgGrantDelegation{
		Agent: apptest.Addr("agent").Hex(), ExpiresHeight: c.Height + 100,
		Actions: []accountsv1.DelegatedAction{accountsv1.DelegatedAction_DELEGATED_ACTION_SUBMIT_REPORT},
	})
	rid := submitReport(t, c, "agent", r)
	if rep := getReport(t, c, rid); rep.History[0].AgentAccount != c.AccountNumber("agent") || rep.History[0].Actor != apptest.Addr("agent").Hex() {
		t.Fatalf("report filed by the agent: %v", rep.History)
	}
	// Osaka gave no delegation: the agent cannot file for it.
	m2 := standardProject()
	m2.OnBehalfOf = apptest.Addr("osaka").Hex()
	rejected(t, c, "agent", accounts.ErrNoDelegation, m2)
}
