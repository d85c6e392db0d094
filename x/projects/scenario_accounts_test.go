package projects_test

import (
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/projects"
)

var _ accounts.AccountHook = (*projects.Keeper)(nil)

func rotate(t *testing.T, c *apptest.Chain, from, to string) {
	t.Helper()
	sig, err := accounts.SignRotation(apptest.ChainID, apptest.Addr(from), apptest.Key(to))
	if err != nil {
		t.Fatal(err)
	}
	c.MustExec(from, &accountsv1.MsgRotateKey{NewAddress: apptest.Addr(to).Hex(), NewKeySignature: sig})
}

// A rotated key keeps its projects: the new key is the operator (it
// submits the reports) or the member (it receives the credits), and is
// still not independent of them. The projects name the account's number,
// which the rotation keeps; the history keeps the key that signed.
func TestRotatedKeysKeepTheirProjects(t *testing.T) {
	c := newChain(t)
	std := registered(t, c, "kyoto", standardProject())
	prog := registered(t, c, "kyoto", programProject())

	rotate(t, c, "kyoto", "kyoto-new")
	rotate(t, c, "farm-a", "farm-a-new")

	p := getProject(t, c, std)
	if op := operatorOf(t, c, std); op != apptest.Addr("kyoto-new").Hex() || p.OperatorAccount != c.AccountNumber("kyoto-new") ||
		p.History[0].Actor != apptest.Addr("kyoto").Hex() {
		t.Fatalf("after rotation: operator %s (account %d), first actor %s", op, p.OperatorAccount, p.History[0].Actor)
	}
	list := &projectsv1.QueryProjectsResponse{}
	queryInto(t, c, "/projects/Projects", &projectsv1.QueryProjectsRequest{Operator: apptest.Addr("kyoto-new").Hex()}, list)
	if len(list.Projects) != 2 {
		t.Fatalf("projects of the new key: %d", len(list.Projects))
	}
	list = &projectsv1.QueryProjectsResponse{}
	queryInto(t, c, "/projects/Projects", &projectsv1.QueryProjectsRequest{Operator: apptest.Addr("kyoto").Hex()}, list)
	if len(list.Projects) != 0 {
		t.Fatalf("the old key still operates %d projects", len(list.Projects))
	}

	rid := verified(t, c, "kyoto-new", report(prog, 2023, 100), 100)
	res := c.MustExec("meti", &projectsv1.MsgCertifyReport{ReportId: rid})
	assertIssued(t, res, attr(t, res, projects.EventCertified, "batch"), rid, 100, map[string]uint64{
		apptest.Addr("farm-a-new").Hex(): 50,
		apptest.Addr("farm-b").Hex():     33,
		apptest.Addr("farm-c").Hex():     17,
	})
	submitReport(t, c, "kyoto-new", report(std, 2023, 10))
}

// An account that operates, or is a member of, a project in progress
// cannot be closed; once the project is terminated it can.
func TestOperatorsOfLiveProjectsCannotBeClosed(t *testing.T) {
	c := newChain(t)
	id := registered(t, c, "kyoto", programProject())
	closeMsg := func(name string) *accountsv1.MsgCloseAccount {
		return &accountsv1.MsgCloseAccount{Address: apptest.Addr(name).Hex(), Reason: "company dissolved"}
	}
	for _, name := range []string{"kyoto", "farm-b"} {
		res := rejected(t, c, "secretariat", accounts.ErrCannotClose, closeMsg(name))
		if !strings.Contains(res.Log, projects.ErrAccountInUse.Desc) || !strings.Contains(res.Log, id) {
			t.Fatalf("close of %s refused without naming the project: %s", name, res.Log)
		}
	}
	// osaka operates nothing.
	c.MustExec("secretariat", closeMsg("osaka"))
	c.MustExec("meti", &projectsv1.MsgTerminateProject{ProjectId: id, Reason: "program wound up"})
	c.MustExec("secretariat", closeMsg("kyoto"))
	c.MustExec("secretariat", closeMsg("farm-b"))
}
