package accounts

import (
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// Keeper reads and writes accounts, their signing keys, the validator set
// and proposals. It holds no state of its own beyond its wiring: every
// method works on the store in the context it is given.
type Keeper struct {
	hooks    []AccountHook
	upgrades UpgradeScheduler
	useRules UseRules
	// classifiers and runner serve threshold policies (members.go,
	// pending.go): which class another module's message falls in, and the
	// app's router to execute approved actions.
	classifiers []ActionClassifier
	runner      MsgRunner
	// genesisValidators are CometBFT's genesis validators, handed over by
	// the app just before InitGenesis (see SetGenesisValidators).
	genesisValidators []genesisValidator
}

// NewKeeper returns the accounts keeper.
func NewKeeper() *Keeper { return &Keeper{} }

func (k *Keeper) store(s module.KVStore) module.KVStore { return module.Prefix(s, StorePrefix) }

// marshal encodes state deterministically.
func marshal(m proto.Message) []byte {
	bz, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		panic(err) // only on a malformed message built by our own code
	}
	return bz
}

// Account returns account number n, or nil.
func (k *Keeper) Account(s module.KVStore, n uint64) (*accountsv1.Account, error) {
	if n == 0 {
		return nil, nil
	}
	bz := k.store(s).Get(types.AccountKey(n))
	if bz == nil {
		return nil, nil
	}
	var acc accountsv1.Account
	if err := proto.Unmarshal(bz, &acc); err != nil {
		return nil, module.ErrInternal.Wrapf("account %d: %v", n, err)
	}
	return &acc, nil
}

// KeyRef returns the signing key record of addr (its account and nonce), or
// nil if addr signs for no account.
func (k *Keeper) KeyRef(s module.KVStore, addr common.Address) *accountsv1.KeyRef {
	bz := k.store(s).Get(types.KeyRefKey(addr))
	if bz == nil {
		return nil
	}
	var r accountsv1.KeyRef
	if err := proto.Unmarshal(bz, &r); err != nil {
		panic(module.StoreError{Err: err}) // corrupt state: stop rather than diverge
	}
	return &r
}

func (k *Keeper) setKeyRef(s module.KVStore, addr common.Address, r *accountsv1.KeyRef) {
	k.store(s).Set(types.KeyRefKey(addr), marshal(r))
}

// AccountNumber returns the number of the account addr signs for (any
// status), or false if addr is no account's key. Other modules resolve the
// addresses that messages name with it.
func (k *Keeper) AccountNumber(s module.KVStore, addr common.Address) (uint64, bool) {
	r := k.KeyRef(s, addr)
	if r == nil {
		return 0, false
	}
	return r.Account, true
}

// Get returns the account whose key is addr, or nil.
func (k *Keeper) Get(s module.KVStore, addr common.Address) (*accountsv1.Account, error) {
	n, ok := k.AccountNumber(s, addr)
	if !ok {
		return nil, nil
	}
	acc, err := k.Account(s, n)
	if err == nil && acc == nil {
		err = module.ErrInternal.Wrapf("key %s names account %d, which does not exist", addr.Hex(), n)
	}
	return acc, err
}

// resolve returns the number of the account addr is or was a key of: its
// live key, or a key rotated away (the account it belonged to). Proposals
// name accounts by the address given when they were submitted; they are
// applied to that account even if its key rotated meanwhile.
func (k *Keeper) resolve(s module.KVStore, addr common.Address) (uint64, bool) {
	if n, ok := k.AccountNumber(s, addr); ok {
		return n, true
	}
	if r := k.Retired(s, addr); r != nil && r.Account != 0 {
		return r.Account, true
	}
	return 0, false
}

// Set writes an account record (which must have its number) and keeps its
// role and corporate-number index entries in step: roles of the stored record that acc no longer
// has are removed.
func (k *Keeper) Set(s module.KVStore, acc *accountsv1.Account) {
	if acc.Number == 0 {
		panic("accounts: Set of an account without a number")
	}
	st := k.store(s)
	if old, _ := k.Account(s, acc.Number); old != nil {
		for _, r := range old.Roles {
			if !hasRole(acc, r) {
				st.Delete(types.RoleKey(r, acc.Number))
			}
		}
		if old.CorporateNumber != "" && old.CorporateNumber != acc.CorporateNumber {
			st.Delete(types.CorporateKey(old.CorporateNumber, acc.Number))
		}
	}
	for _, r := range acc.Roles {
		st.Set(types.RoleKey(r, acc.Number), module.IndexValue)
	}
	if acc.CorporateNumber != "" {
		st.Set(types.CorporateKey(acc.CorporateNumber, acc.Number), module.IndexValue)
	}
	st.Set(types.AccountKey(acc.Number), marshal(acc))
}

// create gives acc the next account number and writes it with its address
// as its primary signing key (nonce: the given one).
func (k *Keeper) create(s module.KVStore, acc *accountsv1.Account, nonce uint64) {
	st := k.store(s)
	n := uint64(1)
	if bz := st.Get(types.LastAccountKey); len(bz) == 8 {
		n = binary.BigEndian.Uint64(bz) + 1
	}
	st.Set(types.LastAccountKey, module.Uint64(n))
	acc.Number = n
	k.Set(s, acc)
	k.setKeyRef(s, common.HexToAddress(acc.Address), &accountsv1.KeyRef{
		Account: n, Nonce: nonce, Kind: accountsv1.KeyKind_KEY_KIND_PRIMARY,
	})
}

// CreateAccount writes acc as a new account: it gets the next number and
// its address becomes its primary key, at nonce 0. It checks nothing
// (MsgOpenAccount and genesis do); keeper-level tests and tools use it.
func (k *Keeper) CreateAccount(s module.KVStore, acc *accountsv1.Account) { k.create(s, acc, 0) }

// LastAccountNumber is the number of the newest account (0: none).
func (k *Keeper) LastAccountNumber(s module.KVStore) uint64 {
	if bz := k.store(s).Get(types.LastAccountKey); len(bz) == 8 {
		return binary.BigEndian.Uint64(bz)
	}
	return 0
}

// mustGet returns the account whose key is addr or ErrUnknownAccount
// (naming the new address if addr was rotated away).
func (k *Keeper) mustGet(s module.KVStore, addr common.Address) (*accountsv1.Account, error) {
	acc, err := k.Get(s, addr)
	if err != nil {
		return nil, err
	}
	if acc != nil {
		return acc, nil
	}
	if r := k.Retired(s, addr); r != nil {
		return nil, ErrUnknownAccount.Wrapf("%s was rotated to %s at height %d; use the new address", addr.Hex(), r.RotatedTo, r.Height)
	}
	return nil, ErrUnknownAccount.Wrapf("no account at %s", addr.Hex())
}

// Retired returns the rotation record of addr if its key was rotated away,
// or nil.
func (k *Keeper) Retired(s module.KVStore, addr common.Address) *accountsv1.RetiredAddress {
	bz := k.store(s).Get(types.RetiredKey(addr))
	if bz == nil {
		return nil
	}
	var r accountsv1.RetiredAddress
	if err := proto.Unmarshal(bz, &r); err != nil {
		panic(module.StoreError{Err: err}) // corrupt state: stop rather than diverge
	}
	return &r
}

// HasRole reports whether account n is active and holds role. It is the
// one authorization check every module uses.
func (k *Keeper) HasRole(s module.KVStore, n uint64, role accountsv1.Role) bool {
	acc, err := k.Account(s, n)
	if err != nil || acc == nil || acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE {
		return false
	}
	return hasRole(acc, role)
}

func hasRole(acc *accountsv1.Account, role accountsv1.Role) bool {
	for _, r := range acc.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// IsActive reports whether account n is open and active. Modules call it
// on every recipient: suspended and closed accounts receive nothing.
func (k *Keeper) IsActive(s module.KVStore, n uint64) bool {
	acc, err := k.Account(s, n)
	return err == nil && acc != nil && acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE
}

// Describe names account n for people: "0xAB… (legal name, account 7)".
// Error messages of every module use it.
func (k *Keeper) Describe(s module.KVStore, n uint64) string {
	acc, err := k.Account(s, n)
	if err != nil || acc == nil {
		return "account " + utoa(n)
	}
	return acc.Address + " (" + acc.LegalName + ", account " + utoa(n) + ")"
}

// Admit implements app.Auth. The signer must be a key of an active account:
// an unknown key, a rotated-away key, a suspended or a closed account signs
// nothing at all (see the package doc for why suspended accounts get no
// exceptions). It returns the account's number and the key's nonce.
//
// A transaction may rotate its signer's key only as its last message:
// later messages would be signed by a key that no longer exists.
func (k *Keeper) Admit(ctx module.Context, signer common.Address, msgs []proto.Message) (account, nonce uint64, err error) {
	if err := rotateLast(msgs); err != nil {
		return 0, 0, err
	}
	ref, err := k.liveKey(ctx.Store, signer)
	if err != nil {
		return 0, 0, err
	}
	if err := k.admitKey(ctx.Store, ref, signer, msgs); err != nil {
		return 0, 0, err
	}
	return ref.Account, ref.Nonce, nil
}

// CheckSigner implements app.Auth: NextNonce and Admit for CheckTx with one
// read of the signer's key. err is NextNonce's; admitErr is what Admit
// would refuse msgs for.
func (k *Keeper) CheckSigner(ctx module.Context, signer common.Address, msgs []proto.Message) (account, nonce uint64, admitErr, err error) {
	ref, err := k.liveKey(ctx.Store, signer)
	if err != nil {
		return 0, 0, nil, err
	}
	if admitErr = rotateLast(msgs); admitErr == nil {
		admitErr = k.admitKey(ctx.Store, ref, signer, msgs)
	}
	return ref.Account, ref.Nonce, admitErr, nil
}

// rotateLast refuses a MsgRotateKey before a transaction's last message.
func rotateLast(msgs []proto.Message) error {
	for i, m := range msgs {
		if _, ok := m.(*accountsv1.MsgRotateKey); ok && i != len(msgs)-1 {
			return ErrRotateNotLast.Wrapf("message %d of %d rotates the key; put MsgRotateKey last in its transaction", i, len(msgs))
		}
	}
	return nil
}

// admitKey is Admit once signer's live key ref is read: its account must
// exist and be active, and a member key's role must allow msgs.
func (k *Keeper) admitKey(s module.KVStore, ref *accountsv1.KeyRef, signer common.Address, msgs []proto.Message) error {
	acc, err := k.Account(s, ref.Account)
	if err != nil {
		return err
	}
	if acc == nil {
		return module.ErrInternal.Wrapf("key %s names account %d, which does not exist", signer.Hex(), ref.Account)
	}
	switch acc.Status {
	case accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE:
		if ref.Kind == accountsv1.KeyKind_KEY_KIND_MEMBER {
			return k.admitMember(s, acc, signer, msgs)
		}
		return nil
	case accountsv1.AccountStatus_ACCOUNT_STATUS_SUSPENDED:
		return ErrAccountInactive.Wrapf("account %s is suspended (%s); only the secretariat can reactivate it", signer.Hex(), acc.StatusReason)
	default:
		return ErrAccountInactive.Wrapf("account %s is %s", signer.Hex(), acc.Status)
	}
}

// NextNonce implements app.Auth: the number of the account signer signs
// for and the nonce the key's next transaction must carry, whatever the
// account's status. A transaction with that nonce in a block spends it even
// if the account may not sign (suspended, closed), so that it cannot be
// replayed once the account is reactivated. An unknown or rotated-away key
// has no nonce.
func (k *Keeper) NextNonce(ctx module.Context, signer common.Address) (account, nonce uint64, err error) {
	ref, err := k.liveKey(ctx.Store, signer)
	if err != nil {
		return 0, 0, err
	}
	return ref.Account, ref.Nonce, nil
}

// liveKey returns signer's KeyRef, or why it has none: never a key
// (ErrUnknownSigner), rotated away (ErrKeyRotated) or a member key removed
// from its account (ErrMemberRemoved).
func (k *Keeper) liveKey(s module.KVStore, signer common.Address) (*accountsv1.KeyRef, error) {
	if ref := k.KeyRef(s, signer); ref != nil {
		return ref, nil
	}
	r := k.Retired(s, signer)
	switch {
	case r == nil:
		return nil, ErrUnknownSigner.Wrapf("address %s", signer.Hex())
	case r.RemovedMember:
		return nil, ErrMemberRemoved.Wrapf("%s was removed from %s at height %d; ask a representative to add your new key", signer.Hex(), k.Describe(s, r.Account), r.Height)
	}
	return nil, ErrKeyRotated.Wrapf("%s", k.movedTo(s, signer, r))
}

// admitMember applies a member key's role: a viewer signs nothing, an
// approver only MsgApproveAction; a representative signs what the account
// may (thresholds then decide whether it runs at once: Hold).
func (k *Keeper) admitMember(s module.KVStore, acc *accountsv1.Account, signer common.Address, msgs []proto.Message) error {
	m := k.Member(s, acc.Number, signer)
	if m == nil {
		return module.ErrInternal.Wrapf("member key %s of account %d has no member record", signer.Hex(), acc.Number)
	}
	switch m.Role {
	case accountsv1.MemberRole_MEMBER_ROLE_REPRESENTATIVE:
		return nil
	case accountsv1.MemberRole_MEMBER_ROLE_APPROVER:
		for i, msg := range msgs {
			if _, ok := msg.(*accountsv1.MsgApproveAction); !ok {
				return ErrApproverOnlyApproves.Wrapf("%s is an approver of %s; message %d is %s. A representative initiates it; you approve it with MsgApproveAction",
					signer.Hex(), k.Describe(s, acc.Number), i, msg.ProtoReflect().Descriptor().Name())
			}
		}
		return nil
	}
	return ErrViewerCannotSign.Wrapf("%s is a %s of %s", signer.Hex(), memberRoleName(m.Role), k.Describe(s, acc.Number))
}

// movedTo tells the holder of a rotated-away key where its account went:
// the address its account signs with now (after any later rotations), not
// only the next one, and that the account and its holdings are intact.
func (k *Keeper) movedTo(s module.KVStore, addr common.Address, r *accountsv1.RetiredAddress) string {
	now, name := r.RotatedTo, ""
	if acc, err := k.Account(s, r.Account); err == nil && acc != nil {
		now, name = acc.Address, " ("+acc.LegalName+")"
	}
	// A member key's rotations lead to the member's key now, not the
	// account's primary key (a bounded walk: a longer chain names the
	// primary key).
	for hop, next := 0, r; hop < MaxMembers && next != nil; hop++ {
		to := common.HexToAddress(next.RotatedTo)
		if ref := k.KeyRef(s, to); ref != nil {
			if ref.Kind == accountsv1.KeyKind_KEY_KIND_MEMBER {
				now = to.Hex()
			}
			break
		}
		next = k.Retired(s, to)
	}
	return fmt.Sprintf("%s was rotated away at height %d (to %s); account %d%s keeps its holdings and now signs with %s: sign with that key (jcreditd keys import), do not open a new account",
		addr.Hex(), r.Height, r.RotatedTo, r.Account, name, now)
}

// IncrementNonce implements app.Auth: the signing key's nonce moves on. The
// app spends the nonce before the transaction's messages run (a signed
// transaction is spent once, whatever its messages do), so a rotation in
// the same transaction then carries the spent nonce to the new key. If the
// key was already rotated away in this block by the same transaction (a
// caller that spends after the messages), the nonce moved with the key to
// the new address, and that is the one incremented.
func (k *Keeper) IncrementNonce(ctx module.Context, signer common.Address) error {
	addr := signer
	ref := k.KeyRef(ctx.Store, addr)
	if ref == nil {
		if r := k.Retired(ctx.Store, signer); r != nil && r.Height == ctx.Height {
			addr = common.HexToAddress(r.RotatedTo)
			ref = k.KeyRef(ctx.Store, addr)
		}
	}
	if ref == nil {
		return ErrUnknownSigner.Wrapf("address %s", signer.Hex())
	}
	ref.Nonce++
	k.setKeyRef(ctx.Store, addr, ref)
	return nil
}

// Nonce returns the nonce addr's next transaction must carry (0 if addr is
// no account's key).
func (k *Keeper) Nonce(s module.KVStore, addr common.Address) uint64 {
	if r := k.KeyRef(s, addr); r != nil {
		return r.Nonce
	}
	return 0
}

// requireRole returns ErrUnauthorized unless the context's signer holds role.
func (k *Keeper) requireRole(ctx module.Context, role accountsv1.Role, action string) error {
	if k.HasRole(ctx.Store, ctx.Account, role) {
		return nil
	}
	return ErrUnauthorized.Wrapf("%s requires the %s role; %s does not hold it", action, roleName(role), ctx.Signer.Hex())
}

// countActive counts the active accounts holding role, walking the role
// index in key order.
func (k *Keeper) countActive(s module.KVStore, role accountsv1.Role) int {
	n := 0
	for _, num := range k.accountsWithRole(s, role) {
		if k.IsActive(s, num) {
			n++
		}
	}
	return n
}

// accountsWithRole lists the numbers of the accounts (of any status)
// holding role, in number order.
func (k *Keeper) accountsWithRole(s module.KVStore, role accountsv1.Role) []uint64 {
	p := types.RolePrefixOf(role)
	it := k.store(s).Iterator(p, module.PrefixEnd(p))
	defer it.Close()
	var out []uint64
	for ; it.Valid(); it.Next() {
		if n, ok := types.ParseRoleKey(it.Key()); ok {
			out = append(out, n)
		}
	}
	return out
}
