package credits

import (
	"encoding/binary"

	"github.com/ethereum/go-ethereum/common"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// MoveAccount implements accounts.AccountHook for key rotation: every range
// owned by from (active, retired and cancelled) is re-homed to to, with its
// owner index entry. Retirement records are history and keep the address
// that signed them, but they are indexed under to as well, so that "the
// retirements of this account" still finds them after rotation.
func (k *Keeper) MoveAccount(ctx module.Context, from, to common.Address) error {
	if from == to {
		return nil
	}
	st := store(ctx.Store)
	bc := newBatchCache(st)
	type entry struct{ batch, start uint64 }
	var entries []entry
	it := st.Iterator(module.Key(types.OwnerPrefix, from.Bytes()), module.PrefixEnd(module.Key(types.OwnerPrefix, from.Bytes())))
	for ; it.Valid(); it.Next() {
		b, s, ok := types.ParseOwnerKey(it.Key())
		if !ok {
			it.Close()
			return module.ErrInternal.Wrapf("malformed owner index entry %x", it.Key())
		}
		entries = append(entries, entry{b, s})
	}
	it.Close()
	for _, e := range entries {
		b, err := bc.get(e.batch)
		if err != nil {
			return err
		}
		r, err := getRange(st, e.batch, e.start)
		if err != nil {
			return err
		}
		if r == nil {
			return module.ErrInternal.Wrapf("owner index names a missing range %d/%d", e.batch, e.start)
		}
		delRange(st, b, r)
		r.Owner = to.Hex()
		putRange(st, b, r)
		ctx.Emit(EventMove,
			module.Indexed("batch", b.Id),
			module.Indexed("from", from.Hex()),
			module.Indexed("account", to.Hex()),
			module.Indexed("serials", types.FormatSerial(types.SerialOf(b, r.Start, r.End))))
	}
	for _, p := range [][]byte{types.ByAccountPrefix, types.ByBenefAcctPrefix} {
		head := module.Key(p, from.Bytes())
		var seqs []uint64
		it := st.Iterator(head, module.PrefixEnd(head))
		for ; it.Valid(); it.Next() {
			seqs = append(seqs, binary.BigEndian.Uint64(it.Key()[len(it.Key())-8:]))
		}
		it.Close()
		for _, n := range seqs {
			st.Set(types.RetirementIndexKey(p, to.Bytes(), n), []byte{})
		}
	}
	return nil
}

// CanClose implements accounts.AccountHook: an account holding active
// credits must transfer or retire them before it is closed.
func (k *Keeper) CanClose(ctx module.Context, addr common.Address) error {
	st := store(ctx.Store)
	p := types.OwnerStatusPrefix(addr, creditsv1.RangeStatus_RANGE_STATUS_ACTIVE)
	it := st.Iterator(p, module.PrefixEnd(p))
	defer it.Close()
	if !it.Valid() {
		return nil
	}
	b, s, _ := types.ParseOwnerKey(it.Key())
	end := binary.BigEndian.Uint64(it.Value())
	batch, err := getBatch(st, b)
	if err != nil || batch == nil {
		return ErrHoldsCredits.Wrapf("%s holds active credits of batch %s; transfer or retire them first", addr.Hex(), types.BatchID(b))
	}
	return ErrHoldsCredits.Wrapf("%s holds active credits (e.g. %s); transfer or retire them first", addr.Hex(), types.FormatSerial(types.SerialOf(batch, s, end)))
}
