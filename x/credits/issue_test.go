package credits_test

import (
	"errors"
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
)

func TestIssueBatchWritesOneRangePerAllocation(t *testing.T) {
	e := newKeeperEnv(t, "alice", "bob")
	id, err := e.cred.IssueBatch(e.ctx, e.request("R-1", creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, "alice", 1_000_000_000, "bob", 5))
	if err != nil {
		t.Fatal(err)
	}
	if id != "JC-00000001" {
		t.Fatalf("batch id %s", id)
	}
	b, err := e.cred.GetBatch(e.cache, id)
	if err != nil {
		t.Fatal(err)
	}
	if b.Issued != 1_000_000_005 || b.Active != b.Issued || b.Retired != 0 || b.Cancelled != 0 {
		t.Fatalf("supply %d/%d/%d/%d", b.Issued, b.Active, b.Retired, b.Cancelled)
	}
	for _, c := range []struct {
		serial uint64
		owner  string
	}{{1, "alice"}, {500_000_000, "alice"}, {1_000_000_000, "alice"}, {1_000_000_001, "bob"}, {1_000_000_005, "bob"}} {
		s := creditstypes.Serial{Batch: 1, Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageYear: 2024, Start: c.serial, End: c.serial}
		r, _, key, err := credits.FindRange(e.cache, s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if r.OwnerAccount != e.num(c.owner) || r.OwnerAccount == 0 || r.Status != creditsv1.RangeStatus_RANGE_STATUS_ACTIVE || len(key) == 0 {
			t.Fatalf("%s: %+v", s, r)
		}
	}
	s := creditstypes.Serial{Batch: 1, Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageYear: 2024, Start: 1_000_000_006, End: 1_000_000_006}
	if _, _, _, err := credits.FindRange(e.cache, s); !errors.Is(err, credits.ErrUnknownSerial) {
		t.Fatalf("beyond the batch: %v", err)
	}
}

func TestIssueBatchRejects(t *testing.T) {
	e := newKeeperEnv(t, "alice", "bob")
	if _, err := e.cred.IssueBatch(e.ctx, e.request("R-1", creditsv1.Category_CATEGORY_FOREST, "alice", 10)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		req  *creditsv1.IssuanceRequest
		want error
	}{
		{"report already issued", e.request("R-1", creditsv1.Category_CATEGORY_FOREST, "alice", 10), credits.ErrAlreadyIssued},
		{"no account", e.request("R-2", creditsv1.Category_CATEGORY_FOREST, "carol", 10), credits.ErrRecipientInactive},
		{"zero quantity", e.request("R-2", creditsv1.Category_CATEGORY_FOREST, "alice", 0), credits.ErrInvalidIssuance},
		{"no allocation", e.request("R-2", creditsv1.Category_CATEGORY_FOREST), credits.ErrInvalidIssuance},
		{"recipient twice", e.request("R-2", creditsv1.Category_CATEGORY_FOREST, "alice", 1, "alice", 2), credits.ErrInvalidIssuance},
		{"unknown category", e.request("R-2", creditsv1.Category_CATEGORY_UNSPECIFIED, "alice", 1), credits.ErrInvalidIssuance},
		{"bad vintage", func() *creditsv1.IssuanceRequest {
			r := e.request("R-2", creditsv1.Category_CATEGORY_FOREST, "alice", 1)
			r.VintageStart = "2024-4-1"
			return r
		}(), credits.ErrInvalidIssuance},
		{"vintage reversed", func() *creditsv1.IssuanceRequest {
			r := e.request("R-2", creditsv1.Category_CATEGORY_FOREST, "alice", 1)
			r.VintageEnd = "2023-03-31"
			return r
		}(), credits.ErrInvalidIssuance},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := e.cred.IssueBatch(e.ctx, c.req); !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}
