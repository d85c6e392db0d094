package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// MaxTrustedChanges bounds the recipients one MsgUpdateTrustedRecipients
// adds or removes (each list), so that its work is bounded.
const MaxTrustedChanges = 32

// validateUpdateTrustedRecipients checks MsgUpdateTrustedRecipients
// without state.
func validateUpdateTrustedRecipients(m *accountsv1.MsgUpdateTrustedRecipients) error {
	if len(m.Add) > MaxTrustedChanges || len(m.Remove) > MaxTrustedChanges {
		return ErrInvalidTrusted.Wrapf("at most %d recipients added and %d removed per message", MaxTrustedChanges, MaxTrustedChanges)
	}
	if _, ok := accountsv1.TrustedRestriction_name[int32(m.Restriction)]; !ok {
		return ErrInvalidTrusted.Wrapf("unknown restriction %d: unchanged, on or off", m.Restriction)
	}
	if len(m.Add) == 0 && len(m.Remove) == 0 && m.Restriction == accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_UNSPECIFIED {
		return ErrInvalidTrusted.Wrapf("nothing to change: add or remove a recipient, or turn the restriction on or off")
	}
	seen := map[string]bool{}
	for _, list := range [][]string{m.Add, m.Remove} {
		for _, a := range list {
			addr, err := types.ParseAddress(a)
			if err != nil {
				return err
			}
			if seen[addr.Hex()] {
				return ErrInvalidTrusted.Wrapf("%s is named twice", addr.Hex())
			}
			seen[addr.Hex()] = true
		}
	}
	return nil
}

// UpdateTrustedRecipients changes the signer's trusted recipients, the EU
// Union Registry's safeguard against stolen credentials: while the
// restriction is on, the account's credits go only to trusted recipients
// in effect. A recipient added now can receive only after
// trusted_recipient_delay_blocks; one removed stops at once. Turning the
// restriction on is immediate; turning it off takes the same delay (until
// then it stands), so a stolen key can neither add its own account nor
// lift the restriction in time to empty the holdings before the owner,
// seeing the events, has the secretariat suspend the account.
func (k *Keeper) UpdateTrustedRecipients(ctx module.Context, m *accountsv1.MsgUpdateTrustedRecipients) error {
	acc, err := k.Account(ctx.Store, ctx.Account)
	if err != nil {
		return err
	}
	if acc == nil {
		return ErrUnknownSigner.Wrapf("%s", ctx.Signer.Hex())
	}
	delay := int64(k.Params(ctx.Store).TrustedRecipientDelayBlocks)
	st := k.store(ctx.Store)
	for _, a := range m.Remove {
		addr, _ := types.ParseAddress(a)
		n, ok := k.resolve(ctx.Store, addr)
		if !ok || st.Get(types.TrustedKey(ctx.Account, n)) == nil {
			return ErrInvalidTrusted.Wrapf("%s is not among the trusted recipients", addr.Hex())
		}
		st.Delete(types.TrustedKey(ctx.Account, n))
		ctx.Emit(EventTrustedRecipients, module.Indexed("account_number", utoa(ctx.Account)),
			module.Indexed("removed_account", utoa(n)))
	}
	for _, a := range m.Add {
		addr, _ := types.ParseAddress(a)
		n, ok := k.AccountNumber(ctx.Store, addr)
		if !ok {
			_, err := k.mustGet(ctx.Store, addr)
			return err
		}
		if n == ctx.Account {
			return ErrInvalidTrusted.Wrapf("an account does not trust itself as a recipient")
		}
		if old, err := k.Trusted(ctx.Store, ctx.Account, n); err != nil {
			return err
		} else if old != nil {
			return ErrInvalidTrusted.Wrapf("%s is already trusted (from height %d)", addr.Hex(), old.EffectiveHeight)
		}
		k.setTrusted(ctx.Store, &accountsv1.TrustedRecipient{Account: ctx.Account, Recipient: n, AddedHeight: ctx.Height, EffectiveHeight: ctx.Height + delay})
		ctx.Emit(EventTrustedRecipients, module.Indexed("account_number", utoa(ctx.Account)),
			module.Indexed("added_account", utoa(n)), module.Plain("effective_height", itoa(ctx.Height+delay)))
	}
	switch m.Restriction {
	case accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON:
		acc.TrustedRecipientsOnly, acc.TrustedRecipientsOffHeight = true, 0
	case accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_OFF:
		if !restricted(acc, ctx.Height) {
			return ErrInvalidTrusted.Wrapf("transfers are not restricted, or the restriction already ends at height %d", acc.TrustedRecipientsOffHeight)
		}
		if acc.TrustedRecipientsOffHeight == 0 {
			acc.TrustedRecipientsOffHeight = ctx.Height + delay
		}
	}
	if m.Restriction != accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_UNSPECIFIED {
		k.Set(ctx.Store, acc)
		ctx.Emit(EventTrustedRecipients, module.Indexed("account_number", utoa(ctx.Account)),
			module.Plain("restriction", m.Restriction.String()), module.Plain("off_height", itoa(acc.TrustedRecipientsOffHeight)))
	}
	return nil
}
