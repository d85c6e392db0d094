package credits

import (
	"strconv"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateTransfer checks MsgTransfer without state.
func validateTransfer(m *creditsv1.MsgTransfer) error {
	if _, ok := parseAddress(m.Recipient); !ok {
		return ErrInvalidMsg.Wrapf("recipient %q is not a 0x-prefixed address with a valid checksum", m.Recipient)
	}
	return validateSelection(m.Quantity, m.Filter, m.Serials)
}

// Transfer moves active credits the signer holds to another active
// account: by quantity, oldest vintage first (optionally filtered by batch,
// category or vintage year), or by explicit serials. Providers transfer
// like any holder. Nothing moves unless everything asked for can.
func (k *Keeper) Transfer(ctx module.Context, m *creditsv1.MsgTransfer) error {
	// Under a delegation the agent moves the grantor's credits.
	ctx, agent, err := k.accounts.ActFor(ctx, m.OnBehalfOf, accountsv1.DelegatedAction_DELEGATED_ACTION_TRANSFER)
	if err != nil {
		return err
	}
	to, err := k.recipientOf(ctx, m.Recipient)
	if err != nil {
		return err
	}
	st := store(ctx.Store)
	bc := newBatchCache(st)
	who := k.who(ctx.Store)
	var picks []pick
	if m.Quantity > 0 {
		picks, err = selectOldest(st, bc, ctx.Account, who, m.Filter, func(*creditsv1.Batch) error { return nil }, m.Quantity)
		err = k.explainShortfall(ctx.Store, ctx.Account, err, nil)
	} else {
		picks, err = selectSerials(bc, m.Serials)
	}
	if err != nil {
		return err
	}
	sender := ctx.Signer.Hex()
	if agent != 0 {
		var q uint64
		for _, p := range picks {
			q += p.quantity()
		}
		if err := k.accounts.ChargeDelegation(ctx, ctx.Account, agent, q); err != nil {
			return err
		}
		sender = k.addressOf(ctx.Store, ctx.Account)
	}
	recipient := k.addressOf(ctx.Store, to)
	for _, p := range picks {
		err := carve(st, p.b, p.start, p.end, requireHeld(ctx, p.b, ctx.Account, who), func(r *creditsv1.Range) { r.OwnerAccount = to })
		if err != nil {
			return err
		}
		attrs := make([]module.Attr, 0, 7)
		attrs = append(attrs,
			module.Indexed("batch", p.b.Id),
			module.Indexed("sender", sender),
			module.Indexed("recipient", recipient),
			module.Indexed("serials", types.FormatSerial(types.SerialOf(p.b, p.start, p.end))),
			module.Plain("quantity", strconv.FormatUint(p.quantity(), 10)))
		if agent != 0 {
			// The transfer's record (its event) names both accounts.
			attrs = append(attrs, module.Indexed("agent_account", strconv.FormatUint(agent, 10)), module.Indexed("agent", ctx.Signer.Hex()))
		}
		ctx.Emit(EventTransfer, attrs...)
	}
	return nil
}

// recipientOf is the account that credits sent by ctx.Account to recipient
// (an address) may go to: another, active account, and one of the
// sender's trusted recipients if it restricts its transfers (x/accounts).
// Transfers and two-step transfer offers share it: an accepted offer moves
// credits as surely as a transfer.
func (k *Keeper) recipientOf(ctx module.Context, recipient string) (uint64, error) {
	toAddr, _ := parseAddress(recipient)
	to, err := k.accountOf(ctx.Store, toAddr, "recipient")
	if err != nil {
		return 0, err
	}
	if to == ctx.Account {
		return 0, ErrInvalidMsg.Wrapf("recipient %s is the sender", toAddr.Hex())
	}
	if !k.accounts.IsActive(ctx.Store, to) {
		return 0, ErrRecipientInactive.Wrapf("%s is not an open, active account; credits can go only to active accounts", k.accounts.Describe(ctx.Store, to))
	}
	if err := k.accounts.MayTransferTo(ctx.Store, ctx.Account, to, ctx.Height); err != nil {
		return 0, err
	}
	return to, nil
}
