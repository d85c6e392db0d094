package upgrade

import (
	"encoding/json"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/x/module"
)

// Query paths under /upgrade/:
//
//	plan             the scheduled upgrade (provable); not found if none
//	applied/<name>   an applied upgrade's record (provable)
//	version          the state version
func (k *Keeper) Query(q module.QueryContext, path string, _ []byte) (module.QueryResult, error) {
	switch {
	case path == "plan":
		p := k.Plan(q.Store)
		if p == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no upgrade is scheduled")
		}
		return jsonOf(p, PlanStoreKey())
	case strings.HasPrefix(path, "applied/"):
		name := strings.TrimPrefix(path, "applied/")
		a := k.AppliedUpgrade(q.Store, name)
		if a == nil {
			return module.QueryResult{}, module.ErrNotFound.Wrapf("no upgrade %q was applied", name)
		}
		return jsonOf(a, AppliedStoreKey(name))
	case path == "version":
		bz, _ := json.Marshal(map[string]uint64{"version": k.Version(q.Store)})
		return module.QueryResult{Value: bz}, nil
	}
	return module.QueryResult{}, module.ErrBadQuery.Wrapf("unknown upgrade query %q (plan, applied/<name>, version)", path)
}

func jsonOf(m proto.Message, key []byte) (module.QueryResult, error) {
	bz, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(m)
	if err != nil {
		return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
	}
	return module.QueryResult{Value: bz, Key: key}, nil
}
