package projects

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

func validateVerifyReport(m *projectsv1.MsgVerifyReport) error {
	if _, _, err := types.ParseReportID(m.ReportId); err != nil {
		return err
	}
	if m.VerifiedTCo2 == 0 {
		return ErrInvalidReport.Wrapf("verified amount must be at least 1 t-CO2; reject the report if nothing can be verified")
	}
	return nil
}

// VerifyReport records a review body's verification: submitted -> verified.
// The verifier may lower the claimed amount (verified_t_co2 below
// claimed_t_co2) but never raise it; the verified amount is what will be
// issued.
func (k *Keeper) VerifyReport(ctx module.Context, m *projectsv1.MsgVerifyReport) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_VERIFIER, "verifying a monitoring report"); err != nil {
		return err
	}
	pseq, rseq, r, err := k.mustReport(ctx.Store, m.ReportId)
	if err != nil {
		return err
	}
	if r.Status != projectsv1.ReportStatus_REPORT_STATUS_SUBMITTED {
		return ErrWrongReportStatus.Wrapf("report %s is %s; only a submitted report can be verified", r.Id, reportStatusName(r.Status))
	}
	p, err := k.Project(ctx.Store, pseq)
	if err != nil || p == nil {
		return module.ErrInternal.Wrapf("report %s has no project: %v", r.Id, err)
	}
	if err := requireIndependent(ctx, p, "verify reports of"); err != nil {
		return err
	}
	if m.VerifiedTCo2 > r.ClaimedTCo2 {
		return ErrAmountRaised.Wrapf("report %s claims %d t-CO2; the verified amount %d may not exceed it", r.Id, r.ClaimedTCo2, m.VerifiedTCo2)
	}
	r.VerifiedTCo2 = m.VerifiedTCo2
	k.moveReport(ctx, pseq, rseq, r, projectsv1.ReportStatus_REPORT_STATUS_VERIFIED, "")
	return nil
}
