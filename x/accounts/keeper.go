package accounts

import (
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

// Keeper reads and writes accounts. It holds no state of its own: every
// method works on the store in the context it is given.
type Keeper struct {
	hooks []AccountHook
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
	bz := k.store(s).Get(accountKey(addr))
	if bz == nil {
		return nil, nil
	}
	var acc accountsv1.Account
	if err := proto.Unmarshal(bz, &acc); err != nil {
		return nil, module.ErrInternal.Wrapf("account %s: %v", addr.Hex(), err)
	}
	return &acc, nil
}

// Set writes an account and its role index entries. Roles present in old
// but not in acc are removed from the index.
func (k *Keeper) Set(s module.KVStore, acc *accountsv1.Account) {
	st := k.store(s)
	addr := common.HexToAddress(acc.Address)
	if old, _ := k.Get(s, addr); old != nil {
		for _, r := range old.Roles {
			st.Delete(roleKey(r, addr))
		}
	}
	for _, r := range acc.Roles {
		st.Set(roleKey(r, addr), []byte{})
	}
	st.Set(accountKey(addr), marshal(acc))
}

// HasRole reports whether addr is an active account holding role.
func (k *Keeper) HasRole(s module.KVStore, addr common.Address, role accountsv1.Role) bool {
	acc, err := k.Get(s, addr)
	if err != nil || acc == nil || acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE {
		return false
	}
	for _, r := range acc.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// IsActive reports whether addr is an open, active account.
func (k *Keeper) IsActive(s module.KVStore, addr common.Address) bool {
	acc, err := k.Get(s, addr)
	return err == nil && acc != nil && acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE
}

// Admit implements app.Auth: the signer must be an active account.
func (k *Keeper) Admit(ctx module.Context, signer common.Address, _ []proto.Message) (uint64, error) {
	acc, err := k.Get(ctx.Store, signer)
	if err != nil {
		return 0, err
	}
	if acc == nil {
		return 0, ErrUnknownSigner.Wrapf("address %s", signer.Hex())
	}
	if acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE {
		return 0, ErrAccountInactive.Wrapf("account %s is %s", signer.Hex(), acc.Status)
	}
	return acc.Nonce, nil
}

// IncrementNonce implements app.Auth.
func (k *Keeper) IncrementNonce(ctx module.Context, signer common.Address) error {
	acc, err := k.Get(ctx.Store, signer)
	if err != nil {
		return err
	}
	if acc == nil {
		return ErrUnknownSigner.Wrapf("address %s", signer.Hex())
	}
	acc.Nonce++
	k.store(ctx.Store).Set(accountKey(signer), marshal(acc))
	return nil
}

// requireRole returns ErrUnauthorized unless the context's signer holds role.
func (k *Keeper) requireRole(ctx module.Context, role accountsv1.Role, action string) error {
	if !k.HasRole(ctx.Store, ctx.Signer, role) {
		return ErrUnauthorized.Wrapf("%s requires the %s role; %s does not hold it", action, role, ctx.Signer.Hex())
	}
	return nil
}
