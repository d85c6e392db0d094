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
// credits must transfer or retire them before it is closed.
func (k *Keeper) CanClose(ctx module.Context, n uint64) error {
	st := store(ctx.Store)
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
