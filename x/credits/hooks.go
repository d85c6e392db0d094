package credits

import (
	"encoding/binary"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Key rotation needs nothing from this module: ranges, the owner index and
// the retirement indexes name accounts by number, which a rotation keeps.
// Retired and cancelled ranges never change again.

// CanClose implements accounts.AccountHook: an account holding active
// credits must transfer or retire them before it is closed, and one whose
// credits are locked must wait until the lock closes.
func (k *Keeper) CanClose(ctx module.Context, n uint64) error {
	st := store(ctx.Store)
	lp := types.OwnerStatusPrefix(n, creditsv1.RangeStatus_RANGE_STATUS_LOCKED)
	if lit := st.Iterator(lp, module.PrefixEnd(lp)); lit.Valid() {
		lit.Close()
		return ErrHoldsCredits.Wrapf("%s has credits locked for a settlement agent; they must be settled, released or expire first", k.accounts.Describe(ctx.Store, n))
	} else {
		lit.Close()
	}
	p := types.OwnerStatusPrefix(n, creditsv1.RangeStatus_RANGE_STATUS_ACTIVE)
	it := st.Iterator(p, module.PrefixEnd(p))
	defer it.Close()
	if !it.Valid() {
		return nil
	}
	b, s, _ := types.ParseOwnerKey(it.Key())
	end := binary.BigEndian.Uint64(it.Value())
	who := k.accounts.Describe(ctx.Store, n)
	batch, err := getBatch(st, b)
	if err != nil || batch == nil {
		return ErrHoldsCredits.Wrapf("%s holds active credits of batch %s; transfer or retire them first", who, types.BatchID(b))
	}
	return ErrHoldsCredits.Wrapf("%s holds active credits (e.g. %s); transfer or retire them first", who, types.FormatSerial(types.SerialOf(batch, s, end)))
}
