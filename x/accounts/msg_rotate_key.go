package accounts

import (
	"github.com/ethereum/go-ethereum/common"
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

// RotateKey moves the signer's account to the address of a new key in one
// step: the record (roles, nonce, status history) and, through the hooks,
// everything other modules key by address (credits, projects), plus the
// account's validator operatorships and its approvals on pending proposals.
// The new key proves possession by signing RotationSignBytes, so an account
// cannot be moved to a mistyped address nobody controls.
//
// The old address is retired for good: it can never sign again (Admit
// answers ErrKeyRotated) nor be opened as a new account. Put MsgRotateKey
// last in its transaction: later messages would still be signed by the old
// address.
func (k *Keeper) RotateKey(ctx module.Context, m *accountsv1.MsgRotateKey) error {
	oldAddr := ctx.Signer
	acc, err := k.Get(ctx.Store, oldAddr)
	if err != nil {
		return err
	}
	if acc == nil {
		if r := k.Retired(ctx.Store, oldAddr); r != nil {
			return ErrRotateNotLast.Wrapf("%s already moved to %s in this transaction", oldAddr.Hex(), r.RotatedTo)
		}
		return ErrUnknownSigner.Wrapf("address %s", oldAddr.Hex())
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
		return ErrAccountExists.Wrapf("%s is already the account of %q; rotate to a fresh key", newAddr.Hex(), other.LegalName)
	}
	if r := k.Retired(ctx.Store, newAddr); r != nil {
		return ErrAddressRetired.Wrapf("%s was rotated away at height %d; rotate to a fresh key", newAddr.Hex(), r.Height)
	}
	if err := verifyRotation(ctx.ChainID, oldAddr, newAddr, m.NewKeySignature); err != nil {
		return err
	}

	k.remove(ctx.Store, oldAddr)
	acc.Address = newAddr.Hex()
	acc.PreviousAddresses = append(acc.PreviousAddresses, oldAddr.Hex())
	k.Set(ctx.Store, acc)
	k.store(ctx.Store).Set(types.RetiredKey(oldAddr), marshal(&accountsv1.RetiredAddress{
		Address: oldAddr.Hex(), RotatedTo: newAddr.Hex(), Height: ctx.Height,
	}))
	k.moveOwnState(ctx, oldAddr, newAddr)
	for _, h := range k.hooks {
		if err := h.MoveAccount(ctx, oldAddr, newAddr); err != nil {
			return err
		}
	}
	ctx.Emit(EventRotateKey,
		module.Indexed("account", newAddr.Hex()),
		module.Indexed("old_address", oldAddr.Hex()))
	return nil
}

// moveOwnState re-homes what this module itself keys by address: validator
// operatorships and pending proposals' proposer, approvals and targets.
// Decided proposals keep the addresses of the time, as history.
func (k *Keeper) moveOwnState(ctx module.Context, from, to common.Address) {
	for _, v := range k.validatorsOperatedBy(ctx.Store, from.Hex()) {
		v.Operator = to.Hex()
		k.putValidator(ctx.Store, v, false) // the consensus key and power are unchanged
	}
	for _, p := range k.PendingProposals(ctx.Store) {
		changed := false
		if p.Proposer == from.Hex() {
			p.Proposer, changed = to.Hex(), true
		}
		for i, a := range p.Approvals {
			if a == from.Hex() {
				p.Approvals[i], changed = to.Hex(), true
			}
		}
		switch ch := p.Change.(type) {
		case *accountsv1.Proposal_Validator:
			if ch.Validator.Operator == from.Hex() {
				ch.Validator.Operator, changed = to.Hex(), true
			}
		case *accountsv1.Proposal_MinistryRole:
			if ch.MinistryRole.Address == from.Hex() {
				ch.MinistryRole.Address, changed = to.Hex(), true
			}
		}
		if changed {
			sortStrings(p.Approvals)
			k.setProposal(ctx.Store, p)
		}
	}
}
