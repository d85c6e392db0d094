package projects

import (
	"strconv"
	"strings"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects/types"
)

// Event types. Every state change emits one, with indexed attributes
// (project, report, status, actor, methodology, batch) so that CometBFT's
// indexer can find, e.g., every project a verifier validated.
const (
	EventMethodologyAdopted = "projects.methodology_adopted"
	EventProjectStatus      = "projects.project_status"
	EventReportStatus       = "projects.report_status"
	EventCertified          = "projects.certified"
)

// statusName is the lower-case name used in events and queries
// ("submitted", "registered", ...).
func statusName(s projectsv1.ProjectStatus) string { return types.StatusName(s) }

func reportStatusName(s projectsv1.ReportStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "REPORT_STATUS_"))
}

// ParseProjectStatus reads a status name as statusName writes it.
func ParseProjectStatus(name string) (projectsv1.ProjectStatus, bool) { return types.ParseStatus(name) }

// u64s renders a quantity for an event attribute.
func u64s(v uint64) string { return strconv.FormatUint(v, 10) }
