package upgrade

import (
	"google.golang.org/protobuf/proto"

	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/module"
)

// RegisterQueries answers the rpcs of service jcredit.upgrade.v1.Query
// (proto/jcredit/upgrade/v1/query.proto) at /upgrade/<rpc> (see x/module):
// Plan, the scheduled upgrade (provable; not found if none), Applied, an
// applied upgrade's record (provable), AppliedUpgrades, their list by
// name, and Version, the state version.
func (k *Keeper) RegisterQueries(r *module.QueryRouter) {
	s := r.Service(ModuleName, upgradev1.File_jcredit_upgrade_v1_query_proto.Services().ByName("Query"))
	module.RegisterRecordQuery(s, func(q module.QueryContext, _ *upgradev1.QueryPlanRequest) (*upgradev1.QueryPlanResponse, []byte, error) {
		p := k.Plan(q.Store)
		if p == nil {
			return nil, nil, module.ErrNotFound.Wrapf("no upgrade is scheduled")
		}
		return &upgradev1.QueryPlanResponse{Plan: p}, PlanStoreKey(), nil
	})
	module.RegisterRecordQuery(s, func(q module.QueryContext, req *upgradev1.QueryAppliedRequest) (*upgradev1.QueryAppliedResponse, []byte, error) {
		if !nameRE.MatchString(req.Name) {
			return nil, nil, module.ErrBadQuery.Wrapf("%q is not an upgrade name like v2", req.Name)
		}
		a := k.AppliedUpgrade(q.Store, req.Name)
		if a == nil {
			return nil, nil, module.ErrNotFound.Wrapf("no upgrade %q was applied", req.Name)
		}
		return &upgradev1.QueryAppliedResponse{Applied: a}, AppliedStoreKey(req.Name), nil
	})
	module.RegisterQuery(s, func(q module.QueryContext, req *upgradev1.QueryAppliedUpgradesRequest) (*upgradev1.QueryAppliedUpgradesResponse, error) {
		pg, err := module.NewPage(q, req.Page)
		if err != nil {
			return nil, err
		}
		out := &upgradev1.QueryAppliedUpgradesResponse{}
		out.Page, err = pg.Walk(store(q.Store), appliedPrefix, func(_, value []byte) (bool, error) {
			a := &upgradev1.Applied{}
			if err := proto.Unmarshal(value, a); err != nil {
				return false, module.ErrInternal.Wrapf("applied upgrade: %v", err)
			}
			out.Applied = append(out.Applied, a)
			return true, nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	})
	module.RegisterQuery(s, func(q module.QueryContext, _ *upgradev1.QueryVersionRequest) (*upgradev1.QueryVersionResponse, error) {
		return &upgradev1.QueryVersionResponse{Version: k.Version(q.Store)}, nil
	})
}
