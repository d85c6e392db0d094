package credits

import (
	"github.com/jcredit/jcredit/x/module"
)

// Query implements module.Module.
func (k *Keeper) Query(q module.QueryContext, path string, data []byte) (module.QueryResult, error) {
	return module.QueryResult{}, module.ErrBadQuery.Wrapf("unknown credits query %q", path)
}
