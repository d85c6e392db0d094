package credits_test

import (
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
)

// A batch's ranges tile its serials in order, each with its status,
// holder and record, paged by the one cursor scheme; the status filter
// keeps one kind; a malformed or unknown batch is refused.
func TestRangesListABatchInSerialOrder(t *testing.T) {
	c := oneBatch(t)
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{ser(1, re, 2024, 51, 100)}})
	c.MustExec("alice", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 10, 20)}, Beneficiary: "Alice", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025})
	c.MustExec("meti", &creditsv1.MsgCancel{Serials: []string{ser(1, re, 2024, 41, 60)}, Reason: "double counting found in audit"})
	read := func(req *creditsv1.QueryRangesRequest) ([]string, []uint64) {
		t.Helper()
		var got []string
		var owners []uint64
		req.Page = &queryv1.PageRequest{Limit: 2}
		for {
			ans := &creditsv1.QueryRangesResponse{}
			if err := c.Read("/credits/Ranges", req, ans); err != nil {
				t.Fatal(err)
			}
			named := map[uint64]bool{}
			for _, a := range ans.Accounts {
				named[a.Number] = a.LegalName != ""
			}
			for _, r := range ans.Ranges {
				if !named[r.OwnerAccount] || r.Quantity != r.End-r.Start+1 {
					t.Fatalf("range %+v: holder not named in %v, or quantity wrong", r, ans.Accounts)
				}
				got = append(got, r.Serials+" "+strings.TrimPrefix(r.Status.String(), "RANGE_STATUS_")+" "+r.RetirementId+r.CancellationId)
				owners = append(owners, r.OwnerAccount)
			}
			if ans.Page.NextCursor == "" {
				return got, owners
			}
			req.Page.Cursor = ans.Page.NextCursor
		}
	}
	got, owners := read(&creditsv1.QueryRangesRequest{BatchId: "JC-00000001"})
	sameStrings(t, "ranges", got,
		ser(1, re, 2024, 1, 9)+" ACTIVE ", ser(1, re, 2024, 10, 20)+" RETIRED JCR-00000001", ser(1, re, 2024, 21, 40)+" ACTIVE ",
		ser(1, re, 2024, 41, 50)+" CANCELLED JCX-00000001", ser(1, re, 2024, 51, 60)+" CANCELLED JCX-00000001", ser(1, re, 2024, 61, 100)+" ACTIVE ")
	if owners[0] != owners[1] || owners[0] == owners[5] {
		t.Fatalf("holders %v: alice's first two ranges, bob's last", owners)
	}
	got, _ = read(&creditsv1.QueryRangesRequest{BatchId: "JC-00000001", Status: creditsv1.RangeStatus_RANGE_STATUS_CANCELLED})
	sameStrings(t, "cancelled ranges", got, ser(1, re, 2024, 41, 50)+" CANCELLED JCX-00000001", ser(1, re, 2024, 51, 60)+" CANCELLED JCX-00000001")
	for _, id := range []string{"JC-1", "JC-00000009"} {
		if err := c.Read("/credits/Ranges", &creditsv1.QueryRangesRequest{BatchId: id}, &creditsv1.QueryRangesResponse{}); err == nil {
			t.Fatalf("ranges of %s: no error", id)
		}
	}
}
