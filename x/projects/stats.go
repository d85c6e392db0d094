package projects

import (
	"encoding/binary"
	"fmt"

	"google.golang.org/protobuf/proto"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

// Projects by status: a counter per status (st/<status>, 8 bytes; deleted
// at 0), moved by setProject whenever a project enters the registry or
// changes status, so that the count costs one read and write per change
// and never a walk. CheckStats recomputes it from the projects. Each
// counter is provable: node/proof's total kind, subject
// "projects,status=registered" (types.ProjectTotal), proves its key, and
// "projects" proves every status's.

// countStatus moves one project from status from (0: new) to status to.
func countStatus(st module.KVStore, from, to projectsv1.ProjectStatus) {
	if from == to {
		return
	}
	if from != projectsv1.ProjectStatus_PROJECT_STATUS_UNSPECIFIED {
		addStatus(st, from, -1)
	}
	addStatus(st, to, 1)
}

func addStatus(st module.KVStore, s projectsv1.ProjectStatus, d int) {
	n := statusCount(st, s)
	if d < 0 && n == 0 {
		return // never below 0; CheckStats reports the disagreement
	}
	n = uint64(int64(n) + int64(d))
	if n == 0 {
		st.Delete(types.StatusCountKey(s))
		return
	}
	st.Set(types.StatusCountKey(s), module.Uint64(n))
}

func statusCount(st module.KVStore, s projectsv1.ProjectStatus) uint64 {
	bz := st.Get(types.StatusCountKey(s))
	if len(bz) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(bz)
}

// countProjects counts the stored projects by status.
func countProjects(st module.KVStore) (map[projectsv1.ProjectStatus]uint64, error) {
	out := map[projectsv1.ProjectStatus]uint64{}
	err := module.Walk(st, types.ProjectPrefix, module.PrefixEnd(types.ProjectPrefix), migrateChunk, func(key, value []byte) error {
		p := &projectsv1.Project{}
		if err := proto.Unmarshal(value, p); err != nil {
			return fmt.Errorf("projects: project %x: %w", key, err)
		}
		out[p.Status]++
		return nil
	})
	return out, err
}

// statuses are the statuses a project can be in, in order.
func statuses() []projectsv1.ProjectStatus { return types.Statuses() }

// rebuildStats computes the counters from the projects (the v2 migration:
// release v0.2.0 kept none).
func (k *Keeper) rebuildStats(s module.KVStore) error {
	st := k.store(s)
	got, err := countProjects(st)
	if err != nil {
		return err
	}
	for _, status := range statuses() {
		st.Delete(types.StatusCountKey(status))
		if got[status] > 0 {
			st.Set(types.StatusCountKey(status), module.Uint64(got[status]))
		}
	}
	return nil
}

// CheckStats reports a status counter that differs from the number of
// projects in that status (for tests, audits and operators' tools: it
// walks every project).
func CheckStats(s module.KVStore) error {
	st := module.Prefix(s, StorePrefix)
	got, err := countProjects(st)
	if err != nil {
		return err
	}
	for _, status := range statuses() {
		if c := statusCount(st, status); c != got[status] {
			return fmt.Errorf("projects: %d projects are %s, the counter says %d", got[status], status, c)
		}
	}
	if n := got[projectsv1.ProjectStatus_PROJECT_STATUS_UNSPECIFIED]; n > 0 {
		return fmt.Errorf("projects: %d projects have no status", n)
	}
	return nil
}

func (k *Keeper) queryStats(q module.QueryContext, _ *projectsv1.QueryStatsRequest) (*projectsv1.QueryStatsResponse, error) {
	st := k.store(q.Store)
	out := &projectsv1.QueryStatsResponse{}
	for _, status := range statuses() {
		n := statusCount(st, status)
		out.Statuses = append(out.Statuses, &projectsv1.StatusCount{Status: status, Projects: n})
		out.Total += n
	}
	return out, nil
}
