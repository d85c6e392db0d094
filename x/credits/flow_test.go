package credits_test

import (
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

// The whole path of a credit: a program-type solar project is registered,
// its FY2024 report verified and certified, which issues one batch split
// among the members by share; a member then retires for RE100. Issuance by
// anyone but a ministry is refused and leaves nothing behind.
func TestCertificationIssuesABatchThatMembersCanRetire(t *testing.T) {
	accs := apptest.DefaultAccounts()
	for _, n := range []string{"kyoto", "farm-a", "farm-b"} {
		accs = append(accs, apptest.GenesisAccount{Name: n, Roles: []accountsv1.Role{accountsv1.Role_ROLE_CREATOR}})
	}
	accs = append(accs, apptest.GenesisAccount{Name: "kiwa", Roles: []accountsv1.Role{accountsv1.Role_ROLE_VERIFIER}})
	pg, err := protojson.Marshal(&projectsv1.GenesisState{Methodologies: []*projectsv1.Methodology{
		{Code: "EN-R-002", Title: "Solar power generation", Category: re},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c := apptest.New(t, app.GenesisState{"accounts": apptest.AccountsGenesis(accs), "projects": pg}).ReplayAtEnd()

	const hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	res := c.MustExec("kyoto", &projectsv1.MsgSubmitProject{
		Name: "Solar program", Kind: projectsv1.ProjectKind_PROJECT_KIND_PROGRAM, Methodology: "EN-R-002", Prefecture: "JP-26",
		CreditingStart: "2023-04-01", CreditingEnd: "2031-03-31", ExpectedReductions: 3000, PlanHash: hash,
		Members: []*projectsv1.MemberSpec{
			{Name: "Farm A", Site: "Kameoka", Address: apptest.Addr("farm-a").Hex(), ShareBps: 7500},
			{Name: "Farm B", Site: "Nantan", Address: apptest.Addr("farm-b").Hex(), ShareBps: 2500},
		},
	})
	project := eventAttr(t, res.Events, projects.EventProjectStatus, "project")
	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: project})
	c.MustExec("meti", &projectsv1.MsgRegisterProject{ProjectId: project})
	res = c.MustExec("kyoto", &projectsv1.MsgSubmitReport{ProjectId: project, PeriodStart: "2024-04-01", PeriodEnd: "2025-03-31", ClaimedTCo2: 1000, DocumentHash: hash})
	report := eventAttr(t, res.Events, projects.EventReportStatus, "report")
	c.MustExec("kiwa", &projectsv1.MsgVerifyReport{ReportId: report, VerifiedTCo2: 1000})

	// Only a ministry issues.
	rejects(t, c, projects.ErrUnauthorized, "kyoto", &projectsv1.MsgCertifyReport{ReportId: report})
	rejects(t, c, projects.ErrUnauthorized, "kiwa", &projectsv1.MsgCertifyReport{ReportId: report})
	none := &creditsv1.QueryBatchesResponse{}
	if err := c.Read("/credits/Batches", nil, none); err != nil || len(none.Batches) != 0 {
		t.Fatalf("batches after refused issuance: %v %d", err, len(none.Batches))
	}

	res = c.MustExec("meti", &projectsv1.MsgCertifyReport{ReportId: report, CorsiaEligible: true})
	if !hasEvent(res.Events, "credits.issue", "account", apptest.Addr("farm-a").Hex()) {
		t.Fatalf("no issue event for farm-a: %v", res.Events)
	}
	b := batchOf(t, c, "JC-00000001")
	if b.Issued != 1000 || b.ProjectId != project || b.ReportId != report || b.Category != re || len(b.Labels) != 1 ||
		b.Labels[0].CorsiaPhase != creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST || b.SchemeSymbol != "JC" || b.CreditType != "ER" ||
		b.CertificationNumber != report || b.ProjectName == "" || b.Origin.GetPrefectureCode() != "26" ||
		b.VintageStart != "2024-04-01" || b.VintageEnd != "2025-03-31" || b.IssuanceHeight != c.Height {
		t.Fatalf("batch %+v", b)
	}
	a, bb := holdingsOf(t, c, "farm-a"), holdingsOf(t, c, "farm-b")
	if a.Active+bb.Active != 1000 || a.Active != 750 {
		t.Fatalf("shares: farm-a %d, farm-b %d", a.Active, bb.Active)
	}
	c.MustExec("farm-a", &creditsv1.MsgRetire{Quantity: 100, Beneficiary: "Farm A", Use: creditsv1.Use_USE_RE100, FiscalYear: 2025})
	if b := batchOf(t, c, "JC-00000001"); b.Retired != 100 || b.Active != 900 {
		t.Fatalf("after retirement %+v", b)
	}
	if ans := serialOf(t, c, ser(1, re, 2024, 1, 1)); ans.Range.Status != creditsv1.RangeStatus_RANGE_STATUS_RETIRED {
		t.Fatalf("serial 1: %+v", ans)
	}
}

func eventAttr(t *testing.T, evs []abciEvent, typ, key string) string {
	t.Helper()
	for _, e := range evs {
		if e.Type != typ {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == key {
				return a.Value
			}
		}
	}
	t.Fatalf("no %s.%s in %v", typ, key, evs)
	return ""
}
