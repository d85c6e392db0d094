package projects_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func TestValidateGenesis(t *testing.T) {
	g := &projectsv1.GenesisState{Methodologies: genesisMethodologies()[:1]}
	if err := projects.ValidateGenesis(g); err != nil {
		t.Fatal(err)
	}
	if g.Params.MaxCreditingYears != 8 || g.Params.LatestCreditingEnd != "2031-03-31" ||
		g.Methodologies[0].Status != projectsv1.MethodologyStatus_METHODOLOGY_STATUS_ACTIVE {
		t.Fatalf("not normalised: %v", g)
	}
	m := func(code string) *projectsv1.Methodology {
		return &projectsv1.Methodology{Code: code, Title: "t", Category: creditsv1.Category_CATEGORY_WASTE}
	}
	for name, g := range map[string]*projectsv1.GenesisState{
		"zero years":       {Params: &projectsv1.Params{LatestCreditingEnd: "2031-03-31"}},
		"bad latest end":   {Params: &projectsv1.Params{MaxCreditingYears: 8, LatestCreditingEnd: "FY2030"}},
		"duplicate code":   {Methodologies: []*projectsv1.Methodology{m("WA-001"), m("WA-001")}},
		"malformed code":   {Methodologies: []*projectsv1.Methodology{m("waste")}},
		"unknown category": {Methodologies: []*projectsv1.Methodology{{Code: "WA-001", Title: "t", Category: 99}}},
	} {
		if err := projects.ValidateGenesis(g); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The crediting-period caps are genesis parameters: a chain may run with
// other limits.
func TestCreditingCapsComeFromGenesis(t *testing.T) {
	c := newChainWith(t, &projectsv1.GenesisState{
		Params:        &projectsv1.Params{MaxCreditingYears: 10, LatestCreditingEnd: "2035-03-31"},
		Methodologies: genesisMethodologies(),
	})
	m := standardProject()
	m.CreditingStart, m.CreditingEnd = "2024-04-01", "2034-03-31"
	submit(t, c, "kyoto", m)
	m.CreditingEnd = "2034-04-01"
	rejected(t, c, "kyoto", projects.ErrCreditingTooLong, m)
	m.CreditingStart, m.CreditingEnd = "2030-04-01", "2035-04-01"
	rejected(t, c, "kyoto", projects.ErrCreditingEndTooLate, m)
}
