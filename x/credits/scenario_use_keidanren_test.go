package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
)

// Keidanren's Carbon Neutral Action Plan takes credits by their official
// identifiers (japancredit.go.jp/about/number/): scheme symbol JCL (credit
// type ERL), forest credits (FM), and J-VER types JRM and KRM; not JC/ER,
// 国内クレジット, or other J-VER types.
func TestUseKeidanren(t *testing.T) {
	checkRow(t, creditsv1.Use_USE_KEIDANREN, []cell{
		{name: "JC ER renewable electricity", batch: genBatch{category: re}, want: credits.ErrUseNotAllowed},
		{name: "JC ER energy saving", batch: genBatch{category: es}, want: credits.ErrUseNotAllowed},
		{name: "JCL ERL renewable electricity", batch: genBatch{category: re, scheme: "JCL"}, want: allowed},
		{name: "JCL ERL energy saving", batch: genBatch{category: es, scheme: "JCL"}, want: allowed},
		{name: "JC FM forest", batch: genBatch{category: forest}, want: allowed},
		{name: "J-VER JRM forest", batch: genBatch{category: forest, scheme: "JP", creditType: "JRM"}, want: allowed},
		{name: "J-VER KRM forest", batch: genBatch{category: forest, scheme: "JP", creditType: "KRM"}, want: allowed},
		{name: "J-VER JRE energy saving", batch: genBatch{category: es, scheme: "JP", creditType: "JRE"}, want: credits.ErrUseNotAllowed},
		{name: "国内クレジット KC", batch: genBatch{category: es, scheme: "KC", creditType: "KC"}, want: credits.ErrUseNotAllowed},
		{name: "国内クレジット KCP", batch: genBatch{category: re, scheme: "KCP", creditType: "KCP"}, want: credits.ErrUseNotAllowed},
	}, nil)
}
