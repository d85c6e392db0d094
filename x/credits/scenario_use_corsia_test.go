package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
)

// CORSIA takes batches of any category that carry the CORSIA-eligible
// label for the phase the retirement counts in: the one it names, or the
// phase containing its reporting year (2025: the first, 2024-2026).
func TestUseCORSIA(t *testing.T) {
	first, second := creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST, creditsv1.CorsiaPhase_CORSIA_PHASE_SECOND
	phase := func(p creditsv1.CorsiaPhase) func(*creditsv1.MsgRetire) {
		return func(m *creditsv1.MsgRetire) { m.CorsiaPhase = p }
	}
	checkRow(t, creditsv1.Use_USE_CORSIA, []cell{
		{name: "no label", batch: genBatch{category: re}, want: credits.ErrUseNotAllowed},
		{name: "first phase, renewable electricity", batch: genBatch{category: re, labels: corsiaLabel(first)}, want: allowed},
		{name: "first phase, forest", batch: genBatch{category: forest, labels: corsiaLabel(first)}, want: allowed},
		{name: "first phase, waste", batch: genBatch{category: wa, labels: corsiaLabel(first)}, want: allowed},
		{name: "v0.2.0's flag (first phase)", batch: genBatch{category: es, corsia: true}, want: allowed},
		{name: "first-phase label, second phase named", batch: genBatch{category: re, labels: corsiaLabel(first)}, mod: phase(second), want: credits.ErrUseNotAllowed},
		{name: "second-phase label, second phase named", batch: genBatch{category: re, labels: corsiaLabel(second)}, mod: phase(second), want: allowed},
		{name: "second-phase label, year in the first", batch: genBatch{category: re, labels: corsiaLabel(second)}, want: credits.ErrUseNotAllowed},
		{name: "other labels only", batch: genBatch{category: re, labels: []*creditsv1.Label{{Kind: creditsv1.LabelKind_LABEL_KIND_ICVCM_CCP}}}, want: credits.ErrUseNotAllowed},
	}, nil)
}
