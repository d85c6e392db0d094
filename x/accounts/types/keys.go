package types

import (
	"encoding/binary"

	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// ModuleName is the codespace, store prefix, genesis key and query route.
const ModuleName = "accounts"

// StorePrefix is where the module's keys live in the app's tree.
const StorePrefix = ModuleName + "/"

// Key layout under StorePrefix (state version 2). Integers are 8-byte
// big-endian so that key order is numeric order, which is the order
// EndBlock and the queries walk them in. No value is empty: an index entry
// holds module.IndexValue, so that ICS23 can prove any key absent.
//
//	a/<8B account number>               -> Account
//	k/<20B address>                     -> KeyRef{account, nonce, kind} (signing keys)
//	r/<role 1B><8B account number>      -> 0x01 (accounts by role)
//	t/<20B address>                     -> RetiredAddress{…, account} (rotated-away keys)
//	s/account                           -> last account number (8B)
//	p/params                            -> Params
//	v/<32B ed25519 key>                 -> Validator (the current set)
//	u/<32B ed25519 key>                 -> power before this block (8B; EndBlock reports and clears)
//	g/<8B id>                           -> Proposal
//	x/<8B expires height><8B id>        -> 0x01 (pending proposals by expiry)
//	n/proposal                          -> next proposal id (8B)
//	cn/<13B corporate number><8B acct>  -> 0x01 (accounts of one corporation)
//	nh/<8B account><8B version>         -> AccountDetails (replaced names, addresses)
//	dg/<8B grantor><8B agent>           -> Delegation
//	tr/<8B account><8B recipient>       -> TrustedRecipient
//	mb/<8B account><20B address>        -> Member (member keys; their KeyRefs are kind MEMBER)
//	po/<8B account>                     -> ThresholdPolicy
//	pa/<8B id>                          -> PendingAction (pending or decided)
//	pe/<8B expires height><8B id>       -> 0x01 (pending actions by expiry)
//	pi/<8B account><8B id>              -> 0x01 (an account's pending actions)
//	pn/action                           -> next pending action id (8B)
//
// An account is its number: every other module keeps the number, never the
// address. An address reaches the account through its KeyRef, which also
// holds the key's nonce, so a key rotation deletes one KeyRef, writes
// another, records the old address under t/ and updates the Account
// record: four writes, however much the account holds.
var (
	AccountPrefix   = []byte("a/")
	KeyRefPrefix    = []byte("k/")
	RolePrefix      = []byte("r/")
	RetiredPrefix   = []byte("t/")
	LastAccountKey  = []byte("s/account")
	ParamsKey       = []byte("p/params")
	ValidatorPrefix = []byte("v/")
	UpdatedPrefix   = []byte("u/")
	ProposalPrefix  = []byte("g/")
	ExpiryPrefix    = []byte("x/")
	NextProposalKey = []byte("n/proposal")

	// Organisations (issue 15).
	CorporatePrefix      = []byte("cn/")
	DetailsHistoryPrefix = []byte("nh/")
	DelegationPrefix     = []byte("dg/")
	TrustedPrefix        = []byte("tr/")

	// Members and thresholds (issue 15).
	MemberPrefix        = []byte("mb/")
	PolicyPrefix        = []byte("po/")
	ActionPrefix        = []byte("pa/")
	ActionExpiryPrefix  = []byte("pe/")
	AccountActionPrefix = []byte("pi/")
	NextActionKey       = []byte("pn/action")
)

// MemberKey is the key of the member key addr of account.
func MemberKey(account uint64, addr common.Address) []byte {
	return module.Key(MemberPrefix, module.Uint64(account), addr.Bytes())
}

// MemberPrefixOf is the prefix of account's member keys.
func MemberPrefixOf(account uint64) []byte {
	return module.Key(MemberPrefix, module.Uint64(account))
}

// PolicyKey is the key of account's threshold policy.
func PolicyKey(account uint64) []byte { return module.Key(PolicyPrefix, module.Uint64(account)) }

// PolicyStoreKey is the full state key of account's threshold policy, for
// proofs.
func PolicyStoreKey(account uint64) []byte {
	return module.Key([]byte(StorePrefix), PolicyKey(account))
}

// ActionKey is the key of pending action id.
func ActionKey(id uint64) []byte { return module.Key(ActionPrefix, module.Uint64(id)) }

// ActionStoreKey is the full state key of pending action id, for proofs.
func ActionStoreKey(id uint64) []byte { return module.Key([]byte(StorePrefix), ActionKey(id)) }

// ActionExpiryKey is the expiry index entry of a pending action.
func ActionExpiryKey(expires int64, id uint64) []byte {
	return module.Key(ActionExpiryPrefix, module.Uint64(uint64(expires)), module.Uint64(id))
}

// AccountActionKey is the entry of action id in account's index.
func AccountActionKey(account, id uint64) []byte {
	return module.Key(AccountActionPrefix, module.Uint64(account), module.Uint64(id))
}

// AccountActionPrefixOf is the prefix of account's pending actions.
func AccountActionPrefixOf(account uint64) []byte {
	return module.Key(AccountActionPrefix, module.Uint64(account))
}

// TrustedKey is the key of recipient in account's trusted recipients.
func TrustedKey(account, recipient uint64) []byte {
	return module.Key(TrustedPrefix, module.Uint64(account), module.Uint64(recipient))
}

// TrustedPrefixOf is the prefix of account's trusted recipients.
func TrustedPrefixOf(account uint64) []byte {
	return module.Key(TrustedPrefix, module.Uint64(account))
}

// DelegationKey is the key of grantor's delegation to agent.
func DelegationKey(grantor, agent uint64) []byte {
	return module.Key(DelegationPrefix, module.Uint64(grantor), module.Uint64(agent))
}

// DelegationPrefixOf is the prefix of grantor's delegations.
func DelegationPrefixOf(grantor uint64) []byte {
	return module.Key(DelegationPrefix, module.Uint64(grantor))
}

// DelegationStoreKey is the full state key of a delegation, for proofs.
func DelegationStoreKey(grantor, agent uint64) []byte {
	return module.Key([]byte(StorePrefix), DelegationKey(grantor, agent))
}

// CorporateKey is the index entry linking account n to the corporation
// with corporate number cn (13 ASCII digits, so that every entry of one
// corporation shares the prefix CorporatePrefixOf(cn)).
func CorporateKey(cn string, n uint64) []byte {
	return module.Key(CorporatePrefix, []byte(cn), module.Uint64(n))
}

// CorporatePrefixOf is the prefix of the index entries of corporation cn.
func CorporatePrefixOf(cn string) []byte { return module.Key(CorporatePrefix, []byte(cn)) }

// DetailsHistoryKey is the key of version v of account n's details.
func DetailsHistoryKey(n, v uint64) []byte {
	return module.Key(DetailsHistoryPrefix, module.Uint64(n), module.Uint64(v))
}

// DetailsHistoryPrefixOf is the prefix of account n's replaced details.
func DetailsHistoryPrefixOf(n uint64) []byte {
	return module.Key(DetailsHistoryPrefix, module.Uint64(n))
}

// DetailsHistoryStoreKey is the full state key of version v of account n's
// details, for proofs of what an account was called.
func DetailsHistoryStoreKey(n, v uint64) []byte {
	return module.Key([]byte(StorePrefix), DetailsHistoryKey(n, v))
}

// AccountKey is the key of account number n.
func AccountKey(n uint64) []byte { return module.Key(AccountPrefix, module.Uint64(n)) }

// KeyRefKey is the key of the signing key with address addr.
func KeyRefKey(addr common.Address) []byte { return module.Key(KeyRefPrefix, addr.Bytes()) }

// RoleKey is the role index entry of role for account n.
func RoleKey(role accountsv1.Role, n uint64) []byte {
	return module.Key(RolePrefix, []byte{byte(role)}, module.Uint64(n))
}

// RolePrefixOf is the prefix of the role index entries of role.
func RolePrefixOf(role accountsv1.Role) []byte { return module.Key(RolePrefix, []byte{byte(role)}) }

// ParseRoleKey returns the account number of a role index key (under
// StorePrefix).
func ParseRoleKey(k []byte) (uint64, bool) {
	if len(k) != len(RolePrefix)+1+8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(k[len(k)-8:]), true
}

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

// Full store keys (with the "accounts/" prefix), for proofs.

// AccountStoreKey is the full state key of account number n. Its value is
// the Account record, which names the account's current address: a proof
// of it proves which key the account has at that height.
func AccountStoreKey(n uint64) []byte { return module.Key([]byte(StorePrefix), AccountKey(n)) }

// KeyRefStoreKey is the full state key of the signing key addr. Its
// absence proves that addr signs for no account at that height.
func KeyRefStoreKey(addr common.Address) []byte {
	return module.Key([]byte(StorePrefix), KeyRefKey(addr))
}

// ValidatorStoreKey is the full state key of a validator.
func ValidatorStoreKey(pubKey []byte) []byte {
	return module.Key([]byte(StorePrefix), ValidatorKey(pubKey))
}

// ProposalStoreKey is the full state key of a proposal.
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

// AccountNumberOfStoreKey returns the number in an AccountStoreKey, or
// false if key is not one.
func AccountNumberOfStoreKey(key []byte) (uint64, bool) {
	p := module.Key([]byte(StorePrefix), AccountPrefix)
	if len(key) != len(p)+8 || string(key[:len(p)]) != string(p) {
		return 0, false
	}
	return binary.BigEndian.Uint64(key[len(p):]), true
}

// V1AccountStoreKey is the key of the account at addr in state version 1
// (release v0.2.0), which keyed accounts by address. Proof bundles made
// then prove it, and verifiers still accept their proofs of presence. (Its
// absence proves nothing: from state version 2 on no account is stored
// there.)
func V1AccountStoreKey(addr common.Address) []byte {
	return module.Key([]byte(StorePrefix), AccountPrefix, addr.Bytes())
}
