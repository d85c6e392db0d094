package credits_test

import (
	"errors"
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
)

// TestUseRules is the category-vs-use table: every use against every
// category, eligible for CORSIA or not.
func TestUseRules(t *testing.T) {
	allowed := func(use creditsv1.Use, cat creditsv1.Category, corsia bool) bool {
		switch use {
		case creditsv1.Use_USE_RE100:
			return cat == creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY
		case creditsv1.Use_USE_ENERGY_CONSERVATION_ACT:
			return cat == creditsv1.Category_CATEGORY_ENERGY_SAVING
		case creditsv1.Use_USE_CORSIA:
			return corsia
		}
		return true
	}
	for u := int32(1); u < int32(len(creditsv1.Use_name)); u++ {
		use := creditsv1.Use(u)
		for c := int32(1); c < int32(len(creditsv1.Category_name)); c++ {
			for _, corsia := range []bool{false, true} {
				b := &creditsv1.Batch{Id: "JC-00000001", Category: creditsv1.Category(c), CorsiaEligible: corsia}
				err := credits.CheckUse(use, b)
				if want := allowed(use, b.Category, corsia); want != (err == nil) {
					t.Errorf("%s with %s (corsia %v): got %v, want allowed=%v", use, b.Category, corsia, err, want)
				}
				if err != nil && !errors.Is(err, credits.ErrUseNotAllowed) {
					t.Errorf("%s with %s: wrong error %v", use, b.Category, err)
				}
			}
		}
	}
	if err := credits.CheckUse(creditsv1.Use_USE_UNSPECIFIED, &creditsv1.Batch{}); !errors.Is(err, credits.ErrInvalidMsg) {
		t.Errorf("no use: %v", err)
	}
}
