package credits

import (
	"github.com/ethereum/go-ethereum/common"

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
	st.Set(types.RetirementIndexKey(types.ByAccountPrefix, common.HexToAddress(r.Account).Bytes(), n), []byte{})
	if r.BeneficiaryAccount != "" {
		st.Set(types.RetirementIndexKey(types.ByBenefAcctPrefix, common.HexToAddress(r.BeneficiaryAccount).Bytes(), n), []byte{})
	}
	st.Set(types.RetirementIndexKey(types.ByBenefNamePrefix, types.NameHead(r.Beneficiary), n), []byte{})
	st.Set(types.RetirementIndexKey(types.ByFiscalYearPrefix, types.FiscalYearHead(r.FiscalYear), n), []byte{})
	st.Set(types.RetirementIndexKey(types.ByUsePrefix, []byte{byte(r.Use)}, n), []byte{})
}
