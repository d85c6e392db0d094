package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// SBT counts renewable electricity and renewable heat only.
func TestUseSBT(t *testing.T) {
	checkRow(t, creditsv1.Use_USE_SBTI, categoryRow(re, rh), nil)
}
