package projects_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/projects"
)

// A project says where it creates its credits: a JIS X 0401 prefecture
// code and, optionally, the municipality (v0.2.0's "JP-26" form is still
// read). Its batches carry that place, which a carbon offset elsewhere
// needs.
func TestProjectLocation(t *testing.T) {
	c := newChain(t)
	m := standardProject()
	m.Prefecture, m.Location = "", &creditsv1.Location{PrefectureCode: "26", Municipality: "亀岡市", MunicipalityCode: "26206"}
	id := submit(t, c, "kyoto", m)
	if p := getProject(t, c, id); p.Location.GetMunicipality() != "亀岡市" || p.Location.GetPrefectureCode() != "26" || p.Prefecture != "" {
		t.Fatalf("project %v", p)
	}
	for _, loc := range []*creditsv1.Location{
		{PrefectureCode: "48"}, {PrefectureCode: "JP-26"}, {PrefectureCode: "26", MunicipalityCode: "13101"},
		{PrefectureCode: "26", Municipality: "亀岡\u202e市"},
	} {
		bad := standardProject()
		bad.Prefecture, bad.Location = "", loc
		rejected(t, c, "kyoto", projects.ErrInvalidProject, bad)
	}
	both := standardProject()
	both.Location = &creditsv1.Location{PrefectureCode: "26"}
	rejected(t, c, "kyoto", projects.ErrInvalidProject, both)
	none := standardProject()
	none.Prefecture = ""
	rejected(t, c, "kyoto", projects.ErrInvalidProject, none)
}

// The crediting period is capped per category: forest projects may credit
// 16 years, the others 8 (and none beyond the scheme's last day).
func TestCreditingYearsPerCategory(t *testing.T) {
	c := newChain(t)
	forest := standardProject()
	forest.Methodology, forest.CreditingStart = "FO-001", "2016-04-01" // 15 years to 2031-03-31
	submit(t, c, "kyoto", forest)
	energy := standardProject()
	energy.CreditingStart = "2016-04-01"
	res := rejected(t, c, "kyoto", projects.ErrCreditingTooLong, energy)
	if want := "may last 8 years"; !contains(res.Log, want) {
		t.Fatalf("%s", res.Log)
	}
	forest.CreditingStart = "2014-04-01" // 17 years
	rejected(t, c, "kyoto", projects.ErrCreditingTooLong, forest)
	// A genesis may set other caps.
	c = newChainWith(t, &projectsv1.GenesisState{Methodologies: genesisMethodologies(), Params: &projectsv1.Params{
		MaxCreditingYears: 8, LatestCreditingEnd: "2040-03-31",
		CreditingYearsByCategory: []*projectsv1.CategoryCreditingYears{{Category: creditsv1.Category_CATEGORY_ENERGY_SAVING, Years: 10}},
	}})
	energy.CreditingEnd = "2026-03-31"
	submit(t, c, "kyoto", energy)
}

// Certification gives the batch its official identifiers, the energy of
// the verified report and its first labels; x/credits checks them.
func TestCertificationSetsIdentifiersEnergyAndLabels(t *testing.T) {
	c := newChain(t)
	id := registered(t, c, "kyoto", programProject())
	rid := verified(t, c, "kyoto", report(id, 2023, 900), 900)
	certify := func() *projectsv1.MsgCertifyReport {
		return &projectsv1.MsgCertifyReport{ReportId: rid, SchemeSymbol: "JCL", CreditType: "ERL", CertificationNumber: "0042-2024",
			ElectricityKwh: 1_800_000, Labels: []*creditsv1.Label{{Kind: creditsv1.LabelKind_LABEL_KIND_ICVCM_CCP}}}
	}
	bad := certify()
	bad.CreditType = "ER"
	rejected(t, c, "meti", credits.ErrInvalidIdentifier, bad)
	bad = certify()
	bad.HeatMj = 5
	rejected(t, c, "meti", credits.ErrInvalidIssuance, bad)
	bad = certify()
	bad.SchemeSymbol, bad.CreditType = "JP", "JRM"
	rejected(t, c, "meti", credits.ErrInvalidIdentifier, bad)
	res := c.MustExec("meti", certify())
	ba := &creditsv1.QueryBatchResponse{}
	queryInto(t, c, "/credits/Batch", &creditsv1.QueryBatchRequest{Id: attr(t, res, projects.EventCertified, "batch")}, ba)
	b := ba.Batch
	if b.SchemeSymbol != "JCL" || b.CreditType != "ERL" || b.CertificationNumber != "0042-2024" || b.ElectricityKwh != 1_800_000 ||
		len(b.Labels) != 1 || b.ProjectName != "Kyoto farmers' solar program" || b.Origin.GetPrefectureCode() != "26" {
		t.Fatalf("batch %v", b)
	}
	// A certification number is the scheme's: one batch each.
	rid2 := verified(t, c, "kyoto", report(id, 2024, 10), 10)
	again := certify()
	again.ReportId = rid2
	rejected(t, c, "meti", credits.ErrInvalidIdentifier, again)
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
