package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// 温対法 adjusted emissions (調整後排出量) count every category. (Its
// fiscal-year rule: scenario_fiscal_year_test.go.)
func TestUseGlobalWarmingActAdjustedEmissions(t *testing.T) {
	checkRow(t, creditsv1.Use_USE_GLOBAL_WARMING_ACT, categoryRow(re, rh, es, forest, ip, ag, wa), nil)
}
