package credits_test

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/credits/types"
)

// The conservation invariant counts locked credits: issued = active +
// locked + retired + cancelled, and every counter must match the ranges
// (none is locked until locks exist, issue 14).
func TestCheckInvariantsCountsLockedCredits(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(b *creditsv1.Batch)
		want   string
	}{
		{"consistent", func(*creditsv1.Batch) {}, ""},
		{"locked beyond issued", func(b *creditsv1.Batch) { b.Locked = 5 }, "issued 100 != active 100 + locked 5"},
		{"locked that no range holds", func(b *creditsv1.Batch) { b.Locked, b.Active = 5, b.Active-5 }, "counters active/locked/retired/cancelled 95/5/0/0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newKeeperEnv(t, "alice")
			if _, err := e.cred.IssueBatch(e.ctx, e.request("R-1", re, "alice", 100)); err != nil {
				t.Fatal(err)
			}
			b, err := e.cred.GetBatch(e.cache, "JC-00000001")
			if err != nil {
				t.Fatal(err)
			}
			tc.mutate(b)
			bz, _ := proto.Marshal(b)
			e.cache.Set(types.BatchStoreKey(1), bz)
			err = credits.CheckInvariants(e.cache)
			if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("CheckInvariants: %v, want %q", err, tc.want)
			}
		})
	}
}
