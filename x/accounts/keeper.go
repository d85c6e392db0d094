package accounts

import (
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// Keeper reads and writes accounts, the validator set and proposals. It
// holds no state of its own beyond its wiring: every method works on the
// store in the context it is given.
type Keeper struct {
	hooks    []AccountHook
	upgrades UpgradeScheduler
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

// Get returns the account at addr, or nil.
func (k *Keeper) Get(s module.KVStore, addr common.Address) (*accountsv1.Account, error) {
	bz := k.store(s).Get(types.AccountKey(addr))
	if bz == nil {
		return nil, nil
	}
	var acc accountsv1.Account
	if err := proto.Unmarshal(bz, &acc); err != nil {
		return nil, module.ErrInternal.Wrapf("account %s: %v", addr.Hex(), err)
	}
	return &acc, nil
}

// Set writes an account and its role index entries. Roles present in the
// stored account but not in acc are removed from the index.
func (k *Keeper) Set(s module.KVStore, acc *accountsv1.Account) {
	st := k.store(s)
	addr := common.HexToAddress(acc.Address)
	if old, _ := k.Get(s, addr); old != nil {
		for _, r := range old.Roles {
			st.Delete(types.RoleKey(r, addr))
		}
	}
	for _, r := range acc.Roles {
		st.Set(types.RoleKey(r, addr), []byte{})
	}
	st.Set(types.AccountKey(addr), marshal(acc))
}

// remove deletes the account at addr and its role index entries.
func (k *Keeper) remove(s module.KVStore, addr common.Address) {
	st := k.store(s)
	if old, _ := k.Get(s, addr); old != nil {
		for _, r := range old.Roles {
			st.Delete(types.RoleKey(r, addr))
		}
	}
	st.Delete(types.AccountKey(addr))
}

// mustGet returns the account at addr or ErrUnknownAccount (ErrAddressRetired
// if its key was rotated away).
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

// HasRole reports whether addr is an active account holding role. It is the
// one authorization check every module uses.
func (k *Keeper) HasRole(s module.KVStore, addr common.Address, role accountsv1.Role) bool {
	acc, err := k.Get(s, addr)
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

// IsActive reports whether addr is an open, active account. Modules call it
// on every recipient: suspended and closed accounts receive nothing.
func (k *Keeper) IsActive(s module.KVStore, addr common.Address) bool {
	acc, err := k.Get(s, addr)
	return err == nil && acc != nil && acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE
}

// Admit implements app.Auth. The signer must be an active account: an
// unknown key, a rotated-away key, a suspended or a closed account signs
// nothing at all (see the package doc for why suspended accounts get no
// exceptions).
//
// The account number is 0 until accounts carry stable numbers.
func (k *Keeper) Admit(ctx module.Context, signer common.Address, _ []proto.Message) (account, nonce uint64, err error) {
	acc, err := k.Get(ctx.Store, signer)
	if err != nil {
		return 0, 0, err
	}
	if acc == nil {
		if r := k.Retired(ctx.Store, signer); r != nil {
			return 0, 0, ErrKeyRotated.Wrapf("%s was rotated to %s at height %d", signer.Hex(), r.RotatedTo, r.Height)
		}
		return 0, 0, ErrUnknownSigner.Wrapf("address %s", signer.Hex())
	}
	switch acc.Status {
	case accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE:
		return 0, acc.Nonce, nil
	case accountsv1.AccountStatus_ACCOUNT_STATUS_SUSPENDED:
		return 0, 0, ErrAccountInactive.Wrapf("account %s is suspended (%s); only the secretariat can reactivate it", signer.Hex(), acc.StatusReason)
	default:
		return 0, 0, ErrAccountInactive.Wrapf("account %s is %s", signer.Hex(), acc.Status)
	}
}

// IncrementNonce implements app.Auth. If the signer rotated its key in this
// very transaction, the account now lives at the new address and its nonce
// moves there: the rotation counts as the account's transaction.
func (k *Keeper) IncrementNonce(ctx module.Context, signer common.Address) error {
	addr := signer
	acc, err := k.Get(ctx.Store, addr)
	if err != nil {
		return err
	}
	if acc == nil {
		if r := k.Retired(ctx.Store, signer); r != nil && r.Height == ctx.Height {
			addr = common.HexToAddress(r.RotatedTo)
			if acc, err = k.Get(ctx.Store, addr); err != nil {
				return err
			}
		}
	}
	if acc == nil {
		return ErrUnknownSigner.Wrapf("address %s", signer.Hex())
	}
	acc.Nonce++
	k.store(ctx.Store).Set(types.AccountKey(addr), marshal(acc))
	return nil
}

// requireRole returns ErrUnauthorized unless the context's signer holds role.
func (k *Keeper) requireRole(ctx module.Context, role accountsv1.Role, action string) error {
	if k.HasRole(ctx.Store, ctx.Signer, role) {
		return nil
	}
	if r := k.Retired(ctx.Store, ctx.Signer); r != nil {
		return ErrRotateNotLast.Wrapf("%s moved to %s; put MsgRotateKey last in its transaction", ctx.Signer.Hex(), r.RotatedTo)
	}
	return ErrUnauthorized.Wrapf("%s requires the %s role; %s does not hold it", action, roleName(role), ctx.Signer.Hex())
}

// countActive counts the active accounts holding role, walking the role
// index in key order.
func (k *Keeper) countActive(s module.KVStore, role accountsv1.Role) int {
	n := 0
	for _, addr := range k.addressesWithRole(s, role) {
		if k.IsActive(s, addr) {
			n++
		}
	}
	return n
}

// addressesWithRole lists the accounts (of any status) holding role, in
// address order.
func (k *Keeper) addressesWithRole(s module.KVStore, role accountsv1.Role) []common.Address {
	p := types.RolePrefixOf(role)
	it := k.store(s).Iterator(p, module.PrefixEnd(p))
	defer it.Close()
	var out []common.Address
	for ; it.Valid(); it.Next() {
		out = append(out, common.BytesToAddress(it.Key()[len(p):]))
	}
	return out
}
