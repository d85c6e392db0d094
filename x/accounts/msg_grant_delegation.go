package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateGrantDelegation checks MsgGrantDelegation without state.
func validateGrantDelegation(m *accountsv1.MsgGrantDelegation) error {
	if _, err := types.ParseAddress(m.Agent); err != nil {
		return err
	}
	acts, err := normalizeActions(m.Actions)
	if err != nil {
		return err
	}
	if m.MaxQuantity > 0 && !hasAction(acts, accountsv1.DelegatedAction_DELEGATED_ACTION_TRANSFER) && !hasAction(acts, accountsv1.DelegatedAction_DELEGATED_ACTION_RETIRE) {
		return ErrInvalidDelegation.Wrapf("max_quantity bounds transfers and retirements, and the delegation grants neither")
	}
	if m.ExpiresHeight <= 0 {
		return ErrInvalidDelegation.Wrapf("expires_height must be the last height the agent may act (a delegation always ends)")
	}
	return nil
}

// GrantDelegation lets an account (the grantor, the signer) authorise an
// agent — the J-Credit scheme's 申請代理人 filing for a client, or a provider
// transferring and retiring for one — for the named actions, up to
// max_quantity credits moved in all, until expires_height. A grant to an
// agent that already holds one replaces it, starting its count afresh.
// The agent must be an active account; it signs with its own key and
// names the grantor in on_behalf_of. Grants are not transitive: an agent
// cannot delegate what it was delegated (on_behalf_of is not accepted on
// this message).
func (k *Keeper) GrantDelegation(ctx module.Context, m *accountsv1.MsgGrantDelegation) error {
	agent, addr, err := k.agentNumber(ctx.Store, m.Agent)
	if err != nil {
		return err
	}
	if agent == ctx.Account {
		return ErrInvalidDelegation.Wrapf("an account does not delegate to itself")
	}
	if !k.IsActive(ctx.Store, agent) {
		return ErrAccountInactive.Wrapf("the agent %s is not active", k.Describe(ctx.Store, agent))
	}
	if m.ExpiresHeight < ctx.Height {
		return ErrInvalidDelegation.Wrapf("expires_height %d is already past (this is height %d)", m.ExpiresHeight, ctx.Height)
	}
	acts, _ := normalizeActions(m.Actions)
	k.setDelegation(ctx.Store, &accountsv1.Delegation{
		Grantor: ctx.Account, Agent: agent, Actions: acts, MaxQuantity: m.MaxQuantity,
		ExpiresHeight: m.ExpiresHeight, GrantedHeight: ctx.Height,
	})
	ctx.Emit(EventGrantDelegation,
		module.Indexed("grantor_account", utoa(ctx.Account)),
		module.Indexed("agent_account", utoa(agent)),
		module.Indexed("agent", addr.Hex()),
		module.Plain("actions", actionsString(acts)),
		module.Plain("max_quantity", utoa(m.MaxQuantity)),
		module.Plain("expires_height", itoa(m.ExpiresHeight)))
	return nil
}
