package projects

import (
	"net/url"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

// Query limits for the projects list.
const (
	DefaultQueryLimit = 100
	MaxQueryLimit     = 1000
)

// Query paths under /projects/ (answers are protojson):
//
//	project/<id>            one project (provable: its state key is returned)
//	projects?<filters>      projects in number order; the filters may also be
//	                        passed as the request data instead of after "?":
//	                        status=<submitted|validated|registered|rejected|terminated>
//	                        operator=<address|number>  member=<address|number>
//	                        methodology=<code>
//	                        after=<project id>  limit=<1..1000, default 100>
//	                        The most selective filter given (operator, member,
//	                        methodology, then status) is read from its index;
//	                        the others are checked on the projects found.
//	reports/<project id>    the project's monitoring reports, in order
//	report/<id>             one report (provable)
//	methodology/<code>      one methodology (provable)
//	methodologies           every methodology, by code
//	params                  the crediting-period caps (provable)
//
// Projects name their operator and members by account number; answers
// about projects list those accounts under "accounts" with their address
// and legal name at the answer's height (resolved when read, not part of a
// proven value).
func (k *Keeper) Query(q module.QueryContext, path string, data []byte) (module.QueryResult, error) {
	switch {
	case strings.HasPrefix(path, "project/"):
		seq, p, err := k.queryProject(q, strings.TrimPrefix(path, "project/"))
		if err != nil {
			return module.QueryResult{}, err
		}
		return k.answerWithAccounts(q.Store, p, types.ProjectStoreKey(seq), projectAccounts(p)...)
	case path == "projects" || strings.HasPrefix(path, "projects?"):
		raw := strings.TrimPrefix(strings.TrimPrefix(path, "projects"), "?")
		if raw == "" {
			raw = string(data)
		}
		return k.queryProjects(q, raw)
	case strings.HasPrefix(path, "reports/"):
		seq, _, err := k.queryProject(q, strings.TrimPrefix(path, "reports/"))
		if err != nil {
			return module.QueryResult{}, err
		}
		rs, err := k.Reports(q.Store, seq)
		if err != nil {
			return module.QueryResult{}, err
		}
		return answer(&projectsv1.ReportList{Reports: rs}, nil)
	case strings.HasPrefix(path, "report/"):
		pseq, rseq, err := types.ParseReportID(strings.TrimPrefix(path, "report/"))
		if err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("%v", err)
		}
		r, err := k.Report(q.Store, pseq, rseq)
		if err != nil {
			return module.QueryResult{}, err
		}
		if r == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no report %s", types.ReportID(pseq, rseq))
		}
		return answer(r, types.ReportStoreKey(pseq, rseq))
	case strings.HasPrefix(path, "methodology/"):
		code := strings.TrimPrefix(path, "methodology/")
		if !validMethodologyCode(code) {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("%q is not a methodology code like EN-S-001", code)
		}
		m, err := k.Methodology(q.Store, code)
		if err != nil {
			return module.QueryResult{}, err
		}
		if m == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no methodology %s", code)
		}
		return answer(m, types.MethodologyStoreKey(code))
	case path == "methodologies":
		st := k.store(q.Store)
		it := st.Iterator(types.MethodologyPrefix, module.PrefixEnd(types.MethodologyPrefix))
		defer it.Close()
		list := &projectsv1.MethodologyList{}
		for ; it.Valid(); it.Next() {
			m := &projectsv1.Methodology{}
			if err := proto.Unmarshal(it.Value(), m); err != nil {
				return module.QueryResult{}, module.ErrInternal.Wrapf("methodology: %v", err)
			}
			list.Methodologies = append(list.Methodologies, m)
		}
		return answer(list, nil)
	case path == "params":
		p, err := k.Params(q.Store)
		if err != nil {
			return module.QueryResult{}, err
		}
		return answer(p, append([]byte(StorePrefix), types.ParamsKey...))
	}
	return module.QueryResult{}, module.ErrBadQuery.Wrapf("unknown projects query %q (try project/<id>, projects?status=registered, reports/<id>, report/<id>, methodology/<code>, methodologies, params)", path)
}

func answer(m proto.Message, key []byte) (module.QueryResult, error) {
	bz, err := protojson.Marshal(m)
	if err != nil {
		return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
	}
	return module.QueryResult{Value: bz, Key: key}, nil
}

// queryProjects answers the projects list from a secondary index.
func (k *Keeper) queryProjects(q module.QueryContext, raw string) (module.QueryResult, error) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return module.QueryResult{}, module.ErrBadQuery.Wrapf("filters %q: %v", raw, err)
	}
	for key := range vals {
		switch key {
		case "status", "operator", "member", "methodology", "after", "limit":
		default:
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("unknown filter %q (status, operator, member, methodology, after, limit)", key)
		}
	}
	var (
		status   projectsv1.ProjectStatus
		operator uint64
		hasOp    bool
		member   uint64
		hasMem   bool
		method   = vals.Get("methodology")
		after    uint64
		limit    = DefaultQueryLimit
	)
	if s := vals.Get("status"); s != "" {
		st, ok := ParseProjectStatus(s)
		if !ok {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("status %q: use submitted, validated, registered, rejected or terminated", s)
		}
		status = st
	}
	if s := vals.Get("operator"); s != "" {
		if operator, err = k.queryAccount(q.Store, s); err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("operator: %v", err)
		}
		hasOp = true
	}
	if s := vals.Get("member"); s != "" {
		if member, err = k.queryAccount(q.Store, s); err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("member: %v", err)
		}
		hasMem = true
	}
	if method != "" && !validMethodologyCode(method) {
		return module.QueryResult{}, module.ErrBadQuery.Wrapf("methodology %q is not a code like EN-S-001", method)
	}
	if s := vals.Get("after"); s != "" {
		if after, err = types.ParseProjectID(s); err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("after: %v", err)
		}
	}
	if s := vals.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxQueryLimit {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("limit %q must be 1 to %d", s, MaxQueryLimit)
		}
		limit = n
	}

	// Pick the index; with no filter, walk the projects themselves.
	var prefix []byte
	switch {
	case hasOp:
		prefix = types.OperatorIndexPrefix(operator)
	case hasMem:
		prefix = types.MemberIndexPrefix(member)
	case method != "":
		prefix = types.MethodIndexPrefix(method)
	case status != 0:
		prefix = types.StatusIndexPrefix(status)
	default:
		prefix = types.ProjectPrefix
	}
	st := k.store(q.Store)
	it := st.Iterator(module.Key(prefix, module.Uint64(after+1)), module.PrefixEnd(prefix))
	defer it.Close()
	list := &projectsv1.ProjectList{}
	for ; it.Valid(); it.Next() {
		key := it.Key()
		seq := u64From(key[len(prefix):])
		p, err := k.Project(q.Store, seq)
		if err != nil {
			return module.QueryResult{}, err
		}
		if p == nil {
			return module.QueryResult{}, module.ErrInternal.Wrapf("index names missing project %s", types.ProjectID(seq))
		}
		if (hasOp && p.OperatorAccount != operator) ||
			(method != "" && p.Methodology != method) ||
			(status != 0 && p.Status != status) ||
			(hasMem && !hasMember(p, member)) {
			continue
		}
		if len(list.Projects) == limit {
			list.Next = list.Projects[limit-1].Id
			break
		}
		list.Projects = append(list.Projects, p)
	}
	var nums []uint64
	for _, p := range list.Projects {
		nums = append(nums, projectAccounts(p)...)
	}
	return k.answerWithAccounts(q.Store, list, nil, nums...)
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

// answerWithAccounts renders m with the accounts nums names appended under
// "accounts".
func (k *Keeper) answerWithAccounts(s module.KVStore, m proto.Message, key []byte, nums ...uint64) (module.QueryResult, error) {
	res, err := answer(m, key)
	if err != nil {
		return res, err
	}
	refs, err := accountstypes.Refs(func(n uint64) (*accountsv1.Account, error) { return k.accounts.Account(s, n) }, nums...)
	if err != nil {
		return module.QueryResult{}, err
	}
	if res.Value, err = accountstypes.WithAccounts(res.Value, refs); err != nil {
		return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
	}
	return res, nil
}

func u64From(b []byte) uint64 {
	var v uint64
	for _, c := range b[:8] {
		v = v<<8 | uint64(c)
	}
	return v
}

func hasMember(p *projectsv1.Project, n uint64) bool {
	for _, m := range p.Members {
		if m.Account == n {
			return true
		}
	}
	return false
}

// queryProject parses a project id from a query path and loads the project:
// a malformed id is a bad query, an unknown one is not found.
func (k *Keeper) queryProject(q module.QueryContext, id string) (uint64, *projectsv1.Project, error) {
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
