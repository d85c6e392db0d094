package credits_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// addCancellations adds k cancellations to a registry's genesis, each of
// the first active credit of a batch, the batches in turn (every seventh
// draws a second block from the next batch), cut from the active tails.
func addCancellations(reg *apptest.Registry, k int) {
	tail := map[string]*creditsv1.Range{}
	for _, r := range reg.Ranges {
		if r.Status == creditsv1.RangeStatus_RANGE_STATUS_ACTIVE {
			tail[r.BatchId] = r
		}
	}
	take := func(b *creditsv1.Batch, id string) *creditsv1.SerialBlock {
		t := tail[b.Id]
		s := t.Start
		t.Start++
		reg.Ranges = append(reg.Ranges, &creditsv1.Range{BatchId: b.Id, Start: s, End: s, Owner: t.Owner,
			Status: creditsv1.RangeStatus_RANGE_STATUS_CANCELLED, CancellationId: id})
		return &creditsv1.SerialBlock{BatchId: b.Id, Start: s, End: s, Serials: creditstypes.FormatSerial(creditstypes.SerialOf(b, s, s))}
	}
	for i := 0; i < k; i++ {
		id := creditstypes.CancellationID(uint64(i + 1))
		c := &creditsv1.Cancellation{Id: id, Ministry: apptest.Addr("meti").Hex(), Reason: fmt.Sprintf("double counting %d", i),
			Height: 1, Time: timestamppb.New(apptest.RegistryStart.Add(time.Duration(i) * time.Hour))}
		c.Blocks = append(c.Blocks, take(reg.Batches[i%len(reg.Batches)], id))
		if i%7 == 6 {
			c.Blocks = append(c.Blocks, take(reg.Batches[(i+1)%len(reg.Batches)], id))
		}
		c.Quantity = uint64(len(c.Blocks))
		reg.Cancellations = append(reg.Cancellations, c)
	}
}

// TestCancellationsByBatchMatchABruteForceScan lists each batch's
// cancellations through its index (xb/), page by page both ways while
// ministries cancel more, and checks them against a scan of every record
// at the walk's height: the same records in the same order (by id).
func TestCancellationsByBatchMatchABruteForceScan(t *testing.T) {
	reg := apptest.NewRegistry(20, 2_000)
	addCancellations(reg, 300)
	c := apptest.New(t, app.GenesisState{"accounts": apptest.AccountsGenesis(apptest.DefaultAccounts()), "credits": mustJSON(t, reg.Genesis())})
	written := 0
	cancel := func() {
		written++
		b := reg.Batches[written%len(reg.Batches)]
		out := &creditsv1.QueryRangesResponse{}
		if err := c.Read("/credits/Ranges", &creditsv1.QueryRangesRequest{BatchId: b.Id, Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE,
			Page: &queryv1.PageRequest{Limit: 1}}, out); err != nil {
			t.Fatal(err)
		}
		for _, x := range out.Ranges {
			c.MustExec("meti", &creditsv1.MsgCancel{Serials: []string{creditstypes.FormatSerial(creditstypes.SerialOf(b, x.Start, x.Start))},
				Reason: fmt.Sprintf("cancelled while listing %d", written)})
			return
		}
		t.Fatalf("meti holds nothing active in %s", b.Id)
	}
	for _, batch := range []string{"JC-00000001", "JC-00000007", "JC-00000008", "JC-00000020", "JC-00000099", ""} {
		for _, reverse := range []bool{false, true} {
			snap, err := c.App.Snapshot()
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			prefix := module.Key([]byte(creditstypes.StorePrefix), creditstypes.CancellationPrefix)
			it := snap.Iterator(prefix, module.PrefixEnd(prefix))
			for ; it.Valid(); it.Next() {
				x := &creditsv1.Cancellation{}
				if err := proto.Unmarshal(it.Value(), x); err != nil {
					t.Fatal(err)
				}
				for _, bl := range x.Blocks {
					if batch == "" || bl.BatchId == batch {
						want = append(want, x.Id)
						break
					}
				}
			}
			it.Close()
			var got []string
			cursor := ""
			for pages := 1; ; pages++ {
				out := &creditsv1.QueryCancellationsResponse{}
				if err := c.Read("/credits/Cancellations", &creditsv1.QueryCancellationsRequest{BatchId: batch,
					Page: &queryv1.PageRequest{Limit: 4, Cursor: cursor, Reverse: reverse}}, out); err != nil {
					t.Fatal(err)
				}
				for _, x := range out.Cancellations {
					got = append(got, x.Id)
				}
				if cursor = out.Page.NextCursor; cursor == "" {
					break
				}
				if pages%2 == 0 && written < 40 {
					cancel()
				}
			}
			if reverse {
				slices.Reverse(got)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") || (batch != "JC-00000099" && len(want) == 0) {
				t.Fatalf("batch %q reverse=%v: %v, the scan finds %v", batch, reverse, got, want)
			}
		}
	}
	if written < 20 {
		t.Fatalf("%d cancellations written between pages", written)
	}
}
