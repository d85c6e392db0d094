package proof

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

// projectsChain: a registry whose projects went through their lifecycle
// by signed transactions: kyoto submitted 9 projects, kiwa validated 7,
// meti registered 4 of those, rejected 1 validated and 1 submitted one,
// and terminated 1 registered one. So: submitted 1, validated 2,
// registered 3, rejected 2, terminated 1 (9 in all).
func projectsChain(t *testing.T) (*apptest.Chain, *appSource, *Builder) {
	t.Helper()
	accs := append(apptest.DefaultAccounts(),
		apptest.GenesisAccount{Name: "kyoto", Roles: []accountsv1.Role{accountsv1.Role_ROLE_CREATOR}, Kind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION},
		apptest.GenesisAccount{Name: "kiwa", Roles: []accountsv1.Role{accountsv1.Role_ROLE_VERIFIER}, Kind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION})
	c := apptest.New(t, app.GenesisState{"accounts": apptest.AccountsGenesis(accs)})
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	c.MustExec("meti", &projectsv1.MsgAdoptMethodology{Code: "EN-S-001", Title: "Boiler replacement", Category: creditsv1.Category_CATEGORY_ENERGY_SAVING})
	var ids []string
	for i := 0; i < 9; i++ {
		res := c.MustExec("kyoto", &projectsv1.MsgSubmitProject{
			Name: "Kyoto plant boiler " + string(rune('A'+i)), Kind: projectsv1.ProjectKind_PROJECT_KIND_STANDARD,
			Methodology: "EN-S-001", Prefecture: "JP-26", CreditingStart: "2023-04-01", CreditingEnd: "2031-03-31",
			ExpectedReductions: 1000, PlanHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		})
		ids = append(ids, eventValue(t, res, "projects.project_status", "project"))
	}
	for _, id := range ids[:7] {
		c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: id})
	}
	for _, id := range ids[:4] {
		c.MustExec("meti", &projectsv1.MsgRegisterProject{ProjectId: id})
	}
	c.MustExec("meti", &projectsv1.MsgRejectProject{ProjectId: ids[4], Reason: "additionality not shown"})
	c.MustExec("meti", &projectsv1.MsgRejectProject{ProjectId: ids[7], Reason: "duplicate of another project"})
	c.MustExec("meti", &projectsv1.MsgTerminateProject{ProjectId: ids[0], Reason: "plant closed"})
	src.block()
	src.block()
	return c, src, &Builder{Source: src}
}

func eventValue(t *testing.T, res *abci.ExecTxResult, typ, key string) string {
	t.Helper()
	for _, e := range res.Events {
		if e.Type != typ {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == key {
				return a.Value
			}
		}
	}
	t.Fatalf("no %s.%s", typ, key)
	return ""
}

// listed counts the projects the Projects query lists with status s, page
// by page, at the state the bundles prove.
func listed(t *testing.T, c *apptest.Chain, s projectsv1.ProjectStatus, height int64) uint64 {
	t.Helper()
	var n uint64
	cursor := ""
	for pages := 0; ; pages++ {
		req := &projectsv1.QueryProjectsRequest{Status: s, Page: &queryv1.PageRequest{Cursor: cursor, Limit: 2}}
		var resp projectsv1.QueryProjectsResponse
		if err := c.Read("/projects/Projects", req, &resp); err != nil {
			t.Fatal(err)
		}
		for _, p := range resp.Projects {
			if p.Status != s {
				t.Fatalf("listed %s with status %s under %s", p.Id, p.Status, s)
			}
		}
		n += uint64(len(resp.Projects))
		if resp.Page.GetHeight() != height {
			t.Fatalf("the list reads state %d, the bundles prove %d", resp.Page.GetHeight(), height)
		}
		if cursor = resp.Page.GetNextCursor(); cursor == "" {
			return n
		}
		if pages > 20 {
			t.Fatal("the list does not end")
		}
	}
}

// Projects by status are proven like the credits' totals: the counter of
// one status (absent: 0), or all five with their sum; each proven count is
// the number of projects the registry lists in that status.
func TestProjectTotalProofsVerify(t *testing.T) {
	c, _, b := projectsChain(t)
	trust := TrustSet(fourVals.vals, apptest.ChainID)
	want := map[string]uint64{"submitted": 1, "validated": 2, "registered": 3, "rejected": 2, "terminated": 1}
	var height int64
	for _, s := range projectstypes.Statuses() {
		name := projectstypes.StatusName(s)
		bd, err := b.Total(context.Background(), "projects,status="+strings.ToUpper(name))
		if err != nil {
			t.Fatal(err)
		}
		if bd.Subject != "projects,status="+name || bd.Kind != KindTotal {
			t.Fatalf("%s: %s %q", name, bd.Kind, bd.Subject)
		}
		res, err := Verify(roundTrip(t, bd), trust)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		height = res.Height
		count := listed(t, c, s, res.Height)
		if count != want[name] {
			t.Fatalf("%s: %d listed, want %d", name, count, want[name])
		}
		stmt := "projects " + strings.ToUpper(name) + " = " + itoa(int64(count))
		if !strings.Contains(res.Statement, stmt) || !strings.HasPrefix(res.Statement, "AS OF state ") {
			t.Fatalf("%s: %q, want %q", name, res.Statement, stmt)
		}
		// protojson varies its whitespace on purpose: compare the JSON.
		if !sameJSON(bd.Record, []byte(`{"status":"`+s.String()+`","projects":"`+itoa(int64(count))+`"}`)) {
			t.Fatalf("%s: record %s", name, bd.Record)
		}
	}
	// Every status at once: five counters and their sum.
	bd, err := b.Total(context.Background(), "projects")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Verify(roundTrip(t, bd), trust)
	if err != nil {
		t.Fatal(err)
	}
	if len(bd.Also) != 4 || res.Height != height ||
		!strings.Contains(res.Statement, "projects in the registry (every status) = 9 (submitted 1, validated 2, registered 3, rejected 2, terminated 1)") {
		t.Fatalf("all: %d also, %q", len(bd.Also), res.Statement)
	}
	// A status no project is in proves 0 by absence.
	src := b.Source.(*appSource)
	for _, m := range []*projectsv1.MsgRejectProject{{ProjectId: "JCP-000009", Reason: "withdrawn"}} {
		if res := src.block(c.Tx("meti", m)); res[0].Code != 0 {
			t.Fatal(res[0].Log)
		}
	}
	src.block()
	bd, err = b.Total(context.Background(), "projects,status=submitted")
	if err != nil {
		t.Fatal(err)
	}
	if res, err = Verify(roundTrip(t, bd), trust); err != nil || res.Exists || !strings.Contains(res.Statement, "projects SUBMITTED = 0") {
		t.Fatalf("absent: %v %+v", err, res)
	}
	if n := listed(t, c, projectsv1.ProjectStatus_PROJECT_STATUS_SUBMITTED, res.Height); n != 0 {
		t.Fatalf("%d submitted projects listed", n)
	}
	// Spellings and combinations no counter keeps are refused.
	for _, s := range []string{"projects,status=pending", "projects,status=registered,status=rejected", "projects,methodology=EN-S-001", "projects,status="} {
		if _, err := b.Total(context.Background(), s); err == nil {
			t.Fatalf("%s: built", s)
		}
	}
}

// A project total's bundle cannot be altered or passed off as another:
// a tampered count, another status, a respelt subject, a dropped counter
// of the all-status bundle are refused, and so is every flipped byte.
func TestProjectTotalProofTamperingFails(t *testing.T) {
	_, _, b := projectsChain(t)
	trust := TrustSet(fourVals.vals, apptest.ChainID)
	bd, err := b.Total(context.Background(), "projects,status=registered")
	if err != nil {
		t.Fatal(err)
	}
	all, err := b.Total(context.Background(), "projects")
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		bd     *Bundle
		mutate func(*Bundle)
	}{
		"count in the record":  {bd, func(x *Bundle) { x.Record = json.RawMessage(`{"status":"PROJECT_STATUS_REGISTERED","projects":"30"}`) }},
		"count in the value":   {bd, func(x *Bundle) { x.Value = u64bytes(30) }},
		"value of zero":        {bd, func(x *Bundle) { x.Value = u64bytes(0) }},
		"short value":          {bd, func(x *Bundle) { x.Value = []byte{3} }},
		"another status":       {bd, func(x *Bundle) { x.Subject = "projects,status=rejected" }},
		"upper case":           {bd, func(x *Bundle) { x.Subject = "projects,status=REGISTERED" }},
		"every status":         {bd, func(x *Bundle) { x.Subject = "projects" }},
		"claimed absent":       {bd, func(x *Bundle) { x.Exists, x.Value, x.Record = false, nil, nil }},
		"record of other":      {bd, func(x *Bundle) { x.Record = json.RawMessage(`{"status":"PROJECT_STATUS_REJECTED","projects":"3"}`) }},
		"credits total":        {bd, func(x *Bundle) { x.Subject = "retired" }},
		"all: one dropped":     {all, func(x *Bundle) { x.Also = x.Also[:3] }},
		"all: two swapped":     {all, func(x *Bundle) { x.Also[0], x.Also[1] = x.Also[1], x.Also[0] }},
		"all: count tampered":  {all, func(x *Bundle) { x.Also[1].Value = u64bytes(4) }},
		"all: one status only": {all, func(x *Bundle) { x.Subject = "projects,status=submitted" }},
	} {
		x := roundTrip(t, tc.bd)
		tc.mutate(x)
		raw, err := x.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := VerifyJSON(raw, trust); err == nil {
			t.Fatalf("%s: still verifies", name)
		}
	}
	raw, err := bd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		if _, err := VerifyJSON(flip(raw, i), trust); err == nil {
			t.Fatalf("byte %d (%q in %q) flipped: still verifies", i, raw[i], raw[max(0, i-30):min(len(raw), i+30)])
		}
	}
}
