package credits

import (
	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// GX-ETS compliance (issue 14). A retirement for GX-ETS counts in the
// compliance of one operator — the beneficiary's account, or the signer's
// — for its fiscal year. x/accounts knows the operators, their verified
// emissions and the cap share; this module keeps each operator's total per
// fiscal year (gx/<operator#><fiscal year>, GxRetired, with the ids of the
// retirements that make it up) and refuses a retirement that would take
// the total over floor(verified emissions × share / 100).

func getGxRetired(st module.KVStore, n uint64, fy uint32) (*creditsv1.GxRetired, error) {
	bz := st.Get(types.GxRetiredKey(n, fy))
	if bz == nil {
		return &creditsv1.GxRetired{OperatorAccount: n, FiscalYear: fy}, nil
	}
	g := &creditsv1.GxRetired{}
	if err := proto.Unmarshal(bz, g); err != nil {
		return nil, module.ErrInternal.Wrapf("GX-ETS total %d/%d: %v", n, fy, err)
	}
	return g, nil
}

// isGxRetirement reports whether uses count in GX-ETS compliance.
func isGxRetirement(uses []creditsv1.Use) bool {
	for _, u := range uses {
		if u == creditsv1.Use_USE_GX_ETS {
			return true
		}
	}
	return false
}

// checkGxCap returns the operator a GX-ETS retirement of qty credits by
// (or for) account op counts for — op — and refuses it when no ministry
// marked op an operator (a retirement is permanent: one that counts for
// nobody would be a permanent wrong record) or beyond the operator's cap for
// fiscal year fy, saying the cap, what is used and what is asked. GX-ETS
// retirements release v0.2.0 recorded for non-operators stay as they are
// (the v2 migration leaves them): they count in no operator's compliance.
func (k *Keeper) checkGxCap(ctx module.Context, op uint64, fy uint32, qty uint64) (uint64, error) {
	operator, verified, recorded, percent, limit := k.accounts.GxCap(ctx.Store, op, fy)
	who := k.accounts.Describe(ctx.Store, op)
	if !operator {
		return 0, ErrGxNotOperator.Wrapf("%s is not a GX-ETS operator; a ministry marks it first with its corporate number (tx accounts gx-operator), since a GX-ETS retirement counts for the beneficiary account, or the signer when none is named", who)
	}
	g, err := getGxRetired(store(ctx.Store), op, fy)
	if err != nil {
		return 0, err
	}
	if !recorded {
		return 0, ErrGxCap.Wrapf("no verified emissions of %s are recorded for fiscal year %d, so its cap is 0 t-CO2 (used %d, requested %d); a ministry records them first", who, fy, g.Retired, qty)
	}
	if g.Retired+qty > limit {
		left := uint64(0)
		if limit > g.Retired {
			left = limit - g.Retired
		}
		return 0, ErrGxCap.Wrapf("cap %d t-CO2 (%d%% of verified emissions %d t-CO2, fiscal year %d), used %d, requested %d: at most %d more can count for %s",
			limit, percent, verified, fy, g.Retired, qty, left, who)
	}
	return op, nil
}

// addGxRetired counts retirement rec in its operator's total.
func addGxRetired(st module.KVStore, rec *creditsv1.Retirement) error {
	g, err := getGxRetired(st, rec.GxOperatorAccount, rec.FiscalYear)
	if err != nil {
		return err
	}
	g.Retired += rec.Quantity
	g.RetirementIds = append(g.RetirementIds, rec.Id)
	st.Set(types.GxRetiredKey(g.OperatorAccount, g.FiscalYear), marshal(g))
	return nil
}

// queryGxRetired answers GxRetired, provable (gx/<operator#><fy>); an
// operator that retired nothing for the year is answered with a zero
// total, and the key proven absent.
func (k *Keeper) queryGxRetired(q module.QueryContext, req *creditsv1.QueryGxRetiredRequest) (*creditsv1.QueryGxRetiredResponse, []byte, error) {
	addr, n, err := accountstypes.ParseAccountArg(req.Operator)
	if err != nil {
		return nil, nil, module.ErrBadQuery.Wrapf("operator: %v", err)
	}
	if n == 0 {
		if n, _ = k.accounts.AccountNumber(q.Store, addr); n == 0 {
			return nil, nil, module.ErrNotFound.Wrapf("no account %s", addr.Hex())
		}
	}
	if req.FiscalYear < MinFiscalYear || req.FiscalYear > MaxFiscalYear {
		return nil, nil, module.ErrBadQuery.Wrapf("fiscal_year %d must be between %d and %d", req.FiscalYear, MinFiscalYear, MaxFiscalYear)
	}
	g, err := getGxRetired(store(q.Store), n, req.FiscalYear)
	if err != nil {
		return nil, nil, err
	}
	return &creditsv1.QueryGxRetiredResponse{Retired: g}, types.GxRetiredStoreKey(n, req.FiscalYear), nil
}
