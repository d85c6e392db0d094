package credits

import (
	"bytes"
	"fmt"

	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// MaxNameLen bounds beneficiary names; MaxDetailsLen purpose details and
// cancellation reasons.
const (
	MaxNameLen    = 256
	MaxDetailsLen = 1024
)

// saveRetirement writes a retirement record (number n) and its indexes
// (types.RetirementIndexKeys). Retirements are permanent, so nothing ever
// deletes an entry. Callers save records in number order (the chain by
// construction, InitGenesis and the v2 migration by sorting or walking in
// id order), which is what lets it notice a record dated before an
// earlier-numbered one with one reverse seek: it then records the number
// under types.RetirementTimeOrderKey (once), and date-range lists stop
// trusting the time index's number order (query_retirements.go).
//
// A block that does not record its project or category (records of a
// genesis written before blocks carried them) is indexed under its
// batch's, read here; the record itself is stored as given.
func saveRetirement(st module.KVStore, r *creditsv1.Retirement, n uint64) error {
	st.Set(types.RetirementKey(r.Id), marshal(r))
	ix := r
	for i, b := range r.Blocks {
		if b.ProjectId != "" && b.Category != 0 {
			continue
		}
		if ix == r {
			ix = proto.CloneOf(r)
		}
		bn, err := types.ParseBatchID(b.BatchId)
		if err != nil {
			return fmt.Errorf("retirement %s names batch %q: %w", r.Id, b.BatchId, err)
		}
		batch, err := getBatch(st, bn)
		if err != nil {
			return err
		}
		if batch == nil {
			return fmt.Errorf("retirement %s names batch %s, which does not exist", r.Id, b.BatchId)
		}
		ix.Blocks[i].ProjectId, ix.Blocks[i].Category = batch.ProjectId, batch.Category
	}
	if st.Get(types.RetirementTimeOrderKey()) == nil {
		it := st.ReverseIterator(types.ByTimePrefix, module.PrefixEnd(types.ByTimePrefix))
		late := it.Valid() && bytes.Compare(it.Key()[len(types.ByTimePrefix):][:types.TimeHeadLen], types.TimeHead(r.GetTime().AsTime())) > 0
		it.Close()
		if late {
			st.Set(types.RetirementTimeOrderKey(), module.Uint64(n))
		}
	}
	for _, key := range types.RetirementIndexKeys(ix, n) {
		st.Set(key, module.IndexValue)
	}
	return nil
}

// saveCancellation writes a cancellation record (number n) and its batch
// index entries (types.CancellationIndexKeys); cancellations are
// permanent, so nothing deletes them.
func saveCancellation(st module.KVStore, c *creditsv1.Cancellation, n uint64) error {
	keys, err := types.CancellationIndexKeys(c, n)
	if err != nil {
		return fmt.Errorf("cancellation %s: %w", c.Id, err)
	}
	st.Set(types.CancellationKey(c.Id), marshal(c))
	for _, key := range keys {
		st.Set(key, module.IndexValue)
	}
	return nil
}
