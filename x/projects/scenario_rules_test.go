package projects_test

import (
	"testing"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

// Who may do what. Creators submit projects and reports; review bodies
// validate and verify; ministries register, reject, certify, terminate and
// adopt methodologies. Anyone else is refused with ErrUnauthorized, and
// nothing changes.
func TestOnlyTheRightRoleMayAct(t *testing.T) {
	w := newWorld(t)
	w.check(t, []rule{
		{"a holder cannot submit a project", "buyer", standardProject(), projects.ErrUnauthorized},
		{"a review body cannot submit a project", "kiwa", standardProject(), projects.ErrUnauthorized},
		{"a creator cannot adopt a methodology", "kyoto", adopt("EN-S-099"), projects.ErrUnauthorized},
		{"a review body cannot adopt a methodology", "kiwa", adopt("EN-S-099"), projects.ErrUnauthorized},
		{"the operator cannot validate its own plan", "kyoto", &projectsv1.MsgValidateProject{ProjectId: w.pSub}, projects.ErrUnauthorized},
		{"a ministry does not validate", "meti", &projectsv1.MsgValidateProject{ProjectId: w.pSub}, projects.ErrUnauthorized},
		{"a review body does not register", "kiwa", &projectsv1.MsgRegisterProject{ProjectId: w.pVal}, projects.ErrUnauthorized},
		{"the operator cannot register", "kyoto", &projectsv1.MsgRegisterProject{ProjectId: w.pVal}, projects.ErrUnauthorized},
		{"the operator cannot reject", "kyoto", &projectsv1.MsgRejectProject{ProjectId: w.pSub, Reason: "x"}, projects.ErrUnauthorized},
		{"a review body does not terminate", "kiwa", &projectsv1.MsgTerminateProject{ProjectId: w.pReg, Reason: "x"}, projects.ErrUnauthorized},
		{"the operator does not terminate", "kyoto", &projectsv1.MsgTerminateProject{ProjectId: w.pReg, Reason: "x"}, projects.ErrUnauthorized},
		{"a review body cannot submit a report", "kiwa", report(w.pReg, 2026, 1), projects.ErrUnauthorized},
		{"the operator cannot verify", "kyoto", &projectsv1.MsgVerifyReport{ReportId: w.rSub, VerifiedTCo2: 1}, projects.ErrUnauthorized},
		{"a ministry does not verify", "meti", &projectsv1.MsgVerifyReport{ReportId: w.rSub, VerifiedTCo2: 1}, projects.ErrUnauthorized},
		{"a review body does not certify", "kiwa", &projectsv1.MsgCertifyReport{ReportId: w.rVer}, projects.ErrUnauthorized},
		{"the operator cannot certify", "kyoto", &projectsv1.MsgCertifyReport{ReportId: w.rVer}, projects.ErrUnauthorized},
		{"a holder cannot reject a report", "buyer", &projectsv1.MsgRejectReport{ReportId: w.rSub, Reason: "x"}, projects.ErrUnauthorized},
	})
}

// Each step starts from one status only: a project is validated once,
// registered once validated, terminated once registered; a report is
// verified once submitted and certified once verified. Certified,
// rejected and terminated are final.
func TestEachStepStartsFromItsStatusOnly(t *testing.T) {
	w := newWorld(t)
	wrongP, wrongR := projects.ErrWrongProjectStatus, projects.ErrWrongReportStatus
	w.check(t, []rule{
		{"validate a validated project", "kiwa", &projectsv1.MsgValidateProject{ProjectId: w.pVal}, wrongP},
		{"validate a registered project", "kiwa", &projectsv1.MsgValidateProject{ProjectId: w.pReg}, wrongP},
		{"validate a rejected project", "kiwa", &projectsv1.MsgValidateProject{ProjectId: w.pRej}, wrongP},
		{"register a submitted project", "meti", &projectsv1.MsgRegisterProject{ProjectId: w.pSub}, wrongP},
		{"register a registered project", "meti", &projectsv1.MsgRegisterProject{ProjectId: w.pReg}, wrongP},
		{"register a rejected project", "meti", &projectsv1.MsgRegisterProject{ProjectId: w.pRej}, wrongP},
		{"register a terminated project", "meti", &projectsv1.MsgRegisterProject{ProjectId: w.pTerm}, wrongP},
		{"a ministry rejects a registered project", "meti", &projectsv1.MsgRejectProject{ProjectId: w.pReg, Reason: "x"}, wrongP},
		{"a ministry rejects a rejected project", "meti", &projectsv1.MsgRejectProject{ProjectId: w.pRej, Reason: "x"}, wrongP},
		{"a review body rejects a validated project", "jqa", &projectsv1.MsgRejectProject{ProjectId: w.pVal, Reason: "x"}, wrongP},
		{"terminate a validated project", "meti", &projectsv1.MsgTerminateProject{ProjectId: w.pVal, Reason: "x"}, wrongP},
		{"terminate a terminated project", "meti", &projectsv1.MsgTerminateProject{ProjectId: w.pTerm, Reason: "x"}, wrongP},
		{"report on a validated project", "kyoto", report(w.pVal, 2023, 1), wrongP},
		{"report on a terminated project", "kyoto", report(w.pTerm, 2023, 1), wrongP},
		{"report on a rejected project", "kyoto", report(w.pRej, 2023, 1), wrongP},
		{"verify a verified report", "kiwa", &projectsv1.MsgVerifyReport{ReportId: w.rVer, VerifiedTCo2: 1}, wrongR},
		{"verify a certified report", "kiwa", &projectsv1.MsgVerifyReport{ReportId: w.rCert, VerifiedTCo2: 1}, wrongR},
		{"verify a rejected report", "kiwa", &projectsv1.MsgVerifyReport{ReportId: w.rRej, VerifiedTCo2: 1}, wrongR},
		{"certify a submitted report", "meti", &projectsv1.MsgCertifyReport{ReportId: w.rSub}, wrongR},
		{"certify a certified report twice", "moe", &projectsv1.MsgCertifyReport{ReportId: w.rCert}, wrongR},
		{"certify a rejected report", "meti", &projectsv1.MsgCertifyReport{ReportId: w.rRej}, wrongR},
		{"a ministry rejects a certified report", "meti", &projectsv1.MsgRejectReport{ReportId: w.rCert, Reason: "x"}, wrongR},
		{"a review body rejects a verified report", "jqa", &projectsv1.MsgRejectReport{ReportId: w.rVer, Reason: "x"}, wrongR},
	})
}

// A review body must be independent: it may not validate, verify or
// reject a project it operates or is a member of.
func TestReviewBodiesMustBeIndependent(t *testing.T) {
	w := newWorld(t)
	w.check(t, []rule{
		{"an operator validates its own plan", "selfcheck", &projectsv1.MsgValidateProject{ProjectId: w.pSelf}, projects.ErrNotIndependent},
		{"an operator rejects its own plan as reviewer", "selfcheck", &projectsv1.MsgRejectProject{ProjectId: w.pSelf, Reason: "x"}, projects.ErrNotIndependent},
		{"a member verifies its program's report", "farm-v", &projectsv1.MsgVerifyReport{ReportId: w.rProg, VerifiedTCo2: 5}, projects.ErrNotIndependent},
		{"a member rejects its program's report", "farm-v", &projectsv1.MsgRejectReport{ReportId: w.rProg, Reason: "x"}, projects.ErrNotIndependent},
	})
	// Anyone else may: jqa validates selfcheck's plan and verifies the
	// program's report.
	w.c.MustExec("jqa", &projectsv1.MsgValidateProject{ProjectId: w.pSelf})
	w.c.MustExec("jqa", &projectsv1.MsgVerifyReport{ReportId: w.rProg, VerifiedTCo2: 10})
}

// Monitoring periods: only the operator reports; a period lies inside the
// crediting period, has ended, and does not overlap an earlier report that
// was not rejected; a verifier may lower the claim, never raise it.
func TestMonitoringPeriodAndAmountRules(t *testing.T) {
	w := newWorld(t)
	overlapping := report(w.pReg, 2024, 10)
	overlapping.PeriodStart, overlapping.PeriodEnd = "2024-01-01", "2024-06-30"
	before := report(w.pReg, 2022, 10)
	after := report(w.pReg, 2026, 10)
	after.PeriodStart, after.PeriodEnd = "2031-01-01", "2031-04-30"
	today := report(w.pReg, 2026, 10)
	today.PeriodStart, today.PeriodEnd = "2026-04-01", "2026-04-01"
	w.check(t, []rule{
		{"another creator reports on kyoto's project", "osaka", report(w.pReg, 2026, 10), projects.ErrNotOperator},
		{"a period overlapping two earlier reports", "kyoto", overlapping, projects.ErrPeriodOverlap},
		{"the same fiscal year again", "kyoto", report(w.pReg, 2024, 10), projects.ErrPeriodOverlap},
		{"a period before the crediting period", "kyoto", before, projects.ErrPeriodOutsideCrediting},
		{"a period running past the crediting period", "kyoto", after, projects.ErrPeriodOutsideCrediting},
		{"a period that has not ended", "kyoto", today, projects.ErrPeriodNotEnded},
		{"a verifier raises the claim", "kiwa", &projectsv1.MsgVerifyReport{ReportId: w.rSub, VerifiedTCo2: 701}, projects.ErrAmountRaised},
		{"a verifier verifies nothing", "kiwa", &projectsv1.MsgVerifyReport{ReportId: w.rSub, VerifiedTCo2: 0}, projects.ErrInvalidReport},
	})
	// The claim itself may be verified unchanged.
	w.c.MustExec("kiwa", &projectsv1.MsgVerifyReport{ReportId: w.rSub, VerifiedTCo2: 700})
}
