package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

func validateUpdateMembers(m *accountsv1.MsgUpdateMembers) error {
	if len(m.Changes) == 0 {
		return ErrInvalidMembers.Wrapf("no change: add, change or remove at least one member key")
	}
	if len(m.Changes) > MaxMembers {
		return ErrInvalidMembers.Wrapf("%d changes; at most %d per message", len(m.Changes), MaxMembers)
	}
	seen := map[string]bool{}
	for i, c := range m.Changes {
		addr, err := types.ParseAddress(c.Address)
		if err != nil {
			return err
		}
		if seen[addr.Hex()] {
			return ErrInvalidMembers.Wrapf("%s is named twice", addr.Hex())
		}
		seen[addr.Hex()] = true
		if p := module.TextProblem(c.Label, MaxMemberLabel, false); p != "" {
			return ErrInvalidMembers.Wrapf("change %d: the label %s", i, p)
		}
		if c.Remove {
			continue
		}
		if _, ok := accountsv1.MemberRole_name[int32(c.Role)]; !ok || c.Role == 0 {
			return ErrInvalidMembers.Wrapf("change %d (%s): role must be representative, approver or viewer", i, addr.Hex())
		}
	}
	return nil
}

// requireSetupAuthority refuses member and policy changes by a member key
// unless the account's threshold policy has a rule for KEYS_AND_MEMBERS:
// until the account has chosen how many must approve such changes, only
// its primary key (the one the secretariat opened it with, or rotated to)
// decides who acts for it, so that no representative can raise itself.
// With the rule, its threshold decides (Hold).
func (k *Keeper) requireSetupAuthority(ctx module.Context, what string) error {
	for _, r := range k.Policy(ctx.Store, ctx.Account).GetRules() {
		if r.Class == accountsv1.ActionClass_ACTION_CLASS_KEYS_AND_MEMBERS {
			return nil
		}
	}
	if ref := k.KeyRef(ctx.Store, ctx.Signer); ref != nil && ref.Kind == accountsv1.KeyKind_KEY_KIND_PRIMARY {
		return nil
	}
	return ErrPrimaryKeyOnly.Wrapf("%s %s; sign with the primary key of %s, or give its policy a keys-and-members rule first", ctx.Signer.Hex(), what, k.Describe(ctx.Store, ctx.Account))
}

// UpdateMembers adds, changes and removes member keys of the signer's
// account. An added key must be fresh (no account's key, never rotated
// away or removed); it gets the account's next member id and a KeyRef of
// kind MEMBER at nonce 0. A removed key is retired like a rotated-away one
// (t/<address>, removed_member): it never signs again (ErrMemberRemoved),
// never returns as a member or an account, and its approvals of pending
// actions stop counting. The account keeps at most MaxMembers members, and
// no change may leave the policy needing more approvals than the keys able
// to approve (ErrThresholdUnreachable).
func (k *Keeper) UpdateMembers(ctx module.Context, m *accountsv1.MsgUpdateMembers) error {
	if err := k.requireSetupAuthority(ctx, "may not change the account's members"); err != nil {
		return err
	}
	acc, err := k.Account(ctx.Store, ctx.Account)
	if err != nil {
		return err
	}
	if acc == nil {
		return ErrUnknownSigner.Wrapf("%s", ctx.Signer.Hex())
	}
	st := k.store(ctx.Store)
	added := false
	for _, c := range m.Changes {
		addr, _ := types.ParseAddress(c.Address)
		old := k.Member(ctx.Store, acc.Number, addr)
		switch {
		case c.Remove:
			if old == nil {
				return ErrInvalidMembers.Wrapf("%s is not a member key of %s", addr.Hex(), k.Describe(ctx.Store, acc.Number))
			}
			st.Delete(types.MemberKey(acc.Number, addr))
			st.Delete(types.KeyRefKey(addr))
			st.Set(types.RetiredKey(addr), marshal(&accountsv1.RetiredAddress{
				Address: addr.Hex(), Height: ctx.Height, Account: acc.Number, RemovedMember: true,
			}))
			ctx.Emit(EventMembers, module.Indexed("account_number", utoa(acc.Number)),
				module.Indexed("removed", addr.Hex()), module.Plain("member_id", utoa(old.Id)))
		case old != nil:
			old.Role, old.Label = c.Role, c.Label
			k.setMember(ctx.Store, old)
			ctx.Emit(EventMembers, module.Indexed("account_number", utoa(acc.Number)),
				module.Indexed("changed", addr.Hex()), module.Plain("role", memberRoleName(c.Role)))
		default:
			if ref := k.KeyRef(ctx.Store, addr); ref != nil {
				return ErrAccountExists.Wrapf("%s is already a key of %s; a member key must be a fresh key", addr.Hex(), k.Describe(ctx.Store, ref.Account))
			}
			if r := k.Retired(ctx.Store, addr); r != nil {
				return ErrAddressRetired.Wrapf("%s was retired at height %d (rotated away or removed); add a fresh key", addr.Hex(), r.Height)
			}
			acc.LastMemberId++
			added = true
			k.setKeyRef(ctx.Store, addr, &accountsv1.KeyRef{Account: acc.Number, Kind: accountsv1.KeyKind_KEY_KIND_MEMBER})
			k.setMember(ctx.Store, &accountsv1.Member{
				Account: acc.Number, Address: addr.Hex(), Role: c.Role, Id: acc.LastMemberId, AddedHeight: ctx.Height, Label: c.Label,
			})
			ctx.Emit(EventMembers, module.Indexed("account_number", utoa(acc.Number)),
				module.Indexed("added", addr.Hex()), module.Plain("role", memberRoleName(c.Role)),
				module.Plain("member_id", utoa(acc.LastMemberId)))
		}
	}
	members := k.Members(ctx.Store, acc.Number)
	if len(members) > MaxMembers {
		return ErrTooManyMembers.Wrapf("%s would have %d member keys; at most %d", k.Describe(ctx.Store, acc.Number), len(members), MaxMembers)
	}
	if err := checkReachable(k.Policy(ctx.Store, acc.Number), members); err != nil {
		return err
	}
	if added {
		st.Set(types.AccountKey(acc.Number), marshal(acc)) // roles unchanged: the role index stays
	}
	return nil
}
