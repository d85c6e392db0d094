package projects_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/apptest"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
)

// world is a chain holding a project and a report in every status, so that
// each rule can be tried against each state.
type world struct {
	c *apptest.Chain
	// projects by status (operated by kyoto unless said otherwise)
	pSub, pVal, pReg, pRej, pTerm string
	// pSelf: submitted, operated by selfcheck (a creator that is also a
	// review body). pProg: registered program with farm-v (a member that is
	// also a review body) among its members.
	pSelf, pProg string
	// reports of pReg by status; rProg is a submitted report of pProg.
	rSub, rVer, rCert, rRej, rProg string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	c := newChain(t)
	w := &world{c: c}
	w.pSub = submit(t, c, "kyoto", standardProject())
	w.pVal = submit(t, c, "kyoto", standardProject())
	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: w.pVal})
	w.pReg = registered(t, c, "kyoto", standardProject())
	w.pRej = submit(t, c, "kyoto", standardProject())
	c.MustExec("meti", &projectsv1.MsgRejectProject{ProjectId: w.pRej, Reason: "no additionality"})
	w.pTerm = registered(t, c, "kyoto", standardProject())
	c.MustExec("meti", &projectsv1.MsgTerminateProject{ProjectId: w.pTerm, Reason: "site closed"})
	w.pSelf = submit(t, c, "selfcheck", standardProject())
	prog := programProject()
	prog.Members = append(prog.Members[:2], &projectsv1.MemberSpec{
		Name: "Farm V", Site: "Fukuchiyama", Address: apptest.Addr("farm-v").Hex(), ShareBps: 1667})
	w.pProg = registered(t, c, "kyoto", prog)
	w.rProg = submitReport(t, c, "kyoto", report(w.pProg, 2023, 10))

	// pReg: FY2023 rejected then certified, FY2024 verified, FY2025
	// submitted.
	w.rRej = submitReport(t, c, "kyoto", report(w.pReg, 2023, 500))
	c.MustExec("kiwa", &projectsv1.MsgRejectReport{ReportId: w.rRej, Reason: "missing invoices"})
	w.rCert = verified(t, c, "kyoto", report(w.pReg, 2023, 500), 500)
	c.MustExec("meti", &projectsv1.MsgCertifyReport{ReportId: w.rCert})
	w.rVer = verified(t, c, "kyoto", report(w.pReg, 2024, 600), 550)
	w.rSub = submitReport(t, c, "kyoto", report(w.pReg, 2025, 700))
	return w
}

// rule is a transaction that the rules forbid.
type rule struct {
	name   string
	signer string
	msg    proto.Message
	want   *module.Error
}

// check runs each rule on w's chain: each must be rejected with its own
// code and leave the state as it was but for the signer's spent nonce.
func (w *world) check(t *testing.T, rules []rule) {
	t.Helper()
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			rejected(t, w.c, r.signer, r.want, r.msg)
		})
	}
}
