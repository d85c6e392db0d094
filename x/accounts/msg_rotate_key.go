package accounts

import (
	"github.com/ethereum/go-ethereum/crypto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

func validateRotateKey(m *accountsv1.MsgRotateKey) error {
	if _, err := types.ParseAddress(m.NewAddress); err != nil {
		return err
	}
	if len(m.NewKeySignature) != crypto.SignatureLength {
		return ErrBadRotationProof.Wrapf("new_key_signature is %d bytes, want %d; sign with the new key (see accounts.SignRotation)",
			len(m.NewKeySignature), crypto.SignatureLength)
	}
	return nil
}

// RotateKey moves the signer's account to the key of a new address. The
// account keeps its number, and so everything: its record (roles, status,
// history), and all that other modules keep under the number (credits,
// projects, validator operatorships, proposal approvals). The rotation
// writes four keys, however much the account holds: the old key's KeyRef is
// deleted, the new key's written with the old one's nonce, the old address
// is recorded as retired, and the Account record names the new address.
// The new key proves possession by signing RotationSignBytes, so an account
// cannot be moved to a mistyped address nobody controls.
//
// The old address is retired for good: it can never sign again (Admit
// answers ErrKeyRotated) nor be opened as a new account. MsgRotateKey must
// be the last message of its transaction (Admit refuses it elsewhere):
// later messages would be signed by a key that no longer exists.
//
// A member key rotates the same way (its KeyRef, with its nonce, and its
// member record move to the new address; the record keeps its member id,
// so the member's approvals of pending actions still count); the account
// record, which names the primary key, is not touched.
func (k *Keeper) RotateKey(ctx module.Context, m *accountsv1.MsgRotateKey) error {
	oldAddr := ctx.Signer
	ref := k.KeyRef(ctx.Store, oldAddr)
	if ref == nil {
		if r := k.Retired(ctx.Store, oldAddr); r != nil && r.RemovedMember {
			return ErrMemberRemoved.Wrapf("%s was removed from its account at height %d and has no key to rotate", oldAddr.Hex(), r.Height)
		} else if r != nil {
			return ErrRotateNotLast.Wrapf("%s already moved to %s in this transaction", oldAddr.Hex(), r.RotatedTo)
		}
		return ErrUnknownSigner.Wrapf("address %s", oldAddr.Hex())
	}
	if ref.Kind != accountsv1.KeyKind_KEY_KIND_PRIMARY && ref.Kind != accountsv1.KeyKind_KEY_KIND_MEMBER {
		return ErrUnauthorized.Wrapf("%s is a %s of account %d; only primary and member keys rotate", oldAddr.Hex(), ref.Kind, ref.Account)
	}
	acc, err := k.Account(ctx.Store, ref.Account)
	if err != nil {
		return err
	}
	if acc == nil {
		return module.ErrInternal.Wrapf("key %s names account %d, which does not exist", oldAddr.Hex(), ref.Account)
	}
	if acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE {
		return ErrAccountInactive.Wrapf("%s is %s", oldAddr.Hex(), acc.Status)
	}
	newAddr, _ := types.ParseAddress(m.NewAddress)
	if newAddr == oldAddr {
		return ErrInvalidAddress.Wrapf("the new address is the account's current address")
	}
	if other, err := k.Get(ctx.Store, newAddr); err != nil {
		return err
	} else if other != nil {
		return ErrAccountExists.Wrapf("%s is already a key of %q (account %d); rotate to a fresh key", newAddr.Hex(), other.LegalName, other.Number)
	}
	if r := k.Retired(ctx.Store, newAddr); r != nil {
		return ErrAddressRetired.Wrapf("%s was rotated away at height %d; rotate to a fresh key", newAddr.Hex(), r.Height)
	}
	if err := verifyRotation(ctx.ChainID, oldAddr, newAddr, m.NewKeySignature); err != nil {
		return err
	}

	st := k.store(ctx.Store)
	st.Delete(types.KeyRefKey(oldAddr))
	k.setKeyRef(ctx.Store, newAddr, ref) // the nonce goes with the account's key
	st.Set(types.RetiredKey(oldAddr), marshal(&accountsv1.RetiredAddress{
		Address: oldAddr.Hex(), RotatedTo: newAddr.Hex(), Height: ctx.Height, Account: acc.Number,
	}))
	if ref.Kind == accountsv1.KeyKind_KEY_KIND_MEMBER {
		// The member record moves with its key and keeps its id, so the
		// member's approvals of pending actions stay its own.
		m := k.Member(ctx.Store, acc.Number, oldAddr)
		if m == nil {
			return module.ErrInternal.Wrapf("member key %s of account %d has no member record", oldAddr.Hex(), acc.Number)
		}
		st.Delete(types.MemberKey(acc.Number, oldAddr))
		m.Address = newAddr.Hex()
		k.setMember(ctx.Store, m)
		ctx.Emit(EventRotateKey,
			module.Indexed("member", newAddr.Hex()),
			module.Indexed("account_number", utoa(acc.Number)),
			module.Indexed("old_address", oldAddr.Hex()),
			module.Plain("member_id", utoa(m.Id)))
		return nil
	}
	acc.Address = newAddr.Hex()
	acc.PreviousAddresses = append(acc.PreviousAddresses, oldAddr.Hex())
	st.Set(types.AccountKey(acc.Number), marshal(acc)) // roles unchanged: the role index stays
	ctx.Emit(EventRotateKey,
		module.Indexed("account", newAddr.Hex()),
		module.Indexed("account_number", utoa(acc.Number)),
		module.Indexed("old_address", oldAddr.Hex()))
	return nil
}
