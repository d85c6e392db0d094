package projects_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func TestCertifyReport(t *testing.T) {
	c := newChain(t)
	id := registered(t, c, "kyoto", standardProject())
	rid := verified(t, c, "kyoto", report(id, 2023, 800), 750)
	rejected(t, c, "kiwa", projects.ErrUnauthorized, &projectsv1.MsgCertifyReport{ReportId: rid})
	res := c.MustExec("meti", &projectsv1.MsgCertifyReport{ReportId: rid, CorsiaEligible: true})
	batch := attr(t, res, projects.EventCertified, "batch")
	assertIssued(t, res, batch, rid, 750, map[string]uint64{apptest.Addr("kyoto").Hex(): 750})
	if attr(t, res, "credits.label", "label") != "LABEL_KIND_CORSIA_ELIGIBLE" {
		t.Fatal("batch not labelled CORSIA-eligible though the ministry said so")
	}
	if r := getReport(t, c, rid); r.BatchId != batch || r.Status != projectsv1.ReportStatus_REPORT_STATUS_CERTIFIED {
		t.Fatalf("certified report = %v", r)
	}
	rejected(t, c, "moe", projects.ErrWrongReportStatus, &projectsv1.MsgCertifyReport{ReportId: rid})
}

// Credits go only to active accounts: a suspended program member blocks
// the certification (and so the issuance) until it is reactivated.
func TestCertifyReportNeedsActiveRecipients(t *testing.T) {
	c := newChain(t)
	id := registered(t, c, "kyoto", programProject())
	rid := verified(t, c, "kyoto", report(id, 2023, 10), 10)
	c.MustExec("secretariat", &accountsv1.MsgSuspendAccount{Address: apptest.Addr("farm-c").Hex(), Reason: "documents expired"})
	rejected(t, c, "meti", projects.ErrInactiveRecipient, &projectsv1.MsgCertifyReport{ReportId: rid})
	if r := getReport(t, c, rid); r.Status != projectsv1.ReportStatus_REPORT_STATUS_VERIFIED || r.BatchId != "" {
		t.Fatalf("report after refused certification: %v", r)
	}
	c.MustExec("secretariat", &accountsv1.MsgReactivateAccount{Address: apptest.Addr("farm-c").Hex(), Reason: "documents renewed"})
	c.MustExec("meti", &projectsv1.MsgCertifyReport{ReportId: rid})
}
