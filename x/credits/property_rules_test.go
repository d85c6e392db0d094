package credits_test

import (
	"math/rand"
	"slices"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// The property test's model of the scheme's rules, written from the
// published table (issue 12, japancredit.go.jp/usage/) without x/credits'
// code, so that the two can disagree.

const (
	uGWA       = creditsv1.Use_USE_GLOBAL_WARMING_ACT
	uGWAFactor = creditsv1.Use_USE_GLOBAL_WARMING_ACT_EMISSION_FACTOR
	uECA       = creditsv1.Use_USE_ENERGY_CONSERVATION_ACT
	uOffset    = creditsv1.Use_USE_CARBON_OFFSET
	uCDP       = creditsv1.Use_USE_CDP
	uSBT       = creditsv1.Use_USE_SBTI
	uRE100     = creditsv1.Use_USE_RE100
	uShift     = creditsv1.Use_USE_SHIFT_ASSET
	uKeidanren = creditsv1.Use_USE_KEIDANREN
	uCorsia    = creditsv1.Use_USE_CORSIA
	uGX        = creditsv1.Use_USE_GX_ETS
	uOther     = creditsv1.Use_USE_OTHER
)

var allUses = []creditsv1.Use{uGWA, uGWAFactor, uECA, uOffset, uCDP, uSBT, uRE100, uShift, uKeidanren, uCorsia, uGX, uOther}

// publishedTable says whether use takes the credits of mb (labels as the
// model has them), counting in CORSIA phase.
func publishedTable(use creditsv1.Use, mb *mBatch, phase creditsv1.CorsiaPhase) bool {
	cat, scheme := mb.b.Category, mb.b.SchemeSymbol
	switch use {
	case uGWA, uGWAFactor, uOffset, uShift, uOther:
		return true
	case uECA:
		return cat == creditsv1.Category_CATEGORY_ENERGY_SAVING
	case uCDP, uSBT:
		return cat == creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY || cat == creditsv1.Category_CATEGORY_RENEWABLE_HEAT
	case uRE100:
		return cat == creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY
	case uKeidanren: // JCL (credit type ERL), or forest credits (FM)
		return scheme == "JCL" || cat == creditsv1.Category_CATEGORY_FOREST
	case uCorsia:
		return modelHasLabel(mb.labels, &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE, CorsiaPhase: phase})
	case uGX: // J-Credits of every category
		return scheme == "JC" || scheme == "JCL"
	}
	return false
}

// scopeOf is the 活用範囲 each use counts against.
func scopeOf(u creditsv1.Use) string {
	switch u {
	case uGWA, uECA, uCDP, uSBT, uRE100, uShift, uKeidanren:
		return "organisation"
	case uGWAFactor:
		return "electricity sold"
	}
	return u.String()
}

func randomCorsia(rng *rand.Rand) *creditsv1.Label {
	return &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE,
		CorsiaPhase: []creditsv1.CorsiaPhase{creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST, creditsv1.CorsiaPhase_CORSIA_PHASE_SECOND}[rng.Intn(2)]}
}

func modelHasLabel(ls []*creditsv1.Label, l *creditsv1.Label) bool {
	for _, x := range ls {
		if x.Kind == l.Kind && x.CorsiaPhase == l.CorsiaPhase {
			return true
		}
	}
	return false
}

func modelSetLabel(ls []*creditsv1.Label, l *creditsv1.Label, remove bool) []*creditsv1.Label {
	out := []*creditsv1.Label{}
	for _, x := range ls {
		if !(x.Kind == l.Kind && x.CorsiaPhase == l.CorsiaPhase) {
			out = append(out, x)
		}
	}
	if !remove {
		out = append(out, l)
	}
	return out
}

// modelRetirement is a random retirement request and what the model
// needs to judge it.
type modelRetirement struct {
	msg    *creditsv1.MsgRetire
	uses   []creditsv1.Use
	target string // the offset target's prefecture, "" for none
	phase  creditsv1.CorsiaPhase
}

func randomRetirement(rng *rand.Rand, prefs []string) *modelRetirement {
	r := &modelRetirement{}
	r.uses = []creditsv1.Use{allUses[rng.Intn(len(allUses))]}
	if rng.Intn(3) == 0 {
		if u := allUses[rng.Intn(len(allUses))]; u != r.uses[0] {
			r.uses = append(r.uses, u)
		}
	}
	fy := uint32([]int{2023, 2024, 2025, 2025, 2026, 2026, 2027}[rng.Intn(7)])
	r.msg = &creditsv1.MsgRetire{Beneficiary: "b", Uses: r.uses, FiscalYear: fy}
	if slices.Contains(r.uses, uOffset) != (rng.Intn(10) == 0) {
		r.target = prefs[rng.Intn(len(prefs))]
		r.msg.OffsetTarget = &creditsv1.OffsetTarget{Kind: creditsv1.OffsetKind_OFFSET_KIND_EVENT, Name: "marathon",
			Location: &creditsv1.Location{PrefectureCode: r.target}}
	}
	if slices.Contains(r.uses, uCorsia) {
		r.msg.CorsiaPhase = []creditsv1.CorsiaPhase{0, creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST, creditsv1.CorsiaPhase_CORSIA_PHASE_SECOND}[rng.Intn(3)]
		r.phase = r.msg.CorsiaPhase
		if r.phase == 0 { // the phase containing the reporting year
			r.phase = creditsv1.CorsiaPhase(1 + (fy-2021)/3)
		}
	}
	return r
}

// valid: one scope, an offset target exactly for a carbon offset.
func (r *modelRetirement) valid() bool {
	for _, u := range r.uses[1:] {
		if scopeOf(u) != scopeOf(r.uses[0]) {
			return false
		}
	}
	return (r.target != "") == slices.Contains(r.uses, uOffset)
}

// accepts: every use takes the batch, and an offset's place is not where
// the credits were created.
func (r *modelRetirement) accepts(mb *mBatch) bool {
	for _, u := range r.uses {
		if !publishedTable(u, mb, r.phase) {
			return false
		}
	}
	return r.target == "" || r.target != mb.b.Origin.GetPrefectureCode()
}

// yearAllowed: the block time of the property test is 1 April 2026, 09:00
// JST — fiscal 2026, inside 温対法's grace period — so 温対法 uses take 2025
// and 2026, the others the years from the earliest vintage taken (vintages
// start on 1 April: their year is their fiscal year) to 2026.
func (r *modelRetirement) yearAllowed(m *model, take [][2]int) bool {
	fy := r.msg.FiscalYear
	earliest := uint32(9999)
	for _, c := range take {
		earliest = min(earliest, vintageYearOf(m.batches[c[0]].b))
	}
	for _, u := range r.uses {
		if u == uGWA || u == uGWAFactor {
			if fy != 2025 && fy != 2026 {
				return false
			}
		} else if fy < earliest || fy > 2026 {
			return false
		}
	}
	return true
}
