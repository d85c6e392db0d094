package projects

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

func validateTerminateProject(m *projectsv1.MsgTerminateProject) error {
	if _, err := types.ParseProjectID(m.ProjectId); err != nil {
		return err
	}
	return checkReason("terminating a project", m.Reason)
}

// TerminateProject is a ministry ending a registered project, with a
// reason: registered -> terminated. No further reports may be submitted;
// reports already submitted or verified can still be certified, because
// they cover reductions made while the project ran.
func (k *Keeper) TerminateProject(ctx module.Context, m *projectsv1.MsgTerminateProject) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_MINISTRY, "terminating a project"); err != nil {
		return err
	}
	seq, p, err := k.mustProject(ctx.Store, m.ProjectId)
	if err != nil {
		return err
	}
	if p.Status != projectsv1.ProjectStatus_PROJECT_STATUS_REGISTERED {
		return ErrWrongProjectStatus.Wrapf("project %s is %s; only a registered project can be terminated", p.Id, statusName(p.Status))
	}
	return k.moveProject(ctx, seq, p, projectsv1.ProjectStatus_PROJECT_STATUS_TERMINATED, m.Reason)
}
