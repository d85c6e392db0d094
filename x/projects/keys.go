package projects

import (
	"github.com/jcredit/jcredit/x/projects/types"
)

// ModuleName is the codespace, store prefix, genesis key and query route.
const ModuleName = types.ModuleName

// StorePrefix is where the module's keys live in the app's tree. The key
// layout and the project and report ids are defined once, in
// x/projects/types.
const StorePrefix = types.StorePrefix
