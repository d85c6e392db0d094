package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// The SHIFT and ASSET subsidy programmes' targets count every category.
func TestUseShiftAsset(t *testing.T) {
	checkRow(t, creditsv1.Use_USE_SHIFT_ASSET, categoryRow(re, rh, es, forest, ip, ag, wa), nil)
}
