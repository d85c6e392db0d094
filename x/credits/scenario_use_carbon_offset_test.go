package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
)

// A carbon offset takes every category, names what it offsets, and uses
// credits created elsewhere than the offset's place (japancredit.go.jp/
// application/account/support/; the carbon-offset guideline's definition).
// Scenario batches are created in Kyoto (26); the target is a Tokyo event.
func TestUseCarbonOffset(t *testing.T) {
	cells := categoryRow(re, rh, es, forest, ip, ag, wa)
	at := func(pref, muni string) func(*creditsv1.MsgRetire) {
		return func(m *creditsv1.MsgRetire) {
			m.OffsetTarget = &creditsv1.OffsetTarget{Kind: creditsv1.OffsetKind_OFFSET_KIND_PRODUCT, Name: "Uji tea",
				Location: &creditsv1.Location{PrefectureCode: pref, Municipality: muni}}
		}
	}
	cells = append(cells,
		cell{name: "same prefecture, place not told apart", batch: genBatch{category: forest}, mod: at("26", "宇治市"), want: credits.ErrOffsetTarget},
		cell{name: "another prefecture", batch: genBatch{category: forest, origin: "39"}, mod: at("26", "宇治市"), want: allowed},
		cell{name: "no target", batch: genBatch{category: forest}, mod: func(m *creditsv1.MsgRetire) { m.OffsetTarget = nil }, want: credits.ErrOffsetTarget},
	)
	checkRow(t, creditsv1.Use_USE_CARBON_OFFSET, cells, func(m *creditsv1.MsgRetire) { m.OffsetTarget = tokyoEvent })
}
