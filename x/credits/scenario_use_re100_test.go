package credits_test

import (
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// RE100 counts renewable electricity only (japancredit.go.jp/usage/).
func TestUseRE100(t *testing.T) {
	checkRow(t, creditsv1.Use_USE_RE100, categoryRow(re), nil)
}
