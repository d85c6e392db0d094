package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateRevokeDelegation checks MsgRevokeDelegation without state.
func validateRevokeDelegation(m *accountsv1.MsgRevokeDelegation) error {
	_, err := types.ParseAddress(m.Agent)
	return err
}

// RevokeDelegation ends the signer's delegation to agent at once: the
// record is deleted in this transaction, so no later message — in this
// block or after — can use it. What the agent did before stays done (and
// names both accounts).
func (k *Keeper) RevokeDelegation(ctx module.Context, m *accountsv1.MsgRevokeDelegation) error {
	addr, _ := types.ParseAddress(m.Agent)
	agent, ok := k.resolve(ctx.Store, addr)
	if !ok {
		return ErrUnknownAccount.Wrapf("no account at %s", addr.Hex())
	}
	d, err := k.Delegation(ctx.Store, ctx.Account, agent)
	if err != nil {
		return err
	}
	if d == nil {
		return ErrNoDelegation.Wrapf("%s holds no delegation from this account", k.Describe(ctx.Store, agent))
	}
	k.store(ctx.Store).Delete(types.DelegationKey(ctx.Account, agent))
	ctx.Emit(EventRevokeDelegation,
		module.Indexed("grantor_account", utoa(ctx.Account)),
		module.Indexed("agent_account", utoa(agent)),
		module.Plain("used_quantity", utoa(d.UsedQuantity)))
	return nil
}
