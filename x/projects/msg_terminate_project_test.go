package projects_test

import (
	"testing"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func TestTerminateProject(t *testing.T) {
	c := newChain(t)
	id := registered(t, c, "kyoto", standardProject())
	rid := verified(t, c, "kyoto", report(id, 2023, 100), 100)
	rejected(t, c, "meti", projects.ErrReasonRequired, &projectsv1.MsgTerminateProject{ProjectId: id})
	c.MustExec("meti", &projectsv1.MsgTerminateProject{ProjectId: id, Reason: "operator withdrew"})
	// No new reports; a report verified while the project ran can still be
	// certified.
	rejected(t, c, "kyoto", projects.ErrWrongProjectStatus, report(id, 2024, 100))
	c.MustExec("meti", &projectsv1.MsgCertifyReport{ReportId: rid})
	rejected(t, c, "meti", projects.ErrWrongProjectStatus, &projectsv1.MsgTerminateProject{ProjectId: id, Reason: "again"})
}
