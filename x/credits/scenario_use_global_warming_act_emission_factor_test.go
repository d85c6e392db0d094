package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// 温対法 adjusted emission factor (調整後排出係数) counts every category.
func TestUseGlobalWarmingActEmissionFactor(t *testing.T) {
	checkRow(t, creditsv1.Use_USE_GLOBAL_WARMING_ACT_EMISSION_FACTOR, categoryRow(re, rh, es, forest, ip, ag, wa), nil)
}
