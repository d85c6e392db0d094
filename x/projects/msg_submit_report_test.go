package projects_test

import (
	"testing"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func TestSubmitReport(t *testing.T) {
	c := newChain(t)
	id := registered(t, c, "kyoto", standardProject())
	rid := submitReport(t, c, "kyoto", report(id, 2023, 800))
	r := getReport(t, c, rid)
	if r.ProjectId != id || r.PeriodStart != "2023-04-01" || r.PeriodEnd != "2024-03-31" || r.ClaimedTCo2 != 800 ||
		r.DocumentHash != docHash || r.Status != projectsv1.ReportStatus_REPORT_STATUS_SUBMITTED {
		t.Fatalf("stored report = %v", r)
	}
	// Adjacent periods do not overlap.
	next := report(id, 2024, 10)
	next.PeriodEnd = "2024-04-01"
	submitReport(t, c, "kyoto", next)

	noHash := report(id, 2025, 10)
	noHash.DocumentHash = ""
	backwards := report(id, 2025, 10)
	backwards.PeriodStart, backwards.PeriodEnd = "2025-06-01", "2025-05-31"
	touching := report(id, 2024, 10)
	touching.PeriodStart = "2024-04-01"
	for _, r := range []rule{
		{"nothing claimed", "kyoto", report(id, 2025, 0), projects.ErrInvalidReport},
		{"no document hash", "kyoto", noHash, projects.ErrInvalidHash},
		{"period ends before it starts", "kyoto", backwards, projects.ErrInvalidDate},
		{"shares the last day of the previous report", "kyoto", touching, projects.ErrPeriodOverlap},
		{"unknown project", "kyoto", report("JCP-000009", 2025, 1), projects.ErrUnknownProject},
	} {
		t.Run(r.name, func(t *testing.T) { rejected(t, c, r.signer, r.want, r.msg) })
	}
}
