package credits

import (
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// MaxNameLen bounds beneficiary names; MaxDetailsLen purpose details and
// cancellation reasons.
const (
	MaxNameLen    = 256
	MaxDetailsLen = 1024
)

// saveRetirement writes a retirement record (number n) and its indexes.
func saveRetirement(st module.KVStore, r *creditsv1.Retirement, n uint64) {
	st.Set(types.RetirementKey(r.Id), marshal(r))
	for _, key := range types.RetirementIndexKeys(r, n) {
		st.Set(key, module.IndexValue)
	}
}
