package accounts

import (
	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

// ModuleName is the codespace, store prefix, genesis key and query route.
const ModuleName = "accounts"

// StorePrefix is where the module's keys live in the app's tree.
const StorePrefix = ModuleName + "/"

// Key layout under StorePrefix:
//
//	a/<20-byte address>            -> Account
//	r/<role byte><20-byte address> -> empty (accounts by role)
//	p/quorum                       -> ministry quorum (decimal)
var (
	accountPrefix = []byte("a/")
	rolePrefix    = []byte("r/")
	quorumKey     = []byte("p/quorum")
)

func accountKey(addr common.Address) []byte {
	return append(append([]byte{}, accountPrefix...), addr.Bytes()...)
}

func roleKey(role accountsv1.Role, addr common.Address) []byte {
	k := append(append([]byte{}, rolePrefix...), byte(role))
	return append(k, addr.Bytes()...)
}

// AccountStoreKey is the full state key of an account, for proofs.
func AccountStoreKey(addr common.Address) []byte {
	return append([]byte(StorePrefix), accountKey(addr)...)
}
