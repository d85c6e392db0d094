package projects_test

import (
	"testing"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func TestRegisterProject(t *testing.T) {
	c := newChain(t)
	id := submit(t, c, "kyoto", standardProject())
	rejected(t, c, "meti", projects.ErrWrongProjectStatus, &projectsv1.MsgRegisterProject{ProjectId: id})
	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: id})
	rejected(t, c, "kiwa", projects.ErrUnauthorized, &projectsv1.MsgRegisterProject{ProjectId: id})
	rejected(t, c, "meti", projects.ErrUnknownProject, &projectsv1.MsgRegisterProject{ProjectId: "JCP-000002"})
	c.MustExec("maff", &projectsv1.MsgRegisterProject{ProjectId: id})
	if p := getProject(t, c, id); p.Status != projectsv1.ProjectStatus_PROJECT_STATUS_REGISTERED {
		t.Fatalf("status %v", p.Status)
	}
	rejected(t, c, "meti", projects.ErrWrongProjectStatus, &projectsv1.MsgRegisterProject{ProjectId: id})
}
