package accounts

import (
	"github.com/jcredit/jcredit/x/accounts/types"
)

// ModuleName is the codespace, store prefix, genesis key and query route.
const ModuleName = types.ModuleName

// StorePrefix is where the module's keys live in the app's tree. The key
// layout under it is defined once, in x/accounts/types (keys.go), which the
// proof builder and verifier import too.
const StorePrefix = types.StorePrefix
