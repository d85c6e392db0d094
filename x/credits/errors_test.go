package credits_test

import (
	"testing"

	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
)

func TestErrorCodesAreUnique(t *testing.T) {
	if err := module.CheckCodes(credits.AllErrors...); err != nil {
		t.Fatal(err)
	}
}
