package projects_test

import (
	"testing"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func TestRejectProject(t *testing.T) {
	c := newChain(t)
	id := submit(t, c, "kyoto", standardProject())
	rejected(t, c, "meti", projects.ErrReasonRequired, &projectsv1.MsgRejectProject{ProjectId: id, Reason: "  "})
	rejected(t, c, "osaka", projects.ErrUnauthorized, &projectsv1.MsgRejectProject{ProjectId: id, Reason: "competitor"})
	c.MustExec("kiwa", &projectsv1.MsgRejectProject{ProjectId: id, Reason: "baseline emissions not evidenced"})
	p := getProject(t, c, id)
	if p.Status != projectsv1.ProjectStatus_PROJECT_STATUS_REJECTED || p.History[1].Reason != "baseline emissions not evidenced" {
		t.Fatalf("rejected project = %v", p)
	}
	rejected(t, c, "meti", projects.ErrWrongProjectStatus, &projectsv1.MsgRejectProject{ProjectId: id, Reason: "again"})
}
