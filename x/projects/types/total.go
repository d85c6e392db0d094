package types

import (
	"encoding/binary"
	"fmt"
	"strings"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	module "github.com/jcredit/jcredit/x/module/base"
)

// Projects by status, as proofs name them. x/projects keeps one counter
// per status (StatusCountKey, 8 bytes big-endian, deleted at 0); a proof of
// "how many projects are registered" proves that key, and "how many
// projects are there" proves every status's key. ProjectTotal is the one
// spelling of such a subject: "projects" (every status) or
// "projects,status=registered".

// ProjectTotalMeasure is the first word of a project total's subject.
const ProjectTotalMeasure = "projects"

// Statuses are the statuses a project can be in, in the enum's order.
func Statuses() []projectsv1.ProjectStatus {
	var out []projectsv1.ProjectStatus
	for s := projectsv1.ProjectStatus_PROJECT_STATUS_SUBMITTED; s <= projectsv1.ProjectStatus_PROJECT_STATUS_TERMINATED; s++ {
		out = append(out, s)
	}
	return out
}

// StatusName is a status's lower-case name, as events, queries and proofs
// write it ("submitted", "registered", ...).
func StatusName(s projectsv1.ProjectStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "PROJECT_STATUS_"))
}

// ParseStatus reads a status name as StatusName writes it (any case).
func ParseStatus(name string) (projectsv1.ProjectStatus, bool) {
	v, ok := projectsv1.ProjectStatus_value["PROJECT_STATUS_"+strings.ToUpper(name)]
	if !ok || v == 0 {
		return 0, false
	}
	return projectsv1.ProjectStatus(v), true
}

// StatusCountStoreKey is the full state key of the number of projects in
// status s.
func StatusCountStoreKey(s projectsv1.ProjectStatus) []byte {
	return module.Key([]byte(StorePrefix), StatusCountKey(s))
}

// StatusOfCountStoreKey returns the status whose counter key is key.
func StatusOfCountStoreKey(key []byte) (projectsv1.ProjectStatus, bool) {
	p := StatusCountStoreKey(0)
	if len(key) != len(p) || string(key[:len(p)-1]) != string(p[:len(p)-1]) {
		return 0, false
	}
	s := projectsv1.ProjectStatus(key[len(key)-1])
	if _, ok := projectsv1.ProjectStatus_name[int32(s)]; !ok || s == 0 {
		return 0, false
	}
	return s, true
}

// DecodeStatusCount reads a stored counter: 8 bytes, never 0 (a counter
// at 0 is deleted).
func DecodeStatusCount(value []byte) (uint64, error) {
	if len(value) != 8 {
		return 0, fmt.Errorf("a project counter is 8 bytes, not %d", len(value))
	}
	n := binary.BigEndian.Uint64(value)
	if n == 0 {
		return 0, fmt.Errorf("a stored project counter is never 0 (a counter at 0 is deleted and proven absent)")
	}
	return n, nil
}

// ProjectTotal is the number of projects in one status, or (Status 0) in
// every status.
type ProjectTotal struct {
	Status projectsv1.ProjectStatus
}

// IsProjectTotal says whether a total's subject counts projects (the
// credits totals are x/credits/types.Total).
func IsProjectTotal(s string) bool {
	m, _, _ := strings.Cut(s, ",")
	return strings.EqualFold(m, ProjectTotalMeasure)
}

// ParseProjectTotal reads "projects" or "projects,status=<name>".
func ParseProjectTotal(s string) (ProjectTotal, error) {
	parts := strings.Split(s, ",")
	if !strings.EqualFold(parts[0], ProjectTotalMeasure) {
		return ProjectTotal{}, fmt.Errorf("%q: a project total starts with %q", s, ProjectTotalMeasure)
	}
	var t ProjectTotal
	switch len(parts) {
	case 1:
		return t, nil
	case 2:
		name, val, ok := strings.Cut(parts[1], "=")
		if !ok || name != "status" {
			return t, fmt.Errorf("%q: projects are counted by status only (projects,status=registered)", s)
		}
		st, ok := ParseStatus(val)
		if !ok {
			return t, fmt.Errorf("%q: status is one of %s, not %q", s, statusNames(), val)
		}
		t.Status = st
		return t, nil
	}
	return t, fmt.Errorf("%q: projects are counted by one status, or in total", s)
}

func statusNames() string {
	var out []string
	for _, s := range Statuses() {
		out = append(out, StatusName(s))
	}
	return strings.Join(out, ", ")
}

// String is the total's one spelling.
func (t ProjectTotal) String() string {
	if t.Status == 0 {
		return ProjectTotalMeasure
	}
	return ProjectTotalMeasure + ",status=" + StatusName(t.Status)
}

// StoreKeys are the counters the total is proven by: its status's, or
// every status's in Statuses order.
func (t ProjectTotal) StoreKeys() [][]byte {
	if t.Status != 0 {
		return [][]byte{StatusCountStoreKey(t.Status)}
	}
	var out [][]byte
	for _, s := range Statuses() {
		out = append(out, StatusCountStoreKey(s))
	}
	return out
}

// Describe says what the total counts, for a proof's statement.
func (t ProjectTotal) Describe() string {
	if t.Status == 0 {
		return "projects in the registry (every status)"
	}
	return "projects " + strings.ToUpper(StatusName(t.Status))
}
