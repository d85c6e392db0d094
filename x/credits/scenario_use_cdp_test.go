package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// CDP counts renewable electricity and renewable heat, as renewable energy
// procured (Scope 2); not energy saving, forest or the others.
func TestUseCDP(t *testing.T) {
	checkRow(t, creditsv1.Use_USE_CDP, categoryRow(re, rh), nil)
}
