package projects

import (
	"encoding/binary"
	"strings"

	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

// RegisterQueries answers the rpcs of service jcredit.projects.v1.Query
// (proto/jcredit/projects/v1/query.proto) at /projects/<rpc>, each request
// in protobuf JSON (see x/module). Single records are provable: Project
// (p/<number>), Report (r/<project><report>), Methodology (t/<code>),
// Params. Lists page (x/module: Page): Projects by number — from the
// index of the most selective filter given (operator, member, methodology,
// then status), the others checked on each project — Reports by project
// and report number, Methodologies by code.
//
// Projects name their operator and members by account number; answers
// about projects list those accounts under "accounts" with their address
// and legal name at the answer's height (resolved when read, not part of a
// proven value).
func (k *Keeper) RegisterQueries(r *module.QueryRouter) {
	s := r.Service(ModuleName, projectsv1.File_jcredit_projects_v1_query_proto.Services().ByName("Query"))
	module.RegisterRecordQuery(s, k.queryProject)
	module.RegisterQuery(s, k.queryProjects)
	module.RegisterRecordQuery(s, k.queryReport)
	module.RegisterQuery(s, k.queryReports)
	module.RegisterRecordQuery(s, k.queryMethodology)
	module.RegisterQuery(s, k.queryStats) // stats.go
	module.RegisterQuery(s, k.queryMethodologies)
	module.RegisterRecordQuery(s, func(q module.QueryContext, _ *projectsv1.QueryParamsRequest) (*projectsv1.QueryParamsResponse, []byte, error) {
		p, err := k.Params(q.Store)
		if err != nil {
			return nil, nil, err
		}
		return &projectsv1.QueryParamsResponse{Params: p}, append([]byte(StorePrefix), types.ParamsKey...), nil
	})
}

func (k *Keeper) queryProject(q module.QueryContext, req *projectsv1.QueryProjectRequest) (*projectsv1.QueryProjectResponse, []byte, error) {
	seq, p, err := k.loadProject(q, req.Id)
	if err != nil {
		return nil, nil, err
	}
	refs, err := k.refs(q, projectAccounts(p)...)
	if err != nil {
		return nil, nil, err
	}
	return &projectsv1.QueryProjectResponse{Project: p, Accounts: refs}, types.ProjectStoreKey(seq), nil
}

func (k *Keeper) queryProjects(q module.QueryContext, req *projectsv1.QueryProjectsRequest) (*projectsv1.QueryProjectsResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	var operator, member uint64
	hasOp, hasMem := req.Operator != "", req.Member != ""
	if hasOp {
		if operator, err = k.queryAccount(q.Store, req.Operator); err != nil {
			return nil, module.ErrBadQuery.Wrapf("operator: %v", err)
		}
	}
	if hasMem {
		if member, err = k.queryAccount(q.Store, req.Member); err != nil {
			return nil, module.ErrBadQuery.Wrapf("member: %v", err)
		}
	}
	if req.Methodology != "" && !validMethodologyCode(req.Methodology) {
		return nil, module.ErrBadQuery.Wrapf("methodology %q is not a code like EN-S-001", req.Methodology)
	}
	pref := req.Prefecture
	if validPrefecture("JP-" + pref) {
		pref = "JP-" + pref // a JIS X 0401 code, "26"
	}
	if pref != "" && !validPrefecture(pref) {
		return nil, module.ErrBadQuery.Wrapf("prefecture %q is not a JIS X 0401 code like 26 nor an ISO 3166-2:JP code like JP-26", req.Prefecture)
	}
	pref = strings.TrimPrefix(pref, "JP-")
	name, err := module.NewNameFilter(req.Name)
	if err != nil {
		return nil, err
	}
	// Pick the index; with no indexed filter, walk the projects themselves.
	// Every index key ends with the project number, so the walk is in
	// project order whichever is read.
	var prefix []byte
	switch {
	case hasOp:
		prefix = types.OperatorIndexPrefix(operator)
	case hasMem:
		prefix = types.MemberIndexPrefix(member)
	case req.Methodology != "":
		prefix = types.MethodIndexPrefix(req.Methodology)
	case req.Status != 0:
		prefix = types.StatusIndexPrefix(req.Status)
	default:
		prefix = types.ProjectPrefix
	}
	out := &projectsv1.QueryProjectsResponse{}
	var nums []uint64
	out.Page, err = pg.Walk(k.store(q.Store), prefix, func(key, _ []byte) (bool, error) {
		if len(key) != 8 {
			return false, module.ErrInternal.Wrapf("malformed project index key")
		}
		seq := binary.BigEndian.Uint64(key)
		p, err := k.Project(q.Store, seq)
		if err != nil {
			return false, err
		}
		if p == nil {
			return false, module.ErrInternal.Wrapf("index names missing project %s", types.ProjectID(seq))
		}
		if (hasOp && p.OperatorAccount != operator) ||
			(req.Methodology != "" && p.Methodology != req.Methodology) ||
			(req.Status != 0 && p.Status != req.Status) ||
			(pref != "" && projectPrefecture(p) != pref) ||
			(hasMem && !hasMember(p, member)) || !name.Match(p.Name) {
			return false, nil
		}
		out.Projects = append(out.Projects, p)
		nums = append(nums, projectAccounts(p)...)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if out.Accounts, err = k.refs(q, nums...); err != nil {
		return nil, err
	}
	return out, nil
}

func (k *Keeper) queryReport(q module.QueryContext, req *projectsv1.QueryReportRequest) (*projectsv1.QueryReportResponse, []byte, error) {
	pseq, rseq, err := types.ParseReportID(req.Id)
	if err != nil {
		return nil, nil, module.ErrBadQuery.Wrapf("%v", err)
	}
	r, err := k.Report(q.Store, pseq, rseq)
	if err != nil {
		return nil, nil, err
	}
	if r == nil {
		return nil, nil, module.ErrNotFound.Wrapf("no report %s", types.ReportID(pseq, rseq))
	}
	return &projectsv1.QueryReportResponse{Report: r}, types.ReportStoreKey(pseq, rseq), nil
}

func (k *Keeper) queryReports(q module.QueryContext, req *projectsv1.QueryReportsRequest) (*projectsv1.QueryReportsResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	prefix := types.ReportPrefix
	if req.ProjectId != "" {
		seq, _, err := k.loadProject(q, req.ProjectId)
		if err != nil {
			return nil, err
		}
		prefix = types.ReportsOfProjectPrefix(seq)
	}
	out := &projectsv1.QueryReportsResponse{}
	out.Page, err = pg.Walk(k.store(q.Store), prefix, func(_, value []byte) (bool, error) {
		r := &projectsv1.MonitoringReport{}
		if err := proto.Unmarshal(value, r); err != nil {
			return false, module.ErrInternal.Wrapf("report: %v", err)
		}
		if req.Status != 0 && r.Status != req.Status {
			return false, nil
		}
		out.Reports = append(out.Reports, r)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (k *Keeper) queryMethodology(q module.QueryContext, req *projectsv1.QueryMethodologyRequest) (*projectsv1.QueryMethodologyResponse, []byte, error) {
	if !validMethodologyCode(req.Code) {
		return nil, nil, module.ErrBadQuery.Wrapf("%q is not a methodology code like EN-S-001", req.Code)
	}
	m, err := k.Methodology(q.Store, req.Code)
	if err != nil {
		return nil, nil, err
	}
	if m == nil {
		return nil, nil, module.ErrNotFound.Wrapf("no methodology %s", req.Code)
	}
	return &projectsv1.QueryMethodologyResponse{Methodology: m}, types.MethodologyStoreKey(req.Code), nil
}

func (k *Keeper) queryMethodologies(q module.QueryContext, req *projectsv1.QueryMethodologiesRequest) (*projectsv1.QueryMethodologiesResponse, error) {
	pg, err := module.NewPage(q, req.Page)
	if err != nil {
		return nil, err
	}
	out := &projectsv1.QueryMethodologiesResponse{}
	out.Page, err = pg.Walk(k.store(q.Store), types.MethodologyPrefix, func(_, value []byte) (bool, error) {
		m := &projectsv1.Methodology{}
		if err := proto.Unmarshal(value, m); err != nil {
			return false, module.ErrInternal.Wrapf("methodology: %v", err)
		}
		out.Methodologies = append(out.Methodologies, m)
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// projectAccounts are the accounts a project names: operator and members.
func projectAccounts(p *projectsv1.Project) []uint64 {
	nums := []uint64{p.OperatorAccount}
	for _, m := range p.Members {
		nums = append(nums, m.Account)
	}
	return nums
}

// queryAccount resolves an account named in a filter: a number, or an
// address (0 if it is no account's key: it operates nothing).
func (k *Keeper) queryAccount(s module.KVStore, arg string) (uint64, error) {
	addr, n, err := accountstypes.ParseAccountArg(arg)
	if err != nil || n != 0 {
		return n, err
	}
	n, _ = k.accounts.AccountNumber(s, addr)
	return n, nil
}

// refs resolves the account numbers an answer names.
func (k *Keeper) refs(q module.QueryContext, nums ...uint64) ([]*accountstypes.AccountRef, error) {
	return accountstypes.Refs(func(n uint64) (*accountsv1.Account, error) { return k.accounts.Account(q.Store, n) }, nums...)
}

// projectPrefecture is the JIS X 0401 code of where a project creates
// its credits (state version 1 kept an ISO code, which the v2 migration
// moves into the location).
func projectPrefecture(p *projectsv1.Project) string {
	if c := p.GetLocation().GetPrefectureCode(); c != "" {
		return c
	}
	return strings.TrimPrefix(p.Prefecture, "JP-") //nolint:staticcheck // deprecated: read for records not yet migrated
}

func hasMember(p *projectsv1.Project, n uint64) bool {
	for _, m := range p.Members {
		if m.Account == n {
			return true
		}
	}
	return false
}

// loadProject parses a project id from a query and loads the project: a
// malformed id is a bad query, an unknown one is not found.
func (k *Keeper) loadProject(q module.QueryContext, id string) (uint64, *projectsv1.Project, error) {
	seq, err := types.ParseProjectID(id)
	if err != nil {
		return 0, nil, module.ErrBadQuery.Wrapf("%v", err)
	}
	p, err := k.Project(q.Store, seq)
	if err != nil {
		return 0, nil, err
	}
	if p == nil {
		return 0, nil, module.ErrNotFound.Wrapf("no project %s", types.ProjectID(seq))
	}
	return seq, p, nil
}
