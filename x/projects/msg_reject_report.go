package projects

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

func validateRejectReport(m *projectsv1.MsgRejectReport) error {
	if _, _, err := types.ParseReportID(m.ReportId); err != nil {
		return err
	}
	return checkReason("rejecting a report", m.Reason)
}

// RejectReport ends a report that has not been certified, with a reason:
//   - a ministry may reject a submitted or verified report;
//   - an independent review body may reject a submitted report instead of
//     verifying it.
//
// The rejected report's period no longer blocks a new report over it.
func (k *Keeper) RejectReport(ctx module.Context, m *projectsv1.MsgRejectReport) error {
	ministry := k.accounts.HasRole(ctx.Store, ctx.Account, accountsv1.Role_ROLE_MINISTRY)
	verifier := k.accounts.HasRole(ctx.Store, ctx.Account, accountsv1.Role_ROLE_VERIFIER)
	if !ministry && !verifier {
		return ErrUnauthorized.Wrapf("rejecting a report requires the ministry or verifier role; %s holds neither", ctx.Signer.Hex())
	}
	pseq, rseq, r, err := k.mustReport(ctx.Store, m.ReportId)
	if err != nil {
		return err
	}
	switch {
	case ministry && (r.Status == projectsv1.ReportStatus_REPORT_STATUS_SUBMITTED || r.Status == projectsv1.ReportStatus_REPORT_STATUS_VERIFIED):
	case verifier && r.Status == projectsv1.ReportStatus_REPORT_STATUS_SUBMITTED:
		p, err := k.Project(ctx.Store, pseq)
		if err != nil || p == nil {
			return module.ErrInternal.Wrapf("report %s has no project: %v", r.Id, err)
		}
		if err := requireIndependent(ctx, p, "reject reports of"); err != nil {
			return err
		}
	case ministry:
		return ErrWrongReportStatus.Wrapf("report %s is %s; a ministry rejects only submitted or verified reports", r.Id, reportStatusName(r.Status))
	default:
		return ErrWrongReportStatus.Wrapf("report %s is %s; a review body rejects only submitted reports", r.Id, reportStatusName(r.Status))
	}
	k.moveReport(ctx, pseq, rseq, r, projectsv1.ReportStatus_REPORT_STATUS_REJECTED, m.Reason)
	return nil
}
