package credits

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The use table in state. Every version is kept under ut/<version>, so that
// the rules a retirement was checked against (its rule_version) can be read
// and proven for as long as the retirement can. The current version is the
// sequence s/usetable. Only a ministry quorum replaces it: x/accounts calls
// CheckUseTable when a ministry proposes a table and ApplyUseTable when the
// quorum approves it (MsgProposeUseTable, accounts Proposal field 12).

// UseTable returns version v of the use table (nil if there is none).
func (k *Keeper) UseTable(s module.KVStore, v uint64) (*creditsv1.UseTable, error) {
	return getUseTable(store(s), v)
}

// CurrentUseTable returns the use table in force.
func (k *Keeper) CurrentUseTable(s module.KVStore) (*creditsv1.UseTable, error) {
	st := store(s)
	t, err := getUseTable(st, readSeq(st, types.SeqUseTable))
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, module.ErrInternal.Wrapf("no use table in state")
	}
	return t, nil
}

func getUseTable(st module.KVStore, v uint64) (*creditsv1.UseTable, error) {
	bz := st.Get(types.UseTableKey(v))
	if bz == nil {
		return nil, nil
	}
	t := &creditsv1.UseTable{}
	if err := proto.Unmarshal(bz, t); err != nil {
		return nil, module.ErrInternal.Wrapf("use table %d: %v", v, err)
	}
	return t, nil
}

// putUseTable stores t under its version; current makes it the table in
// force.
func putUseTable(st module.KVStore, t *creditsv1.UseTable, current bool) {
	st.Set(types.UseTableKey(t.Version), marshal(t))
	if current {
		st.Set(types.SeqKey(types.SeqUseTable), module.Uint64(t.Version))
	}
}

// CheckUseTable checks a proposed table (x/accounts calls it when a
// ministry proposes one, and again when the quorum approves it). Its
// version, height, time and proposal id are the registry's to set: what a
// proposal says there (say, a table copied from a query) is replaced.
func (k *Keeper) CheckUseTable(_ module.Context, t *creditsv1.UseTable) error {
	return ValidateUseTable(t)
}

// ApplyUseTable makes t the next version of the use table, in force from
// the transaction that reached the quorum on; retirements checked earlier
// keep naming the version they were checked against.
func (k *Keeper) ApplyUseTable(ctx module.Context, t *creditsv1.UseTable, proposal uint64) (uint64, error) {
	if err := k.CheckUseTable(ctx, t); err != nil {
		return 0, err
	}
	st := store(ctx.Store)
	t = proto.Clone(t).(*creditsv1.UseTable)
	t.Version = readSeq(st, types.SeqUseTable) + 1
	t.Height, t.Time, t.ProposalId = ctx.Height, timestamppb.New(ctx.Time), proposal
	putUseTable(st, t, true)
	ctx.Emit(EventUseTable,
		module.Indexed("version", fmt.Sprint(t.Version)),
		module.Indexed("proposal", fmt.Sprint(proposal)),
		module.Plain("rows", fmt.Sprint(len(t.Rules))),
		module.Plain("note", t.Note))
	return t.Version, nil
}
