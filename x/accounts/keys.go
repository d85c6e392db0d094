package accounts

import (
	"github.com/jcredit/jcredit/x/module"

	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
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
	accountPrefix    = []byte("a/")
	rolePrefix       = []byte("r/")
	retiredPrefix    = []byte("t/")
	paramsKey        = []byte("p/params")
	validatorPrefix  = []byte("v/")
	updatedPrefix    = []byte("u/")
	proposalPrefix   = []byte("g/")
	expiryPrefix     = []byte("x/")
	nextProposalKey  = []byte("n/proposal")
	validatorKeySize = 32
)

func accountKey(addr common.Address) []byte { return module.Key(accountPrefix, addr.Bytes()) }

func roleKey(role accountsv1.Role, addr common.Address) []byte {
	return module.Key(rolePrefix, []byte{byte(role)}, addr.Bytes())
}

func rolePrefixOf(role accountsv1.Role) []byte { return module.Key(rolePrefix, []byte{byte(role)}) }

func retiredKey(addr common.Address) []byte { return module.Key(retiredPrefix, addr.Bytes()) }

func validatorKey(pubKey []byte) []byte { return module.Key(validatorPrefix, pubKey) }

func updatedKey(pubKey []byte) []byte { return module.Key(updatedPrefix, pubKey) }

func proposalKey(id uint64) []byte { return module.Key(proposalPrefix, module.Uint64(id)) }

func expiryKey(expires int64, id uint64) []byte {
	return module.Key(expiryPrefix, module.Uint64(uint64(expires)), module.Uint64(id))
}

// AccountStoreKey is the full state key of an account, for proofs.
func AccountStoreKey(addr common.Address) []byte {
	return append([]byte(StorePrefix), accountKey(addr)...)
}

// ValidatorStoreKey is the full state key of a validator, for proofs.
func ValidatorStoreKey(pubKey []byte) []byte {
	return append([]byte(StorePrefix), validatorKey(pubKey)...)
}

// ProposalStoreKey is the full state key of a proposal, for proofs.
func ProposalStoreKey(id uint64) []byte {
	return append([]byte(StorePrefix), proposalKey(id)...)
}

// RetiredStoreKey is the full state key of a rotated-away address, for
// proofs that it can no longer sign.
func RetiredStoreKey(addr common.Address) []byte {
	return append([]byte(StorePrefix), retiredKey(addr)...)
}
