package accounts

import (
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// GX-ETS operators (issue 14). From fiscal year 2026 Japan's GX-ETS is
// mandatory for operators emitting 100 kt CO2 a year or more; J-Credits
// (and JCM credits) may cover at most a share of an operator's verified
// emissions. A ministry marks an account as an operator, with its
// corporate number (gx/o/), and records its verified emissions per fiscal
// year (gx/e/); the share (Params.gx_ets_cap_percent, default 10) changes
// only by a ministry quorum (proposal kind 13). x/credits checks GX-ETS
// retirements against the cap through GxCap and keeps the totals.

// GxOperator returns account n's operator record, or nil.
func (k *Keeper) GxOperator(s module.KVStore, n uint64) *accountsv1.GxOperator {
	bz := k.store(s).Get(types.GxOperatorKey(n))
	if bz == nil {
		return nil
	}
	o := &accountsv1.GxOperator{}
	if err := proto.Unmarshal(bz, o); err != nil {
		panic(module.StoreError{Err: err}) // corrupt state: stop rather than diverge
	}
	return o
}

// GxEmissions returns account n's verified emissions of fiscal year fy,
// or nil.
func (k *Keeper) GxEmissions(s module.KVStore, n uint64, fy uint32) *accountsv1.GxEmissions {
	bz := k.store(s).Get(types.GxEmissionsKey(n, fy))
	if bz == nil {
		return nil
	}
	e := &accountsv1.GxEmissions{}
	if err := proto.Unmarshal(bz, e); err != nil {
		panic(module.StoreError{Err: err})
	}
	return e
}

// GxCapPercent is the share of verified emissions in force.
func (k *Keeper) GxCapPercent(s module.KVStore) uint32 {
	if p := k.Params(s).GxEtsCapPercent; p != 0 {
		return p
	}
	return types.DefaultGxEtsCapPercent
}

// GxCap tells x/credits whether account n is a GX-ETS operator and, for
// fiscal year fy, its verified emissions (0, false when none were
// recorded), the share in force and the cap.
func (k *Keeper) GxCap(s module.KVStore, n uint64, fy uint32) (operator bool, verified uint64, recorded bool, percent uint32, limit uint64) {
	percent = k.GxCapPercent(s)
	if k.GxOperator(s, n) == nil {
		return false, 0, false, percent, 0
	}
	e := k.GxEmissions(s, n, fy)
	if e == nil {
		return true, 0, false, percent, 0
	}
	return true, e.VerifiedTCo2, true, percent, types.GxCap(e.VerifiedTCo2, percent)
}

func (k *Keeper) queryGxOperator(q module.QueryContext, req *accountsv1.QueryGxOperatorRequest) (*accountsv1.QueryGxOperatorResponse, []byte, error) {
	addr, n, err := types.ParseAccountArg(req.Account)
	if err != nil {
		return nil, nil, module.ErrBadQuery.Wrapf("%v", err)
	}
	if n == 0 {
		if n, _ = k.AccountNumber(q.Store, addr); n == 0 {
			return nil, nil, module.ErrNotFound.Wrapf("no account %s", addr.Hex())
		}
	}
	o := k.GxOperator(q.Store, n)
	if o == nil {
		return nil, nil, module.ErrNotFound.Wrapf("account %d is not a GX-ETS operator", n)
	}
	out := &accountsv1.QueryGxOperatorResponse{Operator: o, CapPercent: k.GxCapPercent(q.Store)}
	if req.FiscalYear != 0 {
		if out.Emissions = k.GxEmissions(q.Store, n, req.FiscalYear); out.Emissions != nil {
			out.CapTCo2 = types.GxCap(out.Emissions.VerifiedTCo2, out.CapPercent)
		}
	}
	return out, types.GxOperatorStoreKey(n), nil
}

// applyGxEtsCapChange sets the share once the quorum is reached.
func (k *Keeper) applyGxEtsCapChange(ctx module.Context, ch *accountsv1.GxEtsCapChange) error {
	p := k.Params(ctx.Store)
	p.GxEtsCapPercent = ch.CapPercent
	k.setParams(ctx.Store, p)
	return nil
}

// initGxGenesis loads the operators and their emissions; numbers maps the
// genesis accounts' addresses to their numbers (records name accounts by
// number).
func (k *Keeper) initGxGenesis(ctx module.Context, g *accountsv1.GenesisState, _ map[string]uint64) error {
	if g.GxEtsCapPercent > 100 {
		return ErrInvalidGenesis.Wrapf("gx_ets_cap_percent %d is more than 100", g.GxEtsCapPercent)
	}
	st := k.store(ctx.Store)
	for _, o := range g.GxOperators {
		if acc, _ := k.Account(ctx.Store, o.Account); acc == nil {
			return ErrInvalidGenesis.Wrapf("GX-ETS operator: no account number %d", o.Account)
		}
		if err := types.CheckCorporateNumber(o.CorporateNumber); err != nil {
			return ErrInvalidGenesis.Wrapf("GX-ETS operator %d: %v", o.Account, err)
		}
		st.Set(types.GxOperatorKey(o.Account), marshal(o))
	}
	for _, e := range g.GxEmissions {
		if !st.Has(types.GxOperatorKey(e.Account)) || e.FiscalYear < 2000 || e.FiscalYear > 2100 {
			return ErrInvalidGenesis.Wrapf("verified emissions of account %d, fiscal year %d: no such operator, or a year outside 2000-2100", e.Account, e.FiscalYear)
		}
		st.Set(types.GxEmissionsKey(e.Account, e.FiscalYear), marshal(e))
	}
	return nil
}
