package projects_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func adopt(code string) *projectsv1.MsgAdoptMethodology {
	return &projectsv1.MsgAdoptMethodology{Code: code, Title: "Heat pump introduction", Category: creditsv1.Category_CATEGORY_ENERGY_SAVING}
}

func TestAdoptMethodology(t *testing.T) {
	c := newChain(t)
	c.MustExec("moe", adopt("EN-S-002"))
	ans := &projectsv1.QueryMethodologyResponse{}
	queryInto(t, c, "/projects/Methodology", &projectsv1.QueryMethodologyRequest{Code: "EN-S-002"}, ans)
	m := ans.Methodology
	if m.Status != projectsv1.MethodologyStatus_METHODOLOGY_STATUS_ACTIVE || m.AdoptedBy != apptest.Addr("moe").Hex() ||
		m.Category != creditsv1.Category_CATEGORY_ENERGY_SAVING || m.AdoptedHeight != c.Height {
		t.Fatalf("adopted methodology = %v", m)
	}
	// Projects may now use it.
	p := standardProject()
	p.Methodology = "EN-S-002"
	submit(t, c, "kyoto", p)

	noCategory := adopt("EN-S-003")
	noCategory.Category = creditsv1.Category_CATEGORY_UNSPECIFIED
	noTitle := adopt("EN-S-003")
	noTitle.Title = " "
	for _, r := range []rule{
		{"already adopted", "meti", adopt("EN-S-002"), projects.ErrMethodologyExists},
		{"adopted at genesis", "meti", adopt("FO-001"), projects.ErrMethodologyExists},
		{"malformed code", "meti", adopt("en-s-3"), projects.ErrInvalidMethodology},
		{"no category", "meti", noCategory, projects.ErrInvalidMethodology},
		{"no title", "meti", noTitle, projects.ErrInvalidMethodology},
		{"not a ministry", "kyoto", adopt("EN-S-003"), projects.ErrUnauthorized},
	} {
		t.Run(r.name, func(t *testing.T) { rejected(t, c, r.signer, r.want, r.msg) })
	}
}
