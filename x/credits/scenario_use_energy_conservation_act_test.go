package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// 省エネ法 (joint energy-saving projects) counts energy-saving credits only.
func TestUseEnergyConservationAct(t *testing.T) {
	checkRow(t, creditsv1.Use_USE_ENERGY_CONSERVATION_ACT, categoryRow(es), nil)
}
