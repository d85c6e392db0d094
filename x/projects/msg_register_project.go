package projects

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

func validateRegisterProject(m *projectsv1.MsgRegisterProject) error {
	_, err := types.ParseProjectID(m.ProjectId)
	return err
}

// RegisterProject is a ministry's formal registration of a validated
// project, after the expert committee: validated -> registered. Only a
// registered project may submit monitoring reports.
func (k *Keeper) RegisterProject(ctx module.Context, m *projectsv1.MsgRegisterProject) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_MINISTRY, "registering a project"); err != nil {
		return err
	}
	seq, p, err := k.mustProject(ctx.Store, m.ProjectId)
	if err != nil {
		return err
	}
	if p.Status != projectsv1.ProjectStatus_PROJECT_STATUS_VALIDATED {
		return ErrWrongProjectStatus.Wrapf("project %s is %s; only a validated project can be registered", p.Id, statusName(p.Status))
	}
	return k.moveProject(ctx, seq, p, projectsv1.ProjectStatus_PROJECT_STATUS_REGISTERED, "")
}
