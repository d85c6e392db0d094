package credits

import (
	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

// AccountKeeper is what credits needs from x/accounts.
type AccountKeeper interface {
	// HasRole reports whether addr is an active account holding role.
	HasRole(s module.KVStore, addr common.Address, role accountsv1.Role) bool
	// IsActive reports whether addr is an open, active account.
	IsActive(s module.KVStore, addr common.Address) bool
}
