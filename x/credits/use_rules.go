package credits

import (
	"fmt"
	"slices"
	"strings"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The scheme's category-by-use rules, as data. The table lives in state
// (use_table.go keeps its versions); this file says what its rows mean and
// what the table a chain starts with holds.

// Sources of the default table.
const (
	SourceUsage   = "https://japancredit.go.jp/usage/ (クレジットの活用; the category-by-use table of case/outline)"
	SourceLaw     = "https://japancredit.go.jp/case/law/ (温対法: credits retired by 30 June may count for the previous fiscal year)"
	SourceNumber  = "https://japancredit.go.jp/about/number/ (制度記号・クレジット種別: JCL, ERL, FM and J-VER JRM/KRM usable for Keidanren's plan)"
	SourceSupport = "https://japancredit.go.jp/application/account/support/ (無効化: one retirement for several reports of one company and one 活用範囲; offset place differs from where the credits were created)"
	SourceCorsia  = "ICAO CORSIA eligible emissions units, by compliance period; the batch's CORSIA label records the ministries' decision"
	SourceGXETS   = "GX-ETS (GX League emissions trading): J-Credits of every category (operator and cap: x/credits GX-ETS rules, issue 14)"
)

var allCategories = []creditsv1.Category{
	creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, creditsv1.Category_CATEGORY_RENEWABLE_HEAT,
	creditsv1.Category_CATEGORY_ENERGY_SAVING, creditsv1.Category_CATEGORY_FOREST,
	creditsv1.Category_CATEGORY_INDUSTRIAL_PROCESS, creditsv1.Category_CATEGORY_AGRICULTURE, creditsv1.Category_CATEGORY_WASTE,
}

// DefaultUseTable is the scheme's published table, version 1 of every
// chain:
//
//	use                          RE  RH  ES  FO  IP/AG/WA  scope            fiscal year
//	温対法 adjusted emissions     ✓   ✓   ✓   ✓   ✓         organisation     current, or previous until 30 June
//	温対法 adjusted emission factor ✓ ✓   ✓   ✓   ✓         electricity supply  current, or previous until 30 June
//	省エネ法 (joint energy saving) ×   ×   ✓   ×   ×         organisation     earliest vintage .. current
//	carbon offset                ✓   ✓   ✓   ✓   ✓         offset target    earliest vintage .. current
//	CDP (Scope 2)                ✓   ✓   ×   ×   ×         organisation     earliest vintage .. current
//	SBT                          ✓   ✓   ×   ×   ×         organisation     earliest vintage .. current
//	RE100                        ✓   ×   ×   ×   ×         organisation     earliest vintage .. current
//	SHIFT / ASSET                ✓   ✓   ✓   ✓   ✓         organisation     earliest vintage .. current
//	Keidanren CN action plan     scheme JCL, or type ERL, FM, JRM, KRM     organisation
//	CORSIA                       any category with a CORSIA label of the phase   CORSIA
//	GX-ETS                       J-Credits (JC, JCL) of every category      GX-ETS
//	other                        every category                            other (alone)
//
// The carbon offset additionally needs a named target whose place differs
// from where the credits were created.
func DefaultUseTable() *creditsv1.UseTable {
	org, vintage := creditsv1.UseScope_USE_SCOPE_ORGANISATION, creditsv1.FiscalYearRule_FISCAL_YEAR_RULE_VINTAGE_TO_CURRENT
	grace := creditsv1.FiscalYearRule_FISCAL_YEAR_RULE_CURRENT_OR_PREVIOUS_UNTIL_JUNE
	re, rh, es := creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, creditsv1.Category_CATEGORY_RENEWABLE_HEAT, creditsv1.Category_CATEGORY_ENERGY_SAVING
	row := func(u creditsv1.Use, scope creditsv1.UseScope, fy creditsv1.FiscalYearRule, source string, cats ...creditsv1.Category) *creditsv1.UseRule {
		return &creditsv1.UseRule{Use: u, Scope: scope, FiscalYearRule: fy, Categories: cats, Source: source}
	}
	offset := row(creditsv1.Use_USE_CARBON_OFFSET, creditsv1.UseScope_USE_SCOPE_OFFSET_TARGET, vintage, SourceUsage+"; "+SourceSupport, allCategories...)
	offset.OffsetTargetRequired = true
	corsia := row(creditsv1.Use_USE_CORSIA, creditsv1.UseScope_USE_SCOPE_CORSIA, vintage, SourceCorsia, allCategories...)
	corsia.RequiredLabels = []creditsv1.LabelKind{creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE}
	gx := row(creditsv1.Use_USE_GX_ETS, creditsv1.UseScope_USE_SCOPE_GX_ETS, vintage, SourceGXETS, allCategories...)
	gx.OnlySchemes = []string{types.SchemeJC, types.SchemeJCL}
	keidanren := row(creditsv1.Use_USE_KEIDANREN, org, vintage, SourceUsage+"; "+SourceNumber)
	keidanren.SchemeSymbols = []string{types.SchemeJCL}
	keidanren.CreditTypes = []string{"ERL", "FM", "JRM", "KRM"}
	return &creditsv1.UseTable{
		Version: 1,
		Note:    "the scheme's published category-by-use table",
		Rules: []*creditsv1.UseRule{
			row(creditsv1.Use_USE_GLOBAL_WARMING_ACT, org, grace, SourceUsage+"; "+SourceLaw, allCategories...),
			row(creditsv1.Use_USE_ENERGY_CONSERVATION_ACT, org, vintage, SourceUsage, es),
			offset,
			row(creditsv1.Use_USE_CDP, org, vintage, SourceUsage, re, rh),
			row(creditsv1.Use_USE_SBTI, org, vintage, SourceUsage, re, rh),
			row(creditsv1.Use_USE_RE100, org, vintage, SourceUsage, re),
			corsia,
			gx,
			row(creditsv1.Use_USE_OTHER, creditsv1.UseScope_USE_SCOPE_OTHER, vintage, "registry: uses the scheme does not list", allCategories...),
			row(creditsv1.Use_USE_GLOBAL_WARMING_ACT_EMISSION_FACTOR, creditsv1.UseScope_USE_SCOPE_ELECTRICITY_SUPPLY, grace, SourceUsage+"; "+SourceLaw, allCategories...),
			row(creditsv1.Use_USE_SHIFT_ASSET, org, vintage, SourceUsage, allCategories...),
			keidanren,
		},
	}
}

// V1UseTable is version 0: the rules release v0.2.0 applied, written as a
// table so that the retirements it recorded can name and prove what they
// were checked against. Each retirement had one use; RE100 took
// renewable electricity only, the Energy Conservation Act energy saving
// only, CORSIA batches flagged eligible (now: carrying a CORSIA label, of
// any phase); every other use took every category; the fiscal year was
// free (2000-2100). Uses that release did not know have no row.
func V1UseTable() *creditsv1.UseTable {
	free := creditsv1.FiscalYearRule_FISCAL_YEAR_RULE_FREE
	t := &creditsv1.UseTable{Version: 0, Note: "the rules of release v0.2.0 (state version 1), recorded by the v2 migration"}
	for u := creditsv1.Use_USE_GLOBAL_WARMING_ACT; u <= creditsv1.Use_USE_OTHER; u++ {
		r := &creditsv1.UseRule{Use: u, Scope: creditsv1.UseScope_USE_SCOPE_OTHER, FiscalYearRule: free, Categories: allCategories, Source: "release v0.2.0 x/credits/use_rules.go"}
		switch u {
		case creditsv1.Use_USE_RE100:
			r.Categories = []creditsv1.Category{creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY}
		case creditsv1.Use_USE_ENERGY_CONSERVATION_ACT:
			r.Categories = []creditsv1.Category{creditsv1.Category_CATEGORY_ENERGY_SAVING}
		case creditsv1.Use_USE_CORSIA:
			r.RequiredLabels = []creditsv1.LabelKind{creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE}
		}
		t.Rules = append(t.Rules, r)
	}
	return t
}

// ValidateUseTable checks a table's rows: at most one per use, every use,
// scope, rule, category, scheme symbol, credit type and label known, and
// every row able to accept something.
func ValidateUseTable(t *creditsv1.UseTable) error {
	if t == nil || len(t.Rules) == 0 {
		return ErrInvalidUseTable.Wrapf("a use table needs at least one row")
	}
	if p := module.TextProblem(t.Note, MaxDetailsLen, false); p != "" {
		return ErrInvalidUseTable.Wrapf("the note (at most %d bytes of plain text) %s", MaxDetailsLen, p)
	}
	seen := map[creditsv1.Use]bool{}
	for i, r := range t.Rules {
		what := fmt.Sprintf("row %d (%s)", i+1, r.Use)
		if _, ok := creditsv1.Use_name[int32(r.Use)]; !ok || r.Use == creditsv1.Use_USE_UNSPECIFIED {
			return ErrInvalidUseTable.Wrapf("row %d: unknown use %d", i+1, r.Use)
		}
		if seen[r.Use] {
			return ErrInvalidUseTable.Wrapf("%s: the use has two rows", what)
		}
		seen[r.Use] = true
		if _, ok := creditsv1.UseScope_name[int32(r.Scope)]; !ok || r.Scope == creditsv1.UseScope_USE_SCOPE_UNSPECIFIED {
			return ErrInvalidUseTable.Wrapf("%s: give the use's scope", what)
		}
		if _, ok := creditsv1.FiscalYearRule_name[int32(r.FiscalYearRule)]; !ok || r.FiscalYearRule == creditsv1.FiscalYearRule_FISCAL_YEAR_RULE_UNSPECIFIED {
			return ErrInvalidUseTable.Wrapf("%s: give the use's fiscal-year rule", what)
		}
		for _, c := range r.Categories {
			if types.CategoryCode(c) == "" {
				return ErrInvalidUseTable.Wrapf("%s: unknown category %d", what, c)
			}
		}
		for _, s := range append(append([]string(nil), r.OnlySchemes...), r.SchemeSymbols...) {
			if !types.JCredit(s) && !types.Legacy(s) {
				return ErrInvalidUseTable.Wrapf("%s: unknown scheme symbol %q (JC, JCL, KC, KCP, JP)", what, s)
			}
		}
		for _, c := range r.CreditTypes {
			if len(c) < 2 || len(c) > 4 || strings.ToUpper(c) != c {
				return ErrInvalidUseTable.Wrapf("%s: credit type %q must be 2 to 4 capitals", what, c)
			}
		}
		for _, l := range r.RequiredLabels {
			if _, ok := creditsv1.LabelKind_name[int32(l)]; !ok || l == creditsv1.LabelKind_LABEL_KIND_UNSPECIFIED {
				return ErrInvalidUseTable.Wrapf("%s: unknown label %d", what, l)
			}
		}
		if len(r.Categories)+len(r.CreditTypes)+len(r.SchemeSymbols) == 0 {
			return ErrInvalidUseTable.Wrapf("%s: the row accepts no credits; list categories, credit types or scheme symbols (leave a use out to refuse it)", what)
		}
		if p := module.TextProblem(r.Source, MaxDetailsLen, false); p != "" {
			return ErrInvalidUseTable.Wrapf("%s: the source (at most %d bytes of plain text) %s", what, MaxDetailsLen, p)
		}
	}
	return nil
}

// ruleOf returns table t's row for use, or nil.
func ruleOf(t *creditsv1.UseTable, use creditsv1.Use) *creditsv1.UseRule {
	for _, r := range t.Rules {
		if r.Use == use {
			return r
		}
	}
	return nil
}

// Accepts returns ErrUseNotAllowed, saying why, unless rule accepts the
// credits of batch b (with its labels as they stand); phase is the CORSIA
// phase the retirement counts in.
func Accepts(rule *creditsv1.UseRule, b *creditsv1.Batch, phase creditsv1.CorsiaPhase) error {
	u := useName(rule.Use)
	if len(rule.OnlySchemes) > 0 && !slices.Contains(rule.OnlySchemes, b.SchemeSymbol) {
		return ErrUseNotAllowed.Wrapf("%s accepts credits of scheme %s only; batch %s is %s", u, strings.Join(rule.OnlySchemes, ", "), b.Id, schemeOf(b))
	}
	if !slices.Contains(rule.Categories, b.Category) && !slices.Contains(rule.CreditTypes, b.CreditType) && !slices.Contains(rule.SchemeSymbols, b.SchemeSymbol) {
		return ErrUseNotAllowed.Wrapf("%s accepts %s; batch %s is %s, %s", u, describeAccepted(rule), b.Id, categoryName(b.Category), schemeOf(b))
	}
	for _, l := range rule.RequiredLabels {
		if !hasLabel(b, l, phase) {
			if l == creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE {
				return ErrUseNotAllowed.Wrapf("%s accepts batches labelled CORSIA-eligible for the %s; batch %s is not", u, types.CorsiaPhaseYears(phase), b.Id)
			}
			return ErrUseNotAllowed.Wrapf("%s accepts batches labelled %s; batch %s is not", u, labelName(l), b.Id)
		}
	}
	return nil
}

// hasLabel reports whether b carries a label of kind (for CORSIA: of the
// phase; a v0.2.0 rule with no phase takes any).
func hasLabel(b *creditsv1.Batch, kind creditsv1.LabelKind, phase creditsv1.CorsiaPhase) bool {
	for _, l := range b.Labels {
		if l.Kind != kind {
			continue
		}
		if kind == creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE && phase != creditsv1.CorsiaPhase_CORSIA_PHASE_UNSPECIFIED && l.CorsiaPhase != phase {
			continue
		}
		return true
	}
	return false
}

func describeAccepted(r *creditsv1.UseRule) string {
	var parts []string
	if len(r.Categories) == len(allCategories) {
		parts = append(parts, "every category")
	} else if len(r.Categories) > 0 {
		var cs []string
		for _, c := range r.Categories {
			cs = append(cs, categoryName(c))
		}
		parts = append(parts, strings.Join(cs, ", ")+" credits")
	}
	if len(r.SchemeSymbols) > 0 {
		parts = append(parts, "scheme "+strings.Join(r.SchemeSymbols, ", "))
	}
	if len(r.CreditTypes) > 0 {
		parts = append(parts, "credit type "+strings.Join(r.CreditTypes, ", "))
	}
	return strings.Join(parts, " or ")
}

func schemeOf(b *creditsv1.Batch) string {
	return fmt.Sprintf("scheme %s, credit type %s", orDash(b.SchemeSymbol), orDash(b.CreditType))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func useName(u creditsv1.Use) string {
	switch u {
	case creditsv1.Use_USE_GLOBAL_WARMING_ACT:
		return "温対法 adjusted emissions (USE_GLOBAL_WARMING_ACT)"
	case creditsv1.Use_USE_GLOBAL_WARMING_ACT_EMISSION_FACTOR:
		return "温対法 adjusted emission factor (USE_GLOBAL_WARMING_ACT_EMISSION_FACTOR)"
	case creditsv1.Use_USE_ENERGY_CONSERVATION_ACT:
		return "省エネ法 (USE_ENERGY_CONSERVATION_ACT)"
	}
	return strings.TrimPrefix(u.String(), "USE_")
}

func categoryName(c creditsv1.Category) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(c.String(), "CATEGORY_"), "_", " "))
}

func labelName(l creditsv1.LabelKind) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(l.String(), "LABEL_KIND_"), "_", " "))
}
