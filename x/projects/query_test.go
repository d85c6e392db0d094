package projects_test

import (
	"bytes"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

func ids(l *projectsv1.ProjectList) []string {
	var out []string
	for _, p := range l.Projects {
		out = append(out, p.Id)
	}
	return out
}

func TestQueries(t *testing.T) {
	w := newWorld(t)
	c := w.c
	list := func(q string) *projectsv1.ProjectList {
		t.Helper()
		l := &projectsv1.ProjectList{}
		queryInto(t, c, "/projects/projects"+q, l)
		return l
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{w.pSub, w.pVal, w.pReg, w.pRej, w.pTerm, w.pSelf, w.pProg}},
		{"?status=registered", []string{w.pReg, w.pProg}},
		{"?status=submitted", []string{w.pSub, w.pSelf}},
		{"?operator=" + apptest.Addr("selfcheck").Hex(), []string{w.pSelf}},
		{"?methodology=EN-R-002", []string{w.pProg}},
		{"?methodology=EN-S-001&status=terminated", []string{w.pTerm}},
		{"?operator=" + apptest.Addr("kyoto").Hex() + "&status=rejected", []string{w.pRej}},
		{"?status=registered&after=" + w.pReg, []string{w.pProg}},
		{"?methodology=FO-001", nil},
		{"?member=" + apptest.Addr("farm-v").Hex(), []string{w.pProg}},
		{"?member=" + apptest.Addr("farm-v").Hex() + "&status=submitted", nil},
	} {
		if got := ids(list(tc.query)); !equal(got, tc.want) {
			t.Errorf("projects%s = %v, want %v", tc.query, got, tc.want)
		}
	}
	// Filters may also come as the request data.
	res := c.Query("/projects/projects", []byte("status=rejected"), false)
	if res.Code != 0 || !bytes.Contains(res.Value, []byte(w.pRej)) {
		t.Fatalf("filters as data: %d %s", res.Code, res.Log)
	}
	// Pages follow "next".
	var all []string
	after := ""
	for {
		page := list("?limit=3&after=" + after)
		all = append(all, ids(page)...)
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	if len(all) != 7 || all[6] != w.pProg {
		t.Fatalf("paged listing %v", all)
	}

	rs := &projectsv1.ReportList{}
	queryInto(t, c, "/projects/reports/"+w.pReg, rs)
	if len(rs.Reports) != 4 || rs.Reports[0].Id != w.rRej || rs.Reports[3].Id != w.rSub {
		t.Fatalf("reports of %s: %v", w.pReg, rs.Reports)
	}
	ms := &projectsv1.MethodologyList{}
	queryInto(t, c, "/projects/methodologies", ms)
	if len(ms.Methodologies) != 4 {
		t.Fatalf("methodologies: %v", ms)
	}
	params := &projectsv1.Params{}
	queryInto(t, c, "/projects/params", params)
	if params.MaxCreditingYears != 8 || params.LatestCreditingEnd != "2031-03-31" {
		t.Fatalf("default params %v", params)
	}

	// Single records come with their state key, so they can be proven.
	for path, key := range map[string][]byte{
		"/projects/project/" + w.pReg:      projectstypes.ProjectStoreKey(3),
		"/projects/report/" + w.rCert:      projectstypes.ReportStoreKey(3, 2),
		"/projects/methodology/EN-S-001":   projectstypes.MethodologyStoreKey("EN-S-001"),
		"/projects/project/JCP-000003":     projectstypes.ProjectStoreKey(3),
		"/projects/report/JCP-000003-R002": projectstypes.ReportStoreKey(3, 2),
	} {
		res := c.Query(path, nil, true)
		if res.Code != 0 || !bytes.Equal(res.Key, key) || res.ProofOps == nil || len(res.ProofOps.Ops) != 1 {
			t.Fatalf("%s: code %d key %x proof %v: %s", path, res.Code, res.Key, res.ProofOps, res.Log)
		}
	}

	for _, bad := range []struct {
		path string
		want *module.Error
	}{
		{"/projects/project/JCP-000099", module.ErrNotFound},
		{"/projects/project/42", module.ErrBadQuery},
		{"/projects/report/JCP-000003-R009", module.ErrNotFound},
		{"/projects/reports/JCP-000099", module.ErrNotFound},
		{"/projects/methodology/XX-999", module.ErrNotFound},
		{"/projects/projects?status=pending", module.ErrBadQuery},
		{"/projects/projects?owner=0x00", module.ErrBadQuery},
		{"/projects/projects?limit=0", module.ErrBadQuery},
		{"/projects/nothing", module.ErrBadQuery},
	} {
		res := c.Query(bad.path, nil, false)
		if res.Codespace != bad.want.Codespace || res.Code != bad.want.Code {
			t.Errorf("%s: got %s/%d %s, want %s/%d", bad.path, res.Codespace, res.Code, res.Log, bad.want.Codespace, bad.want.Code)
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
