package projects_test

import (
	"testing"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func TestValidateProject(t *testing.T) {
	c := newChain(t)
	id := submit(t, c, "kyoto", standardProject())
	self := submit(t, c, "selfcheck", standardProject())
	for _, r := range []rule{
		{"not a review body", "meti", &projectsv1.MsgValidateProject{ProjectId: id}, projects.ErrUnauthorized},
		{"own project", "selfcheck", &projectsv1.MsgValidateProject{ProjectId: self}, projects.ErrNotIndependent},
		{"unknown project", "kiwa", &projectsv1.MsgValidateProject{ProjectId: "JCP-000999"}, projects.ErrUnknownProject},
		{"malformed id", "kiwa", &projectsv1.MsgValidateProject{ProjectId: "JCP-1"}, projects.ErrInvalidID},
	} {
		t.Run(r.name, func(t *testing.T) { rejected(t, c, r.signer, r.want, r.msg) })
	}
	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: id})
	if p := getProject(t, c, id); p.Status != projectsv1.ProjectStatus_PROJECT_STATUS_VALIDATED {
		t.Fatalf("status %v", p.Status)
	}
	rejected(t, c, "jqa", projects.ErrWrongProjectStatus, &projectsv1.MsgValidateProject{ProjectId: id})
}
