package projects_test

import (
	"bytes"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/module"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

func ids(l *projectsv1.QueryProjectsResponse) []string {
	var out []string
	for _, p := range l.Projects {
		out = append(out, p.Id)
	}
	return out
}

func TestQueries(t *testing.T) {
	w := newWorld(t)
	c := w.c
	list := func(req *projectsv1.QueryProjectsRequest) *projectsv1.QueryProjectsResponse {
		t.Helper()
		l := &projectsv1.QueryProjectsResponse{}
		queryInto(t, c, "/projects/Projects", req, l)
		return l
	}
	registered, submitted := projectsv1.ProjectStatus_PROJECT_STATUS_REGISTERED, projectsv1.ProjectStatus_PROJECT_STATUS_SUBMITTED
	for _, tc := range []struct {
		req  *projectsv1.QueryProjectsRequest
		want []string
	}{
		{&projectsv1.QueryProjectsRequest{}, []string{w.pSub, w.pVal, w.pReg, w.pRej, w.pTerm, w.pSelf, w.pProg}},
		{&projectsv1.QueryProjectsRequest{Status: registered}, []string{w.pReg, w.pProg}},
		{&projectsv1.QueryProjectsRequest{Status: submitted}, []string{w.pSub, w.pSelf}},
		{&projectsv1.QueryProjectsRequest{Operator: apptest.Addr("selfcheck").Hex()}, []string{w.pSelf}},
		{&projectsv1.QueryProjectsRequest{Methodology: "EN-R-002"}, []string{w.pProg}},
		{&projectsv1.QueryProjectsRequest{Methodology: "EN-S-001", Status: projectsv1.ProjectStatus_PROJECT_STATUS_TERMINATED}, []string{w.pTerm}},
		{&projectsv1.QueryProjectsRequest{Operator: apptest.Addr("kyoto").Hex(), Status: projectsv1.ProjectStatus_PROJECT_STATUS_REJECTED}, []string{w.pRej}},
		{&projectsv1.QueryProjectsRequest{Status: registered, Page: &queryv1.PageRequest{Reverse: true}}, []string{w.pProg, w.pReg}},
		{&projectsv1.QueryProjectsRequest{Methodology: "FO-001"}, nil},
		{&projectsv1.QueryProjectsRequest{Member: apptest.Addr("farm-v").Hex()}, []string{w.pProg}},
		{&projectsv1.QueryProjectsRequest{Member: apptest.Addr("farm-v").Hex(), Status: submitted}, nil},
		{&projectsv1.QueryProjectsRequest{Prefecture: "JP-47"}, nil},
		{&projectsv1.QueryProjectsRequest{Prefecture: "JP-26", Status: registered}, []string{w.pReg, w.pProg}},
	} {
		if got := ids(list(tc.req)); !equal(got, tc.want) {
			t.Errorf("projects %v = %v, want %v", tc.req, got, tc.want)
		}
	}
	// The request travels as protobuf JSON; enums by name.
	res := c.Query("/projects/Projects", []byte(`{"status":"PROJECT_STATUS_REJECTED"}`), false)
	if res.Code != 0 || !bytes.Contains(res.Value, []byte(w.pRej)) {
		t.Fatalf("filters as data: %d %s", res.Code, res.Log)
	}
	// Pages follow the cursor.
	var all []string
	pr := &queryv1.PageRequest{Limit: 3}
	for {
		page := list(&projectsv1.QueryProjectsRequest{Page: pr})
		all = append(all, ids(page)...)
		if page.Page.NextCursor == "" {
			break
		}
		pr = &queryv1.PageRequest{Limit: 3, Cursor: page.Page.NextCursor}
	}
	if len(all) != 7 || all[6] != w.pProg {
		t.Fatalf("paged listing %v", all)
	}

	rs := &projectsv1.QueryReportsResponse{}
	queryInto(t, c, "/projects/Reports", &projectsv1.QueryReportsRequest{ProjectId: w.pReg}, rs)
	if len(rs.Reports) != 4 || rs.Reports[0].Id != w.rRej || rs.Reports[3].Id != w.rSub {
		t.Fatalf("reports of %s: %v", w.pReg, rs.Reports)
	}
	everyReport := &projectsv1.QueryReportsResponse{}
	queryInto(t, c, "/projects/Reports", nil, everyReport)
	certified := &projectsv1.QueryReportsResponse{}
	queryInto(t, c, "/projects/Reports", &projectsv1.QueryReportsRequest{Status: projectsv1.ReportStatus_REPORT_STATUS_CERTIFIED}, certified)
	if len(everyReport.Reports) < len(rs.Reports) || len(certified.Reports) == 0 || len(certified.Reports) >= len(everyReport.Reports) {
		t.Fatalf("every report: %d, certified: %d", len(everyReport.Reports), len(certified.Reports))
	}
	ms := &projectsv1.QueryMethodologiesResponse{}
	queryInto(t, c, "/projects/Methodologies", nil, ms)
	if len(ms.Methodologies) != 4 {
		t.Fatalf("methodologies: %v", ms)
	}
	params := &projectsv1.QueryParamsResponse{}
	queryInto(t, c, "/projects/Params", nil, params)
	if params.Params.MaxCreditingYears != 8 || params.Params.LatestCreditingEnd != "2031-03-31" {
		t.Fatalf("default params %v", params)
	}

	// Single records come with their state key, so they can be proven.
	for _, rec := range []struct {
		path, data string
		key        []byte
	}{
		{"/projects/Project", `{"id":"` + w.pReg + `"}`, projectstypes.ProjectStoreKey(3)},
		{"/projects/Report", `{"id":"` + w.rCert + `"}`, projectstypes.ReportStoreKey(3, 2)},
		{"/projects/Methodology", `{"code":"EN-S-001"}`, projectstypes.MethodologyStoreKey("EN-S-001")},
		{"/projects/Project", `{"id":"JCP-000003"}`, projectstypes.ProjectStoreKey(3)},
		{"/projects/Report", `{"id":"JCP-000003-R002"}`, projectstypes.ReportStoreKey(3, 2)},
	} {
		res := c.Query(rec.path, []byte(rec.data), true)
		if res.Code != 0 || !bytes.Equal(res.Key, rec.key) || res.ProofOps == nil || len(res.ProofOps.Ops) != 1 {
			t.Fatalf("%s %s: code %d key %x proof %v: %s", rec.path, rec.data, res.Code, res.Key, res.ProofOps, res.Log)
		}
	}

	for _, bad := range []struct {
		path, data string
		want       *module.Error
	}{
		{"/projects/Project", `{"id":"JCP-000099"}`, module.ErrNotFound},
		{"/projects/Project", `{"id":"42"}`, module.ErrBadQuery},
		{"/projects/Report", `{"id":"JCP-000003-R009"}`, module.ErrNotFound},
		{"/projects/Reports", `{"project_id":"JCP-000099"}`, module.ErrNotFound},
		{"/projects/Methodology", `{"code":"XX-999"}`, module.ErrNotFound},
		{"/projects/Projects", `{"status":"pending"}`, module.ErrBadQuery},
		{"/projects/Projects", `{"owner":"0x00"}`, module.ErrBadQuery},
		{"/projects/Projects", `{"page":{"limit":5000}}`, module.ErrBadQuery},
		{"/projects/Projects", `{"prefecture":"Kyoto"}`, module.ErrBadQuery},
		{"/projects/Nothing", ``, module.ErrBadQuery},
		{"/nothing/Projects", ``, module.ErrBadQuery},
	} {
		res := c.Query(bad.path, []byte(bad.data), false)
		if res.Codespace != bad.want.Codespace || res.Code != bad.want.Code {
			t.Errorf("%s %s: got %s/%d %s, want %s/%d", bad.path, bad.data, res.Codespace, res.Code, res.Log, bad.want.Codespace, bad.want.Code)
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
