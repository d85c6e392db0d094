package projects

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

func validateValidateProject(m *projectsv1.MsgValidateProject) error {
	_, err := types.ParseProjectID(m.ProjectId)
	return err
}

// ValidateProject records that a review body, independent of the operator
// and members, has validated the plan: submitted -> validated.
func (k *Keeper) ValidateProject(ctx module.Context, m *projectsv1.MsgValidateProject) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_VERIFIER, "validating a project"); err != nil {
		return err
	}
	seq, p, err := k.mustProject(ctx.Store, m.ProjectId)
	if err != nil {
		return err
	}
	if p.Status != projectsv1.ProjectStatus_PROJECT_STATUS_SUBMITTED {
		return ErrWrongProjectStatus.Wrapf("project %s is %s; only a submitted project can be validated", p.Id, statusName(p.Status))
	}
	if err := requireIndependent(ctx, p, "validate"); err != nil {
		return err
	}
	return k.moveProject(ctx, seq, p, projectsv1.ProjectStatus_PROJECT_STATUS_VALIDATED, "")
}
