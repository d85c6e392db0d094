package projects

import (
	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/module"
)

// AccountKeeper is what projects needs from x/accounts. Projects keep
// accounts by number (a key rotation changes nothing here); messages name
// them by address, which AccountNumber resolves.
type AccountKeeper interface {
	// AccountNumber returns the number of the account addr is a key of
	// (any status), or false.
	AccountNumber(s module.KVStore, addr common.Address) (uint64, bool)
	// Account returns account number n, or nil.
	Account(s module.KVStore, n uint64) (*accountsv1.Account, error)
	// HasRole reports whether account n is active and holds role.
	HasRole(s module.KVStore, n uint64, role accountsv1.Role) bool
	// IsActive reports whether account n is open and active.
	IsActive(s module.KVStore, n uint64) bool
	// Describe names account n for people (address, legal name, number).
	Describe(s module.KVStore, n uint64) string
	// ActFor runs a message naming on_behalf_of under the signer's
	// delegation from that account: it returns ctx acting as the grantor
	// and the agent's number (0 and ctx unchanged if onBehalfOf is empty).
	ActFor(ctx module.Context, onBehalfOf string, action accountsv1.DelegatedAction) (module.Context, uint64, error)
}

// CreditIssuer is what projects needs from x/credits: certifying a
// monitoring report issues its credits in the same transaction.
type CreditIssuer interface {
	// IssueBatch creates a batch and its serial ranges for req and returns
	// the batch id. An error aborts the certification.
	IssueBatch(ctx module.Context, req *creditsv1.IssuanceRequest) (batchID string, err error)
}
