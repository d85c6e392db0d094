package credits_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Ministries label batches after issuance; each change is a record of who,
// when and why, provable; a retirement checks the labels as they stand at
// its height and keeps them in its record.
func TestLabelsAfterIssuanceWithHistory(t *testing.T) {
	c := newChain(t, holders("alice"), genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 100}}})
	first := &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE, CorsiaPhase: creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST}
	corsia := func(start uint64) *creditsv1.MsgRetire {
		return &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, start, start+9)}, Beneficiary: "Airline K.K.", Use: creditsv1.Use_USE_CORSIA, FiscalYear: 2025}
	}
	label := func(l *creditsv1.Label, remove bool, why string) *creditsv1.MsgSetBatchLabel {
		return &creditsv1.MsgSetBatchLabel{BatchId: "JC-00000001", Label: l, Remove: remove, Reason: why}
	}

	rejects(t, c, credits.ErrUseNotAllowed, "alice", corsia(1))
	rejects(t, c, credits.ErrUnauthorized, "alice", label(first, false, "self-certified"))
	rejects(t, c, credits.ErrInvalidLabel, "meti", label(&creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE}, false, "no phase"))
	rejects(t, c, credits.ErrInvalidMsg, "meti", label(first, false, ""))
	added := c.MustExec("meti", label(first, false, "ICAO TAB: J-Credit eligible for the first phase"))
	addedAt := c.Height
	rejects(t, c, credits.ErrInvalidLabel, "moe", label(first, false, "again"))

	// Under the label: allowed, and the record keeps the label.
	rec := retirementOf(t, c, retirementID(t, c.MustExec("alice", corsia(1))))
	if len(rec.Blocks[0].Labels) != 1 || rec.Blocks[0].Labels[0].SinceHeight != addedAt || rec.CorsiaPhase != first.CorsiaPhase {
		t.Fatalf("record %v", rec)
	}
	// A corresponding adjustment: requested, then applied (a change).
	ca := &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORRESPONDING_ADJUSTMENT, Adjustment: creditsv1.AdjustmentStatus_ADJUSTMENT_STATUS_REQUESTED}
	c.MustExec("moe", label(ca, false, "host-country letter requested"))
	ca = &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORRESPONDING_ADJUSTMENT, Adjustment: creditsv1.AdjustmentStatus_ADJUSTMENT_STATUS_APPLIED}
	c.MustExec("moe", label(ca, false, "applied in the biennial transparency report"))
	// Removed: CORSIA retirements are refused from that height; the earlier
	// record is untouched.
	c.MustExec("maff", label(first, true, "vintage outside the eligibility window"))
	rejects(t, c, credits.ErrUseNotAllowed, "alice", corsia(11))
	rejects(t, c, credits.ErrInvalidLabel, "maff", label(first, true, "twice"))
	if again := retirementOf(t, c, rec.Id); len(again.Blocks[0].Labels) != 1 {
		t.Fatalf("the earlier record changed: %v", again)
	}
	b := batchOf(t, c, "JC-00000001")
	if b.LabelChanges != 4 || len(b.Labels) != 1 || b.Labels[0].Adjustment != creditsv1.AdjustmentStatus_ADJUSTMENT_STATUS_APPLIED {
		t.Fatalf("batch labels %v (%d changes)", b.Labels, b.LabelChanges)
	}

	// The history: who, when, why, each change provable.
	wants := []struct {
		action creditsv1.LabelAction
		who    string
		why    string
	}{
		{creditsv1.LabelAction_LABEL_ACTION_ADDED, "meti", "ICAO TAB"},
		{creditsv1.LabelAction_LABEL_ACTION_ADDED, "moe", "requested"},
		{creditsv1.LabelAction_LABEL_ACTION_CHANGED, "moe", "applied"},
		{creditsv1.LabelAction_LABEL_ACTION_REMOVED, "maff", "eligibility window"},
	}
	for i, w := range wants {
		n := uint64(i + 1)
		q := c.Ask("/credits/LabelChange", &creditsv1.QueryLabelChangeRequest{BatchId: "JC-00000001", Number: n}, true)
		if q.Code != 0 || q.ProofOps == nil || !bytes.Equal(q.Key, creditstypes.LabelChangeStoreKey(1, n)) {
			t.Fatalf("label change %d: %d %s", n, q.Code, q.Log)
		}
		ans := &creditsv1.QueryLabelChangeResponse{}
		if err := module.UnmarshalJSON(q.Value, ans); err != nil {
			t.Fatal(err)
		}
		ch := ans.Change
		if ch.Action != w.action || ch.Ministry != apptest.Addr(w.who).Hex() || ch.MinistryAccount != c.AccountNumber(w.who) ||
			!strings.Contains(ch.Reason, w.why) || ch.Height == 0 || ch.TxHash == "" {
			t.Fatalf("change %d: %v", n, ch)
		}
		if n == 3 && ch.Previous.GetAdjustment() != creditsv1.AdjustmentStatus_ADJUSTMENT_STATUS_REQUESTED {
			t.Fatalf("change 3 does not say what it changed: %v", ch)
		}
	}
	hist := &creditsv1.QueryLabelChangesResponse{}
	if err := c.Read("/credits/LabelChanges", &creditsv1.QueryLabelChangesRequest{BatchId: "JC-00000001"}, hist); err != nil || len(hist.Changes) != 4 || len(hist.Labels) != 1 {
		t.Fatalf("label-changes: %v %+v", err, hist)
	}
	if !hasEvent(added.Events, credits.EventLabel, "label", "LABEL_KIND_CORSIA_ELIGIBLE") {
		t.Fatalf("no label event: %v", added.Events)
	}
}

// v0.2.0's yes/no CORSIA flag, in a genesis, becomes a first-phase label
// with a history record.
func TestCorsiaFlagBecomesAFirstPhaseLabel(t *testing.T) {
	c := newChain(t, holders("alice"), genBatch{category: re, vintageStart: "2024-04-01", corsia: true, alloc: []alloc{{"alice", 10}}})
	b := batchOf(t, c, "JC-00000001")
	if b.CorsiaEligible || len(b.Labels) != 1 || b.Labels[0].CorsiaPhase != creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST || b.LabelChanges != 1 {
		t.Fatalf("batch %v", b)
	}
}
