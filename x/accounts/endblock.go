package accounts

import (
	"encoding/binary"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// EndBlock implements module.EndBlocker. At the end of every block it
//
//  1. expires the pending proposals whose expires_height is this block, in
//     key order (expiry height, then id);
//  2. expires the pending actions (of accounts with threshold policies)
//     whose last height has come, at most MaxExpiriesPerBlock of them;
//  3. reports to CometBFT every validator whose power the block's applied
//     proposals changed, in key order, with its final power (0: removed).
//     A key touched twice in one block is reported once, as CometBFT
//     requires, and not at all if it ends the block with the power it
//     started with. CometBFT applies the updates from height H+2.
func (k *Keeper) EndBlock(ctx module.Context) ([]abci.ValidatorUpdate, error) {
	k.expireProposals(ctx)
	k.expireActions(ctx)

	st := k.store(ctx.Store)
	it := st.Iterator(types.UpdatedPrefix, module.PrefixEnd(types.UpdatedPrefix))
	type touched struct {
		pk     []byte
		before int64
	}
	var keys []touched
	for ; it.Valid(); it.Next() {
		keys = append(keys, touched{
			pk:     append([]byte(nil), it.Key()[len(types.UpdatedPrefix):]...),
			before: int64(binary.BigEndian.Uint64(it.Value())),
		})
	}
	it.Close()

	var updates []abci.ValidatorUpdate
	for _, t := range keys {
		st.Delete(types.UpdatedKey(t.pk))
		power := int64(0)
		if v := k.GetValidator(ctx.Store, t.pk); v != nil {
			power = v.Power
		}
		if power == t.before {
			continue // back where it started: nothing to tell CometBFT
		}
		updates = append(updates, abci.ValidatorUpdate{PubKeyType: PubKeyTypeEd25519, PubKeyBytes: t.pk, Power: power})
	}
	return updates, nil
}

var _ module.EndBlocker = (*Keeper)(nil)
