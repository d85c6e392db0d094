package projects_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

// A creator submits a plan; an independent review body validates it; a
// ministry registers it. The operator then reports a fiscal year's
// reductions; the review body verifies a lower amount; a ministry certifies
// the report, and in the same transaction the verified amount is issued to
// the operator as one batch. Later a ministry terminates the project.
func TestStandardProjectFromSubmissionToIssuance(t *testing.T) {
	c := newChain(t)

	id := submit(t, c, "kyoto", standardProject())
	if id != "JCP-000001" {
		t.Fatalf("first project id = %s, want JCP-000001", id)
	}
	p := getProject(t, c, id)
	if op := operatorOf(t, c, id); p.Status != projectsv1.ProjectStatus_PROJECT_STATUS_SUBMITTED || op != apptest.Addr("kyoto").Hex() ||
		p.OperatorAccount != c.AccountNumber("kyoto") {
		t.Fatalf("after submit: %v operated by %s (account %d)", p.Status, op, p.OperatorAccount)
	}

	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: id})
	c.MustExec("meti", &projectsv1.MsgRegisterProject{ProjectId: id})

	rid := submitReport(t, c, "kyoto", report(id, 2023, 1500))
	if rid != "JCP-000001-R001" {
		t.Fatalf("first report id = %s", rid)
	}
	c.MustExec("kiwa", &projectsv1.MsgVerifyReport{ReportId: rid, VerifiedTCo2: 1450})
	res := c.MustExec("moe", &projectsv1.MsgCertifyReport{ReportId: rid, CorsiaEligible: true})

	// Certification and issuance are one transaction.
	batch := attr(t, res, projects.EventCertified, "batch")
	if got := attr(t, res, "credits.batch", "batch"); got != batch {
		t.Fatalf("credits issued batch %q, projects recorded %q", got, batch)
	}
	if got := attr(t, res, "credits.batch", "quantity"); got != "1450" {
		t.Fatalf("issued %s credits, want the verified 1450", got)
	}
	r := getReport(t, c, rid)
	if r.Status != projectsv1.ReportStatus_REPORT_STATUS_CERTIFIED || r.BatchId != batch || !r.CorsiaEligible ||
		r.ClaimedTCo2 != 1500 || r.VerifiedTCo2 != 1450 {
		t.Fatalf("certified report = %v", r)
	}
	assertIssued(t, res, batch, rid, 1450, map[string]uint64{apptest.Addr("kyoto").Hex(): 1450})
	// The batch carries the methodology's category and the report's period
	// as vintage.
	ans := &creditsv1.QueryBatchResponse{}
	queryInto(t, c, "/credits/Batch", &creditsv1.QueryBatchRequest{Id: batch}, ans)
	b := ans.Batch
	if b.ProjectId != id || b.ReportId != rid || b.Methodology != "EN-S-001" ||
		b.Category != creditsv1.Category_CATEGORY_ENERGY_SAVING || b.VintageStart != "2023-04-01" ||
		b.VintageEnd != "2024-03-31" || len(b.Labels) != 1 || b.Issued != 1450 || b.Active != 1450 ||
		b.ProjectName != "Kyoto plant boiler replacement" || b.Origin.GetPrefectureCode() != "26" || b.SchemeSymbol != "JC" ||
		b.CreditType != "ER" || b.CertificationNumber != rid {
		t.Fatalf("batch = %v", b)
	}

	// Who moved the report, when.
	wantReport := []struct {
		status projectsv1.ReportStatus
		actor  string
	}{
		{projectsv1.ReportStatus_REPORT_STATUS_SUBMITTED, "kyoto"},
		{projectsv1.ReportStatus_REPORT_STATUS_VERIFIED, "kiwa"},
		{projectsv1.ReportStatus_REPORT_STATUS_CERTIFIED, "moe"},
	}
	if len(r.History) != len(wantReport) {
		t.Fatalf("report history %v", r.History)
	}
	for i, w := range wantReport {
		h := r.History[i]
		if h.Status != w.status || h.Actor != apptest.Addr(w.actor).Hex() || h.Height == 0 || h.Time == nil {
			t.Fatalf("report history[%d] = %v, want %v by %s", i, h, w.status, w.actor)
		}
	}

	c.MustExec("maff", &projectsv1.MsgTerminateProject{ProjectId: id, Reason: "boiler decommissioned"})
	p = getProject(t, c, id)
	want := []struct {
		status projectsv1.ProjectStatus
		actor  string
	}{
		{projectsv1.ProjectStatus_PROJECT_STATUS_SUBMITTED, "kyoto"},
		{projectsv1.ProjectStatus_PROJECT_STATUS_VALIDATED, "kiwa"},
		{projectsv1.ProjectStatus_PROJECT_STATUS_REGISTERED, "meti"},
		{projectsv1.ProjectStatus_PROJECT_STATUS_TERMINATED, "maff"},
	}
	if p.Status != projectsv1.ProjectStatus_PROJECT_STATUS_TERMINATED || len(p.History) != len(want) {
		t.Fatalf("project after termination: %v, history %v", p.Status, p.History)
	}
	var lastHeight int64
	for i, w := range want {
		h := p.History[i]
		if h.Status != w.status || h.Actor != apptest.Addr(w.actor).Hex() || h.Height <= lastHeight || h.Time == nil {
			t.Fatalf("history[%d] = %v, want %v by %s after height %d", i, h, w.status, w.actor, lastHeight)
		}
		lastHeight = h.Height
	}
	if p.History[3].Reason != "boiler decommissioned" {
		t.Fatalf("termination reason %q", p.History[3].Reason)
	}
}

// A program-type project's credits go to its members by share: floors
// first, the remainder one by one to the largest remainders.
func TestProgramProjectIssuesToMembersByShare(t *testing.T) {
	c := newChain(t)
	id := registered(t, c, "kyoto", programProject())
	rid := verified(t, c, "kyoto", report(id, 2024, 1000), 1000)
	res := c.MustExec("meti", &projectsv1.MsgCertifyReport{ReportId: rid})
	batch := attr(t, res, projects.EventCertified, "batch")
	// 1000 × 50.00% = 500; × 33.33% = 333.3; × 16.67% = 166.7. The one
	// credit left goes to Farm C, whose remainder (0.7) is the largest.
	assertIssued(t, res, batch, rid, 1000, map[string]uint64{
		apptest.Addr("farm-a").Hex(): 500,
		apptest.Addr("farm-b").Hex(): 333,
		apptest.Addr("farm-c").Hex(): 167,
	})
	if getReport(t, c, rid).CorsiaEligible {
		t.Fatal("report certified without CORSIA eligibility is marked eligible")
	}
}

// A rejected project or report ends there, with the reason recorded; a
// rejected report's period may be reported again.
func TestRejectionsAreFinalAndRecordTheirReason(t *testing.T) {
	c := newChain(t)

	// A ministry rejects a validated project (the expert committee's "no").
	a := submit(t, c, "kyoto", standardProject())
	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: a})
	c.MustExec("meti", &projectsv1.MsgRejectProject{ProjectId: a, Reason: "baseline not justified"})
	// A review body rejects a submitted project instead of validating it.
	b := submit(t, c, "osaka", standardProject())
	c.MustExec("jqa", &projectsv1.MsgRejectProject{ProjectId: b, Reason: "plan lacks a monitoring method"})
	// A ministry rejects a submitted project outright.
	d := submit(t, c, "osaka", standardProject())
	c.MustExec("moe", &projectsv1.MsgRejectProject{ProjectId: d, Reason: "outside the scheme"})
	for id, who := range map[string]string{a: "meti", b: "jqa", d: "moe"} {
		p := getProject(t, c, id)
		last := p.History[len(p.History)-1]
		if p.Status != projectsv1.ProjectStatus_PROJECT_STATUS_REJECTED || last.Actor != apptest.Addr(who).Hex() || last.Reason == "" {
			t.Fatalf("%s: %v, last history %v", id, p.Status, last)
		}
	}

	// Reports: a review body rejects a submitted one, a ministry a
	// submitted or a verified one; each period can then be reported again.
	id := registered(t, c, "kyoto", standardProject())
	r1 := submitReport(t, c, "kyoto", report(id, 2023, 100))
	c.MustExec("jqa", &projectsv1.MsgRejectReport{ReportId: r1, Reason: "meter calibration missing"})
	r2 := verified(t, c, "kyoto", report(id, 2023, 100), 90)
	c.MustExec("maff", &projectsv1.MsgRejectReport{ReportId: r2, Reason: "double counting with a subsidy"})
	r3 := submitReport(t, c, "kyoto", report(id, 2023, 100))
	c.MustExec("meti", &projectsv1.MsgRejectReport{ReportId: r3, Reason: "filed under the wrong methodology"})
	r4 := submitReport(t, c, "kyoto", report(id, 2023, 100))
	for _, rid := range []string{r1, r2, r3} {
		r := getReport(t, c, rid)
		if r.Status != projectsv1.ReportStatus_REPORT_STATUS_REJECTED || r.History[len(r.History)-1].Reason == "" {
			t.Fatalf("%s: %v", rid, r)
		}
	}
	if r4 != "JCP-000004-R004" {
		t.Fatalf("fourth report id %s", r4)
	}
}
