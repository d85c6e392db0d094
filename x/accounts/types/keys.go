package types

import (
	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

// ModuleName is the codespace, store prefix, genesis key and query route.
const ModuleName = "accounts"

// StorePrefix is where the module's keys live in the app's tree.
const StorePrefix = ModuleName + "/"

// Key layout under StorePrefix. Integers are big-endian so that key order is
// numeric order, which is the order EndBlock walks them in.
//
//	a/<20-byte address>                 -> Account
//	r/<role byte><20-byte address>      -> empty (accounts by role)
//	t/<20-byte address>                 -> RetiredAddress (rotated-away keys)
//	p/params                            -> Params
//	v/<32-byte ed25519 key>             -> Validator (the current set)
//	u/<32-byte ed25519 key>             -> empty (changed this block; EndBlock reports and clears)
//	g/<8-byte id>                       -> Proposal
//	x/<8-byte expires height><8-byte id> -> empty (pending proposals by expiry)
//	n/proposal                          -> next proposal id (8 bytes)
var (
	AccountPrefix   = []byte("a/")
	RolePrefix      = []byte("r/")
	RetiredPrefix   = []byte("t/")
	ParamsKey       = []byte("p/params")
	ValidatorPrefix = []byte("v/")
	UpdatedPrefix   = []byte("u/")
	ProposalPrefix  = []byte("g/")
	ExpiryPrefix    = []byte("x/")
	NextProposalKey = []byte("n/proposal")
)

// AccountKey is the key of the account at addr.
func AccountKey(addr common.Address) []byte { return module.Key(AccountPrefix, addr.Bytes()) }

// RoleKey is the role index entry of role for addr.
func RoleKey(role accountsv1.Role, addr common.Address) []byte {
	return module.Key(RolePrefix, []byte{byte(role)}, addr.Bytes())
}

// RolePrefixOf is the prefix of the role index entries of role.
func RolePrefixOf(role accountsv1.Role) []byte { return module.Key(RolePrefix, []byte{byte(role)}) }

// RetiredKey is the key of the rotation record of addr.
func RetiredKey(addr common.Address) []byte { return module.Key(RetiredPrefix, addr.Bytes()) }

// ValidatorKey is the key of the validator with consensus key pubKey.
func ValidatorKey(pubKey []byte) []byte { return module.Key(ValidatorPrefix, pubKey) }

// UpdatedKey marks a validator changed in the current block.
func UpdatedKey(pubKey []byte) []byte { return module.Key(UpdatedPrefix, pubKey) }

// ProposalKey is the key of proposal id.
func ProposalKey(id uint64) []byte { return module.Key(ProposalPrefix, module.Uint64(id)) }

// ExpiryKey is the pending-proposal index entry of proposal id.
func ExpiryKey(expires int64, id uint64) []byte {
	return module.Key(ExpiryPrefix, module.Uint64(uint64(expires)), module.Uint64(id))
}

// AccountStoreKey is the full state key of an account, for proofs.
func AccountStoreKey(addr common.Address) []byte {
	return module.Key([]byte(StorePrefix), AccountKey(addr))
}

// ValidatorStoreKey is the full state key of a validator, for proofs.
func ValidatorStoreKey(pubKey []byte) []byte {
	return module.Key([]byte(StorePrefix), ValidatorKey(pubKey))
}

// ProposalStoreKey is the full state key of a proposal, for proofs.
func ProposalStoreKey(id uint64) []byte {
	return module.Key([]byte(StorePrefix), ProposalKey(id))
}

// RetiredStoreKey is the full state key of a rotated-away address, for
// proofs that it can no longer sign.
func RetiredStoreKey(addr common.Address) []byte {
	return module.Key([]byte(StorePrefix), RetiredKey(addr))
}

// ParamsStoreKey is the full state key of the module's parameters.
func ParamsStoreKey() []byte { return module.Key([]byte(StorePrefix), ParamsKey) }
