package projects_test

import (
	"testing"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func TestVerifyReport(t *testing.T) {
	c := newChain(t)
	id := registered(t, c, "kyoto", standardProject())
	rid := submitReport(t, c, "kyoto", report(id, 2023, 800))
	rejected(t, c, "kiwa", projects.ErrAmountRaised, &projectsv1.MsgVerifyReport{ReportId: rid, VerifiedTCo2: 801})
	rejected(t, c, "kiwa", projects.ErrUnknownReport, &projectsv1.MsgVerifyReport{ReportId: id + "-R002", VerifiedTCo2: 1})
	rejected(t, c, "kiwa", projects.ErrInvalidID, &projectsv1.MsgVerifyReport{ReportId: id + "-2", VerifiedTCo2: 1})
	c.MustExec("jqa", &projectsv1.MsgVerifyReport{ReportId: rid, VerifiedTCo2: 799})
	if r := getReport(t, c, rid); r.VerifiedTCo2 != 799 || r.ClaimedTCo2 != 800 || r.Status != projectsv1.ReportStatus_REPORT_STATUS_VERIFIED {
		t.Fatalf("verified report = %v", r)
	}
}
