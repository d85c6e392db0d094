package upgrade

import "github.com/jcredit/jcredit/x/module"

// ModuleName is the codespace, store prefix, genesis key and query route.
const ModuleName = "upgrade"

// StorePrefix is where the module's keys live in the app's tree.
const StorePrefix = ModuleName + "/"

var (
	planKey       = []byte("plan")
	versionKey    = []byte("version")
	appliedPrefix = []byte("applied/")
)

func appliedKey(name string) []byte { return module.Key(appliedPrefix, []byte(name)) }

// PlanStoreKey is the full state key of the scheduled plan, for proofs.
func PlanStoreKey() []byte { return module.Key([]byte(StorePrefix), planKey) }

// AppliedStoreKey is the full state key of an applied upgrade's record.
func AppliedStoreKey(name string) []byte {
	return module.Key([]byte(StorePrefix), appliedKey(name))
}
