package projects

import (
	"encoding/json"

	"google.golang.org/protobuf/encoding/protojson"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

// Scheme defaults: a crediting period lasts at most 8 years (a forest
// management project's, 16) and ends no later than the end of fiscal 2030
// (2031-03-31).
const (
	DefaultMaxCreditingYears    = 8
	DefaultForestCreditingYears = 16
	DefaultLatestCreditingEnd   = "2031-03-31"
)

// DefaultParams are the scheme's current caps.
func DefaultParams() *projectsv1.Params {
	return &projectsv1.Params{
		MaxCreditingYears: DefaultMaxCreditingYears, LatestCreditingEnd: DefaultLatestCreditingEnd,
		CreditingYearsByCategory: DefaultCreditingYearsByCategory(),
	}
}

// DefaultCreditingYearsByCategory: forest projects may credit 16 years.
func DefaultCreditingYearsByCategory() []*projectsv1.CategoryCreditingYears {
	return []*projectsv1.CategoryCreditingYears{{Category: creditsv1.Category_CATEGORY_FOREST, Years: DefaultForestCreditingYears}}
}

// ValidateGenesis checks a genesis state and normalises it in place
// (default params, methodologies active).
func ValidateGenesis(g *projectsv1.GenesisState) error {
	if g.Params == nil {
		g.Params = DefaultParams()
	}
	if g.Params.MaxCreditingYears == 0 || g.Params.MaxCreditingYears > 100 {
		return ErrInvalidGenesis.Wrapf("max_crediting_years %d must be 1 to 100", g.Params.MaxCreditingYears)
	}
	if _, err := ParseDate(g.Params.LatestCreditingEnd); err != nil {
		return ErrInvalidGenesis.Wrapf("latest_crediting_end: %v", err)
	}
	cats := map[creditsv1.Category]bool{}
	for _, c := range g.Params.CreditingYearsByCategory {
		if !validCategory(c.Category) || cats[c.Category] || c.Years == 0 || c.Years > 100 {
			return ErrInvalidGenesis.Wrapf("crediting_years_by_category: each known category once, with 1 to 100 years (%s: %d)", c.Category, c.Years)
		}
		cats[c.Category] = true
	}
	seen := map[string]bool{}
	for i, m := range g.Methodologies {
		if err := validateMethodologyFields(m.Code, m.Title, m.Category); err != nil {
			return ErrInvalidGenesis.Wrapf("methodology %d: %v", i, err)
		}
		if seen[m.Code] {
			return ErrInvalidGenesis.Wrapf("methodology %s appears twice", m.Code)
		}
		seen[m.Code] = true
		if m.Status == projectsv1.MethodologyStatus_METHODOLOGY_STATUS_UNSPECIFIED {
			m.Status = projectsv1.MethodologyStatus_METHODOLOGY_STATUS_ACTIVE
		}
		if _, ok := projectsv1.MethodologyStatus_name[int32(m.Status)]; !ok {
			return ErrInvalidGenesis.Wrapf("methodology %s: unknown status %d", m.Code, m.Status)
		}
	}
	return validateExported(g)
}

// InitGenesis loads params and the adopted methodologies, and an
// export's projects and reports.
func (k *Keeper) InitGenesis(ctx module.Context, raw json.RawMessage) error {
	g := &projectsv1.GenesisState{}
	if len(raw) > 0 {
		if err := protojson.Unmarshal(raw, g); err != nil {
			return ErrInvalidGenesis.Wrapf("%v", err)
		}
	}
	if err := ValidateGenesis(g); err != nil {
		return err
	}
	k.store(ctx.Store).Set(types.ParamsKey, marshal(g.Params))
	for _, m := range g.Methodologies {
		if m.AdoptedHeight == 0 {
			m.AdoptedHeight = ctx.Height
		}
		k.setMethodology(ctx.Store, m)
	}
	return k.initExported(ctx, g)
}
