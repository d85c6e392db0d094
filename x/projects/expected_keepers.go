package projects

import (
	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/module"
)

// AccountKeeper is what projects needs from x/accounts.
type AccountKeeper interface {
	// HasRole reports whether addr is an active account holding role.
	HasRole(s module.KVStore, addr common.Address, role accountsv1.Role) bool
	// IsActive reports whether addr is an open, active account.
	IsActive(s module.KVStore, addr common.Address) bool
}

// CreditIssuer is what projects needs from x/credits: certifying a
// monitoring report issues its credits in the same transaction.
type CreditIssuer interface {
	// IssueBatch creates a batch and its serial ranges for req and returns
	// the batch id. An error aborts the certification.
	IssueBatch(ctx module.Context, req *creditsv1.IssuanceRequest) (batchID string, err error)
}
