package upgrade

import (
	"encoding/json"
	"fmt"

	"google.golang.org/protobuf/proto"

	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/module"
)

// ExportGenesis implements module.Module: the scheduled plan, if any, and
// every applied upgrade (in name order). The state version is not listed:
// InitGenesis derives it from the applied upgrades, and the app refuses to
// export a state whose version is not its own (app.ExportGenesis).
func (k *Keeper) ExportGenesis(s module.KVStore) (json.RawMessage, error) {
	g := &upgradev1.GenesisState{Plan: k.Plan(s)}
	err := module.Records(store(s), appliedPrefix, func(key, v []byte) error {
		a := &upgradev1.Applied{}
		if err := proto.Unmarshal(v, a); err != nil {
			return fmt.Errorf("applied upgrade %q: %w", key, err)
		}
		g.Applied = append(g.Applied, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return module.MarshalGenesis(g)
}
