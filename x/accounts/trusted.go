package accounts

import (
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// Trusted returns recipient's entry in account's trusted recipients, or nil.
func (k *Keeper) Trusted(s module.KVStore, account, recipient uint64) (*accountsv1.TrustedRecipient, error) {
	bz := k.store(s).Get(types.TrustedKey(account, recipient))
	if bz == nil {
		return nil, nil
	}
	tr := &accountsv1.TrustedRecipient{}
	if err := proto.Unmarshal(bz, tr); err != nil {
		return nil, module.ErrInternal.Wrapf("trusted recipient %d/%d: %v", account, recipient, err)
	}
	return tr, nil
}

func (k *Keeper) setTrusted(s module.KVStore, tr *accountsv1.TrustedRecipient) {
	k.store(s).Set(types.TrustedKey(tr.Account, tr.Recipient), marshal(tr))
}

// restricted reports whether acc's transfers are restricted to trusted
// recipients at height h.
func restricted(acc *accountsv1.Account, h int64) bool {
	if !acc.TrustedRecipientsOnly {
		return false
	}
	return acc.TrustedRecipientsOffHeight == 0 || h < acc.TrustedRecipientsOffHeight
}

// MayTransferTo is the check x/credits makes whenever a holder's credits
// go to another account (transfer, two-step offer and acceptance, a lock's
// settlement to the buyer): nil unless
// account from restricts its transfers to trusted recipients and to is
// not one in effect at height h (ErrUntrustedRecipient, saying from which
// height a recipient added meanwhile can receive).
func (k *Keeper) MayTransferTo(s module.KVStore, from, to uint64, h int64) error {
	acc, err := k.Account(s, from)
	if err != nil || acc == nil || !restricted(acc, h) {
		return err
	}
	tr, err := k.Trusted(s, from, to)
	if err != nil {
		return err
	}
	switch {
	case tr == nil:
		return ErrUntrustedRecipient.Wrapf("%s transfers only to its trusted recipients, and %s is not one; add it (tx accounts trusted-recipients --add), then wait %d blocks",
			k.Describe(s, from), k.Describe(s, to), k.Params(s).TrustedRecipientDelayBlocks)
	case h < tr.EffectiveHeight:
		return ErrUntrustedRecipient.Wrapf("%s was added to the trusted recipients of %s at height %d and can receive from height %d (this is %d)",
			k.Describe(s, to), k.Describe(s, from), tr.AddedHeight, tr.EffectiveHeight, h)
	}
	return nil
}
