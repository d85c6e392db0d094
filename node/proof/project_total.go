package proof

import (
	"bytes"
	"fmt"
	"strings"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

// Project totals: a total bundle (KindTotal) whose subject counts projects
// by status ("projects,status=registered"; projectstypes.ProjectTotal)
// proves x/projects' counter of that status (projectstypes.StatusCountKey:
// 8 bytes, big-endian, deleted at 0, so absent proves 0). "projects" proves
// the five statuses' counters, the first as the bundle's key and the others
// as also entries, in projectstypes.Statuses order, and states their sum.
//
// A counter is not a protobuf message, so the human-readable record of
// each entry is a StatusCount in protobuf JSON ({"status":
// "PROJECT_STATUS_REGISTERED", "projects": "12"}), which the verifier
// recomputes from the key and the proven 8 bytes and requires exactly.

// projectCountRecord is the record of status s's counter holding value.
func projectCountRecord(s projectsv1.ProjectStatus, value []byte) ([]byte, error) {
	n, err := projectstypes.DecodeStatusCount(value)
	if err != nil {
		return nil, err
	}
	return RecordJSON(&projectsv1.StatusCount{Status: s, Projects: n})
}

// checkProjectEntry checks one counter entry of status s: its key, and
// present (a count that is not 0, its record exactly the count) or absent.
// It returns the count.
func checkProjectEntry(e Entry, s projectsv1.ProjectStatus) (uint64, error) {
	if !bytes.Equal(e.Key, projectstypes.StatusCountStoreKey(s)) {
		return 0, fmt.Errorf("key %X is not the counter of projects %s (%X)", []byte(e.Key), projectstypes.StatusName(s), projectstypes.StatusCountStoreKey(s))
	}
	if !e.Exists {
		if len(e.Record) != 0 || len(e.Value) != 0 {
			return 0, fmt.Errorf("a proof of absence carries no value and no record")
		}
		return 0, nil
	}
	n, err := projectstypes.DecodeStatusCount(e.Value)
	if err != nil {
		return 0, err
	}
	if len(e.Record) == 0 {
		return 0, fmt.Errorf("the bundle has no human-readable record")
	}
	want, err := projectCountRecord(s, e.Value)
	if err != nil {
		return 0, err
	}
	if !sameJSON(e.Record, want) {
		return 0, fmt.Errorf("the record does not say exactly what the proven counter says (%s)", want)
	}
	return n, nil
}

// projectFacts are what a checked project total bundle proves: the count
// of each status it covers, in order.
type projectFacts struct {
	total    projectstypes.ProjectTotal
	statuses []projectsv1.ProjectStatus
	counts   []uint64
}

// checkProjectTotal checks a total bundle whose subject counts projects.
func checkProjectTotal(b *Bundle) (*projectFacts, error) {
	t, err := projectstypes.ParseProjectTotal(b.Subject)
	if err != nil {
		return nil, err
	}
	if t.String() != b.Subject {
		return nil, fmt.Errorf("total %s is written %s", b.Subject, t.String())
	}
	f := &projectFacts{total: t, statuses: projectstypes.Statuses()}
	if t.Status != 0 {
		f.statuses = []projectsv1.ProjectStatus{t.Status}
	}
	if len(b.Also) != len(f.statuses)-1 {
		return nil, fmt.Errorf("a bundle of %s proves %d counters; it has %d", b.Subject, len(f.statuses), 1+len(b.Also))
	}
	for i, s := range f.statuses {
		e := b.primary()
		if i > 0 {
			e = b.Also[i-1]
		}
		n, err := checkProjectEntry(e, s)
		if err != nil {
			return nil, fmt.Errorf("projects %s: %w", projectstypes.StatusName(s), err)
		}
		f.counts = append(f.counts, n)
	}
	return f, nil
}

// describeProjectTotal states a project total: the count, and for every
// status the count of each.
func describeProjectTotal(b *Bundle) (string, string, error) {
	f, err := checkProjectTotal(b)
	if err != nil {
		return "", "", err
	}
	if f.total.Status != 0 {
		answer := AnswerPresent
		if !b.Exists {
			answer = AnswerAbsent
		}
		if f.counts[0] == 0 {
			return answer, fmt.Sprintf("%s = 0 (no counter: no project in this status)", f.total.Describe()), nil
		}
		return answer, fmt.Sprintf("%s = %d", f.total.Describe(), f.counts[0]), nil
	}
	var sum uint64
	parts := make([]string, len(f.statuses))
	for i, s := range f.statuses {
		sum += f.counts[i]
		parts[i] = fmt.Sprintf("%s %d", projectstypes.StatusName(s), f.counts[i])
	}
	return AnswerPresent, fmt.Sprintf("%s = %d (%s)", f.total.Describe(), sum, strings.Join(parts, ", ")), nil
}
