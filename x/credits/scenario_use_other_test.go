package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// Other uses take every category (and stand alone: scenario_scope_test.go).
func TestUseOther(t *testing.T) {
	checkRow(t, creditsv1.Use_USE_OTHER, categoryRow(re, rh, es, forest, ip, ag, wa), nil)
}
