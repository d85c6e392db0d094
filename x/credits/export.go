package credits

import (
	"encoding/json"
	"fmt"

	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// ExportGenesis implements module.Module: every batch (with its labels,
// counters, official identifiers, legacy origin and energy quantities),
// every range of every owner and status, every retirement and cancellation
// record as committed (ids, serial blocks, heights, times, tx hashes),
// every version of the use table and every label change, in store-key
// order, with the id sequences. The indexes (owner, report, certification
// number, legacy serials, the retirements' account, beneficiary, fiscal
// year, use, time, project and category indexes, and the time-order key)
// are rebuilt from the records by InitGenesis, and
// so are the statistics and account totals (stats.go: derived, never
// exported; RebuildStats).
func (k *Keeper) ExportGenesis(s module.KVStore) (json.RawMessage, error) {
	st := store(s)
	g := &creditsv1.GenesisState{}
	each := func(prefix []byte, what string, fresh func() proto.Message, add func(proto.Message)) error {
		return module.Records(st, prefix, func(key, v []byte) error {
			m := fresh()
			if err := proto.Unmarshal(v, m); err != nil {
				return fmt.Errorf("%s %x: %w", what, key, err)
			}
			add(m)
			return nil
		})
	}
	steps := []error{
		each(types.BatchPrefix, "batch", func() proto.Message { return &creditsv1.Batch{} },
			func(m proto.Message) { g.Batches = append(g.Batches, m.(*creditsv1.Batch)) }),
		each(types.RangePrefix, "range", func() proto.Message { return &creditsv1.Range{} },
			func(m proto.Message) { g.Ranges = append(g.Ranges, m.(*creditsv1.Range)) }),
		each(types.RetirementPrefix, "retirement", func() proto.Message { return &creditsv1.Retirement{} },
			func(m proto.Message) { g.Retirements = append(g.Retirements, m.(*creditsv1.Retirement)) }),
		each(types.CancellationPrefix, "cancellation", func() proto.Message { return &creditsv1.Cancellation{} },
			func(m proto.Message) { g.Cancellations = append(g.Cancellations, m.(*creditsv1.Cancellation)) }),
		each(types.UseTablePrefix, "use table", func() proto.Message { return &creditsv1.UseTable{} },
			func(m proto.Message) { g.UseTables = append(g.UseTables, m.(*creditsv1.UseTable)) }),
		each(types.LabelChangePrefix, "label change", func() proto.Message { return &creditsv1.LabelChange{} },
			func(m proto.Message) { g.LabelChanges = append(g.LabelChanges, m.(*creditsv1.LabelChange)) }),
		// Settlement locks, open and closed (the expiry index is rebuilt),
		// and the GX-ETS totals.
		each(types.LockPrefix, "lock", func() proto.Message { return &creditsv1.Lock{} },
			func(m proto.Message) { g.Locks = append(g.Locks, m.(*creditsv1.Lock)) }),
		each(types.GxRetiredPrefix, "GX-ETS total", func() proto.Message { return &creditsv1.GxRetired{} },
			func(m proto.Message) { g.GxRetired = append(g.GxRetired, m.(*creditsv1.GxRetired)) }),
		// Open offers of credits for sale, and their sequence.
		each(types.OfferPrefix, "offer", func() proto.Message { return &creditsv1.Offer{} },
			func(m proto.Message) { g.Offers = append(g.Offers, m.(*creditsv1.Offer)) }),
	}
	for _, err := range steps {
		if err != nil {
			return nil, err
		}
	}
	g.LastBatchNumber = readSeq(st, types.SeqBatch)
	g.LastRetirementNumber = readSeq(st, types.SeqRetirement)
	g.LastCancellationNumber = readSeq(st, types.SeqCancellation)
	g.CurrentUseTable = readSeq(st, types.SeqUseTable)
	g.LastOfferNumber = readSeq(st, types.SeqOffer)
	return module.MarshalGenesis(g)
}

// seqFrom is the sequence InitGenesis writes: the genesis's (an export's)
// if given, else the highest number listed.
func seqFrom(given, highest uint64) uint64 {
	if given != 0 {
		return given
	}
	return highest
}

// validateSeqs checks that an export's sequences are not behind the
// records it lists (the next record would reuse an id).
func validateSeqs(g *creditsv1.GenesisState) error {
	var batch, ret, can uint64
	for _, b := range g.Batches {
		batch = max(batch, b.Number)
	}
	for _, r := range g.Retirements {
		n, _ := types.ParseRetirementID(r.Id)
		ret = max(ret, n)
	}
	for _, c := range g.Cancellations {
		n, _ := types.ParseCancellationID(c.Id)
		can = max(can, n)
	}
	for _, c := range []struct {
		name          string
		given, listed uint64
	}{{"last_batch_number", g.LastBatchNumber, batch}, {"last_retirement_number", g.LastRetirementNumber, ret}, {"last_cancellation_number", g.LastCancellationNumber, can}} {
		if c.given != 0 && c.given < c.listed {
			return ErrInvalidGenesis.Wrapf("%s %d is below the highest number listed, %d", c.name, c.given, c.listed)
		}
	}
	return nil
}
