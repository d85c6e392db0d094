package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
)

// GX-ETS takes J-Credits (JC, JCL) of every category, and neither J-VER
// nor 国内クレジット. (The operator and the cap: msg_retire_gx_test.go.)
func TestUseGXETS(t *testing.T) {
	cells := categoryRow(re, rh, es, forest, ip, ag, wa)
	cells = append(cells,
		cell{name: "JCL", batch: genBatch{category: es, scheme: "JCL"}, want: allowed},
		cell{name: "J-VER", batch: genBatch{category: forest, scheme: "JP", creditType: "JRM"}, want: credits.ErrUseNotAllowed},
		cell{name: "国内クレジット", batch: genBatch{category: es, scheme: "KC", creditType: "KC"}, want: credits.ErrUseNotAllowed},
	)
	checkRow(t, creditsv1.Use_USE_GX_ETS, cells, nil)
}
