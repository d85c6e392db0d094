package credits

import (
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// The scheme's category-vs-use rules, in one place. A retirement has
// exactly one use, and every batch it draws on must satisfy that use's
// rule. Uses not listed accept every category.
//
//   - RE100 counts renewable electricity only.
//   - The Energy Conservation Act (省エネ法) report counts energy-saving
//     credits only.
//   - CORSIA accepts only batches marked CORSIA-eligible at issuance.

// CheckUse returns ErrUseNotAllowed, saying why, unless use accepts the
// credits of batch b.
func CheckUse(use creditsv1.Use, b *creditsv1.Batch) error {
	switch use {
	case creditsv1.Use_USE_UNSPECIFIED:
		return ErrInvalidMsg.Wrapf("a retirement needs a use")
	case creditsv1.Use_USE_RE100:
		if b.Category != creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY {
			return ErrUseNotAllowed.Wrapf("RE100 accepts renewable-electricity credits only; batch %s is %s", b.Id, b.Category)
		}
	case creditsv1.Use_USE_ENERGY_CONSERVATION_ACT:
		if b.Category != creditsv1.Category_CATEGORY_ENERGY_SAVING {
			return ErrUseNotAllowed.Wrapf("Energy Conservation Act reports accept energy-saving credits only; batch %s is %s", b.Id, b.Category)
		}
	case creditsv1.Use_USE_CORSIA:
		if !b.CorsiaEligible {
			return ErrUseNotAllowed.Wrapf("CORSIA accepts only CORSIA-eligible batches; batch %s is not marked eligible", b.Id)
		}
	}
	if _, known := creditsv1.Use_name[int32(use)]; !known {
		return ErrInvalidMsg.Wrapf("unknown use %d", use)
	}
	return nil
}
