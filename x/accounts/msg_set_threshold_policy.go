package accounts

import (
	"sort"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

func validateSetThresholdPolicy(m *accountsv1.MsgSetThresholdPolicy) error {
	seen := map[accountsv1.ActionClass]bool{}
	for i, r := range m.Rules {
		if _, ok := accountsv1.ActionClass_name[int32(r.Class)]; !ok || r.Class == 0 {
			return ErrInvalidPolicy.Wrapf("rule %d: class must be transfer, retire, cancel or keys-and-members", i)
		}
		if seen[r.Class] {
			return ErrInvalidPolicy.Wrapf("rule %d: %s has a rule already; one rule per class", i, className(r.Class))
		}
		seen[r.Class] = true
		if r.Approvals < 1 || r.Approvals > MaxMembers+1 {
			return ErrInvalidPolicy.Wrapf("%s: approvals must be 1 to %d (the primary key and up to %d members)", className(r.Class), MaxMembers+1, MaxMembers)
		}
		if r.AboveQuantity != 0 && r.Class != accountsv1.ActionClass_ACTION_CLASS_TRANSFER {
			return ErrInvalidPolicy.Wrapf("%s: above_quantity applies to transfers only", className(r.Class))
		}
	}
	return nil
}

// SetThresholdPolicy replaces the signer's account's threshold policy: per
// class of action, how many of the keys able to approve (the primary key,
// representatives, approvers) must approve — for transfers, above how many
// credits. No rules removes the policy: every action then runs on its
// sender's signature, as for an account that never had one. A policy that
// would need more approvals than the account has keys able to give them is
// refused (ErrThresholdUnreachable). Pending actions are decided by the
// policy in force when they are approved.
func (k *Keeper) SetThresholdPolicy(ctx module.Context, m *accountsv1.MsgSetThresholdPolicy) error {
	if err := k.requireSetupAuthority(ctx, "may not set the account's threshold policy"); err != nil {
		return err
	}
	st := k.store(ctx.Store)
	if len(m.Rules) == 0 {
		if k.Policy(ctx.Store, ctx.Account) == nil {
			return ErrInvalidPolicy.Wrapf("%s has no threshold policy to remove", k.Describe(ctx.Store, ctx.Account))
		}
		st.Delete(types.PolicyKey(ctx.Account))
		ctx.Emit(EventPolicy, module.Indexed("account_number", utoa(ctx.Account)), module.Plain("rules", "none"))
		return nil
	}
	rules := make([]*accountsv1.ThresholdRule, len(m.Rules))
	copy(rules, m.Rules)
	sort.Slice(rules, func(i, j int) bool { return rules[i].Class < rules[j].Class })
	p := &accountsv1.ThresholdPolicy{Account: ctx.Account, Rules: rules, SetHeight: ctx.Height}
	if err := checkReachable(p, k.Members(ctx.Store, ctx.Account)); err != nil {
		return err
	}
	st.Set(types.PolicyKey(ctx.Account), marshal(p))
	ctx.Emit(EventPolicy, module.Indexed("account_number", utoa(ctx.Account)), module.Plain("rules", describeRules(rules)))
	return nil
}

// describeRules is a one-line summary: "transfer>100:2 retire:2".
func describeRules(rules []*accountsv1.ThresholdRule) string {
	out := ""
	for i, r := range rules {
		if i > 0 {
			out += " "
		}
		out += className(r.Class)
		if r.AboveQuantity > 0 {
			out += ">" + utoa(r.AboveQuantity)
		}
		out += ":" + utoa(uint64(r.Approvals))
	}
	return out
}
