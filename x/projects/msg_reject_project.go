package projects

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

func validateRejectProject(m *projectsv1.MsgRejectProject) error {
	if _, err := types.ParseProjectID(m.ProjectId); err != nil {
		return err
	}
	return checkReason("rejecting a project", m.Reason)
}

// RejectProject ends a project that is not registered, with a reason:
//   - a ministry may reject a submitted or validated project (the expert
//     committee's "no");
//   - an independent review body may reject a submitted project instead of
//     validating it.
//
// Rejection is final; the operator may submit a corrected plan as a new
// project.
func (k *Keeper) RejectProject(ctx module.Context, m *projectsv1.MsgRejectProject) error {
	ministry := k.accounts.HasRole(ctx.Store, ctx.Account, accountsv1.Role_ROLE_MINISTRY)
	verifier := k.accounts.HasRole(ctx.Store, ctx.Account, accountsv1.Role_ROLE_VERIFIER)
	if !ministry && !verifier {
		return ErrUnauthorized.Wrapf("rejecting a project requires the ministry or verifier role; %s holds neither", ctx.Signer.Hex())
	}
	seq, p, err := k.mustProject(ctx.Store, m.ProjectId)
	if err != nil {
		return err
	}
	switch {
	case ministry && (p.Status == projectsv1.ProjectStatus_PROJECT_STATUS_SUBMITTED || p.Status == projectsv1.ProjectStatus_PROJECT_STATUS_VALIDATED):
	case verifier && p.Status == projectsv1.ProjectStatus_PROJECT_STATUS_SUBMITTED:
		if err := requireIndependent(ctx, p, "reject"); err != nil {
			return err
		}
	case ministry:
		return ErrWrongProjectStatus.Wrapf("project %s is %s; a ministry rejects only submitted or validated projects (terminate a registered one)", p.Id, statusName(p.Status))
	default:
		return ErrWrongProjectStatus.Wrapf("project %s is %s; a review body rejects only submitted projects", p.Id, statusName(p.Status))
	}
	return k.moveProject(ctx, seq, p, projectsv1.ProjectStatus_PROJECT_STATUS_REJECTED, m.Reason)
}
