package credits

import (
	"fmt"

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
	to, _ := parseAddress(m.Recipient)
	if to == ctx.Signer {
		return ErrInvalidMsg.Wrapf("recipient %s is the sender", to.Hex())
	}
	if !k.accounts.IsActive(ctx.Store, to) {
		return ErrRecipientInactive.Wrapf("%s is not an open, active account; credits can go only to active accounts", to.Hex())
	}
	st := store(ctx.Store)
	bc := newBatchCache(st)
	var picks []pick
	var err error
	if m.Quantity > 0 {
		picks, err = selectOldest(st, bc, ctx.Signer, m.Filter, func(*creditsv1.Batch) error { return nil }, m.Quantity)
	} else {
		picks, err = selectSerials(bc, m.Serials)
	}
	if err != nil {
		return err
	}
	for _, p := range picks {
		err := carve(st, p.b, p.start, p.end, requireHeld(p.b, ctx.Signer), func(r *creditsv1.Range) { r.Owner = to.Hex() })
		if err != nil {
			return err
		}
		ctx.Emit(EventTransfer,
			module.Indexed("batch", p.b.Id),
			module.Indexed("sender", ctx.Signer.Hex()),
			module.Indexed("recipient", to.Hex()),
			module.Indexed("serials", types.FormatSerial(types.SerialOf(p.b, p.start, p.end))),
			module.Plain("quantity", fmt.Sprint(p.quantity())))
	}
	return nil
}
