package accounts

import (
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// Delegation returns grantor's delegation to agent, or nil.
func (k *Keeper) Delegation(s module.KVStore, grantor, agent uint64) (*accountsv1.Delegation, error) {
	bz := k.store(s).Get(types.DelegationKey(grantor, agent))
	if bz == nil {
		return nil, nil
	}
	d := &accountsv1.Delegation{}
	if err := proto.Unmarshal(bz, d); err != nil {
		return nil, module.ErrInternal.Wrapf("delegation %d/%d: %v", grantor, agent, err)
	}
	return d, nil
}

func (k *Keeper) setDelegation(s module.KVStore, d *accountsv1.Delegation) {
	k.store(s).Set(types.DelegationKey(d.Grantor, d.Agent), marshal(d))
}

// ActFor is how a module's handler runs a message that names on_behalf_of
// (the account, by 0x address or number, the signer acts for). With
// onBehalfOf empty it returns ctx unchanged and agent 0. Otherwise the
// signer's account must hold a delegation from that account, in force at
// this height and covering action. It returns ctx acting as the grantor —
// Account is the grantor's number, Signer still the agent's key — and the
// agent's number, which the handler writes into every record it makes, so
// that the record names both accounts. A transfer or retirement then calls
// ChargeDelegation with the credits it moves, once it knows them.
func (k *Keeper) ActFor(ctx module.Context, onBehalfOf string, action accountsv1.DelegatedAction) (module.Context, uint64, error) {
	if onBehalfOf == "" {
		return ctx, 0, nil
	}
	addr, grantor, err := types.ParseAccountArg(onBehalfOf)
	if err != nil {
		return ctx, 0, ErrInvalidDelegation.Wrapf("on_behalf_of: %v", err)
	}
	if grantor == 0 {
		var ok bool
		if grantor, ok = k.resolve(ctx.Store, addr); !ok {
			return ctx, 0, ErrUnknownAccount.Wrapf("on_behalf_of %s is no account", addr.Hex())
		}
	}
	agent := ctx.Account
	if grantor == agent {
		return ctx, 0, ErrInvalidDelegation.Wrapf("on_behalf_of names the signer's own account; leave it out")
	}
	if !k.IsActive(ctx.Store, grantor) {
		return ctx, 0, ErrAccountInactive.Wrapf("%s is not active: nobody acts for it", k.Describe(ctx.Store, grantor))
	}
	d, err := k.Delegation(ctx.Store, grantor, agent)
	if err != nil {
		return ctx, 0, err
	}
	if d == nil {
		return ctx, 0, ErrNoDelegation.Wrapf("%s has not delegated to %s (or revoked it); it grants with MsgGrantDelegation", k.Describe(ctx.Store, grantor), k.Describe(ctx.Store, agent))
	}
	if ctx.Height > d.ExpiresHeight {
		return ctx, 0, ErrDelegationExpired.Wrapf("the delegation from %s ended at height %d; this is %d", k.Describe(ctx.Store, grantor), d.ExpiresHeight, ctx.Height)
	}
	if !hasAction(d.Actions, action) {
		return ctx, 0, ErrOutsideDelegation.Wrapf("the delegation from %s covers %s, not %s", k.Describe(ctx.Store, grantor), actionsString(d.Actions), actionName(action))
	}
	ctx.Emit(EventDelegationUsed,
		module.Indexed("grantor_account", utoa(grantor)),
		module.Indexed("agent_account", utoa(agent)),
		module.Plain("action", actionName(action)))
	ctx.Account = grantor
	return ctx, agent, nil
}

// ChargeDelegation counts quantity credits moved by agent for grantor
// against the delegation's max_quantity, refusing what would exceed it.
// The count is written with the transaction, so a message that fails
// later charges nothing.
func (k *Keeper) ChargeDelegation(ctx module.Context, grantor, agent, quantity uint64) error {
	d, err := k.Delegation(ctx.Store, grantor, agent)
	if err != nil {
		return err
	}
	if d == nil {
		return ErrNoDelegation.Wrapf("%s has not delegated to %s", k.Describe(ctx.Store, grantor), k.Describe(ctx.Store, agent))
	}
	if quantity > d.MaxQuantity-d.UsedQuantity {
		return ErrDelegationExhausted.Wrapf("%d credits asked; the delegation from %s allows %d in all and %d are used, so %d remain",
			quantity, k.Describe(ctx.Store, grantor), d.MaxQuantity, d.UsedQuantity, d.MaxQuantity-d.UsedQuantity)
	}
	d.UsedQuantity += quantity
	k.setDelegation(ctx.Store, d)
	return nil
}

func hasAction(as []accountsv1.DelegatedAction, a accountsv1.DelegatedAction) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func actionName(a accountsv1.DelegatedAction) string {
	switch a {
	case accountsv1.DelegatedAction_DELEGATED_ACTION_SUBMIT_PROJECT:
		return "submit-project"
	case accountsv1.DelegatedAction_DELEGATED_ACTION_SUBMIT_REPORT:
		return "submit-report"
	case accountsv1.DelegatedAction_DELEGATED_ACTION_TRANSFER:
		return "transfer"
	case accountsv1.DelegatedAction_DELEGATED_ACTION_RETIRE:
		return "retire"
	}
	return a.String()
}

func actionsString(as []accountsv1.DelegatedAction) string {
	out := ""
	for i, a := range as {
		if i > 0 {
			out += ","
		}
		out += actionName(a)
	}
	return out
}

// normalizeActions sorts actions and refuses unknown or repeated ones.
func normalizeActions(as []accountsv1.DelegatedAction) ([]accountsv1.DelegatedAction, error) {
	if len(as) == 0 {
		return nil, ErrInvalidDelegation.Wrapf("name at least one action: submit-project, submit-report, transfer, retire")
	}
	out := make([]accountsv1.DelegatedAction, 0, len(as))
	for _, a := range as {
		if _, ok := accountsv1.DelegatedAction_name[int32(a)]; !ok || a == 0 {
			return nil, ErrInvalidDelegation.Wrapf("unknown action %d; actions are submit-project, submit-report, transfer, retire", a)
		}
		if hasAction(out, a) {
			return nil, ErrInvalidDelegation.Wrapf("action %s given twice", actionName(a))
		}
		out = append(out, a)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// ParseDelegatedAction accepts "retire", "RETIRE", "submit-project" or
// "DELEGATED_ACTION_RETIRE".
func ParseDelegatedAction(s string) (accountsv1.DelegatedAction, error) {
	for v := range accountsv1.DelegatedAction_name {
		a := accountsv1.DelegatedAction(v)
		if a != 0 && (s == actionName(a) || s == a.String() || s == a.String()[len("DELEGATED_ACTION_"):]) {
			return a, nil
		}
	}
	return 0, ErrInvalidDelegation.Wrapf("unknown action %q; actions are submit-project, submit-report, transfer, retire", s)
}

// agentNumber resolves the agent a delegation message names.
func (k *Keeper) agentNumber(s module.KVStore, agent string) (uint64, common.Address, error) {
	addr, err := types.ParseAddress(agent)
	if err != nil {
		return 0, addr, err
	}
	n, ok := k.AccountNumber(s, addr)
	if !ok {
		_, err := k.mustGet(s, addr)
		return 0, addr, err
	}
	return n, addr, nil
}
