package credits

import (
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
)

// MaxSerialsPerMsg bounds the serial strings one message may name.
const MaxSerialsPerMsg = 100

// validateSelection checks the "quantity or serials" choice shared by
// transfer and retirement.
func validateSelection(qty uint64, f *creditsv1.Filter, serials []string) error {
	switch {
	case qty == 0 && len(serials) == 0:
		return ErrInvalidMsg.Wrapf("give a quantity or serial numbers")
	case qty > 0 && len(serials) > 0:
		return ErrInvalidMsg.Wrapf("give a quantity or serial numbers, not both")
	case len(serials) > MaxSerialsPerMsg:
		return ErrInvalidMsg.Wrapf("at most %d serial blocks per message", MaxSerialsPerMsg)
	case len(serials) > 0 && f != nil && (f.BatchId != "" || f.Category != 0 || f.VintageYear != 0):
		return ErrInvalidMsg.Wrapf("filters apply to a quantity, not to explicit serial numbers")
	case qty > MaxBatchQuantity:
		return ErrInvalidMsg.Wrapf("quantity %d exceeds any batch", qty)
	}
	for _, s := range serials {
		if _, err := types.ParseSerial(s); err != nil {
			return err
		}
	}
	if f.GetBatchId() != "" {
		if _, err := types.ParseBatchID(f.BatchId); err != nil {
			return err
		}
	}
	if c := f.GetCategory(); c != creditsv1.Category_CATEGORY_UNSPECIFIED && types.CategoryCode(c) == "" {
		return ErrInvalidMsg.Wrapf("unknown category filter %d", c)
	}
	return nil
}
