package credits

import (
	"encoding/hex"
	"fmt"

	"google.golang.org/protobuf/types/known/timestamppb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateCancel checks MsgCancel without state.
func validateCancel(m *creditsv1.MsgCancel) error {
	if len(m.Serials) == 0 || len(m.Serials) > MaxSerialsPerMsg {
		return ErrInvalidMsg.Wrapf("name 1 to %d serial blocks to cancel", MaxSerialsPerMsg)
	}
	for _, s := range m.Serials {
		if _, err := types.ParseSerial(s); err != nil {
			return err
		}
	}
	if p := module.TextProblem(m.Reason, MaxDetailsLen, true); p != "" {
		return ErrInvalidMsg.Wrapf("a cancellation needs a reason of 1 to %d bytes of plain text; this reason %s", MaxDetailsLen, p)
	}
	return nil
}

// Cancel lets a ministry cancel (取消) active credits, whoever holds them,
// permanently and with a reason (for example credits issued on a report
// later found wrong). Retired or already cancelled credits cannot be
// cancelled. Credits locked for a settlement agent can: each lock holding
// any of them ends (status CANCELLED, naming this cancellation), its
// other credits return to the holder, and the cancellation record lists
// the locks it released.
func (k *Keeper) Cancel(ctx module.Context, m *creditsv1.MsgCancel) error {
	if !k.accounts.HasRole(ctx.Store, ctx.Account, accountsv1.Role_ROLE_MINISTRY) {
		return ErrUnauthorized.Wrapf("cancelling credits requires the ministry role; %s does not hold it", ctx.Signer.Hex())
	}
	st := store(ctx.Store)
	bc := newBatchCache(st)
	picks, err := selectSerials(bc, m.Serials)
	if err != nil {
		return err
	}
	n := nextSeq(st, types.SeqCancellation)
	rec := &creditsv1.Cancellation{
		Id:              types.CancellationID(n),
		Ministry:        ctx.Signer.Hex(),
		MinistryAccount: ctx.Account,
		Reason:          m.Reason,
		Height:          ctx.Height,
		Time:            timestamppb.New(ctx.Time),
		TxHash:          hex.EncodeToString(ctx.TxHash),
	}
	var t tally
	// Locked credits may be cancelled: their locks end first (the other
	// credits of those locks return to their holders), and the record
	// names them.
	if rec.ReleasedLocks, err = k.releaseLocksFor(ctx, bc, picks, rec.Id); err != nil {
		return err
	}
	for _, p := range picks {
		var pieces []*creditsv1.Range
		err := carve(st, p.b, p.start, p.end, requireActive(ctx, p.b), func(r *creditsv1.Range) {
			r.Status, r.CancellationId = creditsv1.RangeStatus_RANGE_STATUS_CANCELLED, rec.Id
			pieces = append(pieces, r)
		})
		if err != nil {
			return err
		}
		q := p.quantity()
		p.b.Active -= q
		p.b.Cancelled += q
		moveSupply(&t, p.b, creditsv1.StatMeasure_STAT_MEASURE_ACTIVE, creditsv1.StatMeasure_STAT_MEASURE_CANCELLED, q)
		rec.Quantity += q
		rec.Blocks = append(rec.Blocks, p.block())
		for _, r := range pieces {
			ctx.Emit(EventCancel,
				module.Indexed("cancellation_id", rec.Id),
				module.Indexed("account", k.addressOf(ctx.Store, r.OwnerAccount)),
				module.Indexed("batch", p.b.Id),
				module.Indexed("serials", types.FormatSerial(types.SerialOf(p.b, r.Start, r.End))),
				module.Plain("quantity", fmt.Sprint(r.End-r.Start+1)),
				module.Plain("ministry", rec.Ministry),
				module.Plain("reason", rec.Reason))
		}
	}
	bc.save()
	if err := saveCancellation(st, rec, n); err != nil {
		return err
	}
	return t.save(st)
}
