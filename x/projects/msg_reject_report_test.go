package projects_test

import (
	"testing"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func TestRejectReport(t *testing.T) {
	c := newChain(t)
	id := registered(t, c, "kyoto", standardProject())
	rid := verified(t, c, "kyoto", report(id, 2023, 800), 750)
	rejected(t, c, "meti", projects.ErrReasonRequired, &projectsv1.MsgRejectReport{ReportId: rid})
	rejected(t, c, "kiwa", projects.ErrWrongReportStatus, &projectsv1.MsgRejectReport{ReportId: rid, Reason: "late"})
	c.MustExec("meti", &projectsv1.MsgRejectReport{ReportId: rid, Reason: "expert committee: leakage not assessed"})
	r := getReport(t, c, rid)
	if r.Status != projectsv1.ReportStatus_REPORT_STATUS_REJECTED || r.History[2].Reason != "expert committee: leakage not assessed" {
		t.Fatalf("rejected report = %v", r)
	}
	// Its period is free again.
	submitReport(t, c, "kyoto", report(id, 2023, 700))
}
