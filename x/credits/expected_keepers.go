package credits

import (
	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// AccountKeeper is what credits needs from x/accounts. Credits keeps
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
	// ResolveAddress returns the account addr is, or was before a key
	// rotation, a key of (so that a rotated-away address can be told
	// where its account went).
	ResolveAddress(s module.KVStore, addr common.Address) (uint64, bool)
	// GxCap says whether account n is a GX-ETS operator and, for fiscal
	// year fy, its verified emissions (recorded false: none), the cap share
	// in percent and the cap, floor(verified × percent / 100).
	GxCap(s module.KVStore, n uint64, fy uint32) (operator bool, verified uint64, recorded bool, percent uint32, limit uint64)
	// ActFor runs a message naming on_behalf_of under the signer's
	// delegation from that account: it returns ctx acting as the grantor
	// and the agent's number (0 and ctx unchanged if onBehalfOf is empty).
	ActFor(ctx module.Context, onBehalfOf string, action accountsv1.DelegatedAction) (module.Context, uint64, error)
	// ChargeDelegation counts quantity credits moved under grantor's
	// delegation to agent, refusing what would exceed it.
	ChargeDelegation(ctx module.Context, grantor, agent, quantity uint64) error
	// MayTransferTo refuses a transfer from an account that restricts its
	// transfers to trusted recipients to one not trusted at height h
	// (transfers, two-step offers and their acceptance, settlements).
	MayTransferTo(s module.KVStore, from, to uint64, h int64) error
}

// IssuanceOrigins is what the v2 migration needs from x/projects (migrated
// before it) about the monitoring report a state-version-1 batch was issued
// for; issuance itself gets the same facts in its IssuanceRequest.
type IssuanceOrigins interface {
	IssuedFrom(s module.KVStore, reportID string) (types.IssuanceOrigin, error)
}
