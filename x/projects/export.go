package projects

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"google.golang.org/protobuf/proto"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

// ExportGenesis implements module.Module: the parameters, every
// methodology (in code order), every project with its status history and
// every monitoring report with its history (in id order), and the project
// sequence. The projects' indexes (status, operator, member, methodology)
// are rebuilt from the records by InitGenesis.
func (k *Keeper) ExportGenesis(s module.KVStore) (json.RawMessage, error) {
	st := k.store(s)
	p, err := k.Params(s)
	if err != nil {
		return nil, err
	}
	g := &projectsv1.GenesisState{Params: p}
	err = module.Records(st, types.MethodologyPrefix, func(key, v []byte) error {
		m := &projectsv1.Methodology{}
		if err := proto.Unmarshal(v, m); err != nil {
			return fmt.Errorf("methodology %q: %w", key, err)
		}
		g.Methodologies = append(g.Methodologies, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = module.Records(st, types.ProjectPrefix, func(key, v []byte) error {
		pr := &projectsv1.Project{}
		if err := proto.Unmarshal(v, pr); err != nil {
			return fmt.Errorf("project %x: %w", key, err)
		}
		if len(key) != 8 || pr.Id != types.ProjectID(binary.BigEndian.Uint64(key)) {
			return fmt.Errorf("project %q is stored under key %x", pr.Id, key)
		}
		g.Projects = append(g.Projects, pr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = module.Records(st, types.ReportPrefix, func(key, v []byte) error {
		r := &projectsv1.MonitoringReport{}
		if err := proto.Unmarshal(v, r); err != nil {
			return fmt.Errorf("report %x: %w", key, err)
		}
		if len(key) != 12 || r.Id != types.ReportID(binary.BigEndian.Uint64(key), binary.BigEndian.Uint32(key[8:])) {
			return fmt.Errorf("report %q is stored under key %x", r.Id, key)
		}
		g.Reports = append(g.Reports, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if bz := st.Get(types.ProjectSeqKey); len(bz) == 8 {
		g.LastProjectNumber = binary.BigEndian.Uint64(bz)
	}
	return module.MarshalGenesis(g)
}

// validateExported checks the projects and reports an export carries:
// well-formed unique ids, each report of a listed project, no more reports
// than the project counts.
func validateExported(g *projectsv1.GenesisState) error {
	projects := map[uint64]*projectsv1.Project{}
	var last uint64
	for _, p := range g.Projects {
		seq, err := types.ParseProjectID(p.Id)
		if err != nil || projects[seq] != nil {
			return ErrInvalidGenesis.Wrapf("project id %q is malformed or repeated", p.Id)
		}
		if _, ok := projectsv1.ProjectStatus_name[int32(p.Status)]; !ok || p.Status == projectsv1.ProjectStatus_PROJECT_STATUS_UNSPECIFIED {
			return ErrInvalidGenesis.Wrapf("project %s: status %d", p.Id, p.Status)
		}
		if p.OperatorAccount == 0 {
			return ErrInvalidGenesis.Wrapf("project %s: operator_account is required", p.Id)
		}
		projects[seq] = p
		last = max(last, seq)
	}
	if g.LastProjectNumber != 0 && g.LastProjectNumber < last {
		return ErrInvalidGenesis.Wrapf("last_project_number %d is below the highest project number, %d", g.LastProjectNumber, last)
	}
	reports := map[string]bool{}
	for _, r := range g.Reports {
		pseq, rseq, err := types.ParseReportID(r.Id)
		if err != nil || reports[r.Id] {
			return ErrInvalidGenesis.Wrapf("report id %q is malformed or repeated", r.Id)
		}
		reports[r.Id] = true
		p := projects[pseq]
		if p == nil || r.ProjectId != p.Id {
			return ErrInvalidGenesis.Wrapf("report %s: its project %q is not in the genesis", r.Id, r.ProjectId)
		}
		if rseq == 0 || rseq > p.ReportCount {
			return ErrInvalidGenesis.Wrapf("report %s: project %s counts %d reports", r.Id, p.Id, p.ReportCount)
		}
		if _, ok := projectsv1.ReportStatus_name[int32(r.Status)]; !ok || r.Status == projectsv1.ReportStatus_REPORT_STATUS_UNSPECIFIED {
			return ErrInvalidGenesis.Wrapf("report %s: status %d", r.Id, r.Status)
		}
	}
	return nil
}

// initExported writes the projects (with their indexes), the reports and
// the project sequence of an export.
func (k *Keeper) initExported(ctx module.Context, g *projectsv1.GenesisState) error {
	var last uint64
	for _, p := range g.Projects {
		seq, _ := types.ParseProjectID(p.Id)
		if err := k.setProject(ctx.Store, seq, p); err != nil {
			return err
		}
		last = max(last, seq)
	}
	for _, r := range g.Reports {
		pseq, rseq, _ := types.ParseReportID(r.Id)
		k.setReport(ctx.Store, pseq, rseq, r)
	}
	if g.LastProjectNumber != 0 {
		last = g.LastProjectNumber
	}
	if last != 0 {
		k.store(ctx.Store).Set(types.ProjectSeqKey, module.Uint64(last))
	}
	return nil
}
