package credits_test

import (
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
)

func TestRetirementInTheMiddleOfARangeIsRecordedAndProvable(t *testing.T) {
	c := oneBatch(t)
	res := c.MustExec("alice", &creditsv1.MsgRetire{
		Serials: []string{ser(1, re, 2024, 40, 60)}, Beneficiary: "Alice Corp.", Use: creditsv1.Use_USE_RE100,
		Details: "FY2025 RE100 report", FiscalYear: 2025,
	})
	sameStrings(t, "alice", rangesOf(t, c, "alice"),
		ser(1, re, 2024, 1, 39)+" ACTIVE", ser(1, re, 2024, 61, 100)+" ACTIVE", ser(1, re, 2024, 40, 60)+" RETIRED")
	b := batchOf(t, c, "JC-00000001")
	if b.Issued != 100 || b.Active != 79 || b.Retired != 21 || b.Cancelled != 0 {
		t.Fatalf("supply %+v", b)
	}
	rec := serialOf(t, c, ser(1, re, 2024, 45, 45)).Retirement
	if rec.Id != "JCR-00000001" || rec.Quantity != 21 || rec.Beneficiary != "Alice Corp." || len(rec.Uses) != 1 || rec.Uses[0] != creditsv1.Use_USE_RE100 || rec.RuleVersion != 1 || rec.AccountLegalName != "alice" ||
		rec.FiscalYear != 2025 || rec.Account != apptest.Addr("alice").Hex() || rec.Height != c.Height || rec.TxHash == "" ||
		len(rec.Blocks) != 1 || rec.Blocks[0].Serials != ser(1, re, 2024, 40, 60) {
		t.Fatalf("record %+v", rec)
	}
	// The record is in committed state: a proof of its key verifies against
	// the app hash (checked by the proof tooling; here: the proof is there).
	q := c.Ask("/credits/Retirement", &creditsv1.QueryRetirementRequest{Id: "JCR-00000001"}, true)
	if q.Code != 0 || q.ProofOps == nil || string(q.Key) != string(creditstypes.RetirementStoreKey("JCR-00000001")) {
		t.Fatalf("retirement query: code %d key %q proof %v", q.Code, q.Key, q.ProofOps)
	}
	if !hasEvent(res.Events, "credits.retire", "retirement_id", "JCR-00000001") {
		t.Fatalf("no credits.retire event: %v", res.Events)
	}
	for _, req := range []*creditsv1.QueryRetirementsRequest{
		{Account: apptest.Addr("alice").Hex()},
		{Beneficiary: "Alice Corp."},
		{FiscalYear: 2025},
		{Use: creditsv1.Use_USE_RE100},
		{Account: apptest.Addr("alice").Hex(), Beneficiary: "Alice Corp.", FiscalYear: 2025, Use: creditsv1.Use_USE_RE100,
			BatchId: "JC-00000001", Category: re, FromDate: "2000-01-01"},
	} {
		list := &creditsv1.QueryRetirementsResponse{}
		if err := c.Read("/credits/Retirements", req, list); err != nil || len(list.Retirements) != 1 {
			t.Fatalf("%v: %v %d", req, err, len(list.Retirements))
		}
	}
}

func TestRetiringARetiredSerialIsRejected(t *testing.T) {
	c := oneBatch(t)
	retire := &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 10, 20)}, Beneficiary: "Alice", Use: creditsv1.Use_USE_CARBON_OFFSET, FiscalYear: 2025, OffsetTarget: tokyoEvent}
	c.MustExec("alice", retire)
	rejects(t, c, credits.ErrNotActive, "alice", retire)
	rejects(t, c, credits.ErrNotActive, "alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{ser(1, re, 2024, 15, 30)}})
}

func TestEachUseAcceptsOnlyItsCategories(t *testing.T) {
	c := newChain(t, holders("alice"),
		genBatch{category: forest, vintageStart: "2023-04-01", alloc: []alloc{{"alice", 10}}},
		genBatch{category: es, vintageStart: "2023-04-01", alloc: []alloc{{"alice", 10}}},
		genBatch{category: re, vintageStart: "2024-04-01", corsia: true, alloc: []alloc{{"alice", 10}}})
	retire := func(use creditsv1.Use, serial string) *creditsv1.MsgRetire {
		return &creditsv1.MsgRetire{Serials: []string{serial}, Beneficiary: "Alice", Use: use, FiscalYear: 2025}
	}
	rejects(t, c, credits.ErrUseNotAllowed, "alice", retire(creditsv1.Use_USE_RE100, ser(1, forest, 2023, 1, 1)))
	rejects(t, c, credits.ErrUseNotAllowed, "alice", retire(creditsv1.Use_USE_ENERGY_CONSERVATION_ACT, ser(3, re, 2024, 1, 1)))
	rejects(t, c, credits.ErrUseNotAllowed, "alice", retire(creditsv1.Use_USE_CORSIA, ser(2, es, 2023, 1, 1)))
	c.MustExec("alice", retire(creditsv1.Use_USE_ENERGY_CONSERVATION_ACT, ser(2, es, 2023, 1, 1)))
	c.MustExec("alice", retire(creditsv1.Use_USE_CORSIA, ser(3, re, 2024, 1, 1)))
	// By quantity, a use takes only the credits it accepts: the oldest
	// renewable-electricity ones for RE100, skipping older forest and
	// energy-saving batches.
	c.MustExec("alice", &creditsv1.MsgRetire{Quantity: 5, Beneficiary: "Alice", Use: creditsv1.Use_USE_RE100, FiscalYear: 2025})
	if b := batchOf(t, c, "JC-00000003"); b.Retired != 6 {
		t.Fatalf("batch 3 retired %d", b.Retired)
	}
	rejects(t, c, credits.ErrInsufficient, "alice", &creditsv1.MsgRetire{Quantity: 5, Beneficiary: "Alice", Use: creditsv1.Use_USE_RE100, FiscalYear: 2025})
}

func TestOnlyAProviderRetiresOnAClientsBehalf(t *testing.T) {
	c := newChain(t, append(holders("alice", "client"), holder{name: "provider", roles: []accountsv1.Role{accountsv1.Role_ROLE_PROVIDER}}),
		genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 10}, {"provider", 10}}})
	onBehalf := func(qty uint64) *creditsv1.MsgRetire {
		return &creditsv1.MsgRetire{Quantity: qty, Beneficiary: "Client K.K.", BeneficiaryAccount: apptest.Addr("client").Hex(),
			Use: creditsv1.Use_USE_CARBON_OFFSET, FiscalYear: 2025, OffsetTarget: tokyoEvent}
	}
	rejects(t, c, credits.ErrUnauthorized, "alice", onBehalf(1))
	c.MustExec("provider", onBehalf(4))
	list := &creditsv1.QueryRetirementsResponse{}
	if err := c.Read("/credits/Retirements", &creditsv1.QueryRetirementsRequest{BeneficiaryAccount: apptest.Addr("client").Hex()}, list); err != nil || len(list.Retirements) != 1 {
		t.Fatalf("client's retirements: %v %d", err, len(list.Retirements))
	}
}

// TestARolledBackRetirementIsNotCited (issue 10 finding 6): a transaction
// that retires serials and then moves them again fails as a whole, so the
// retirement id its first message allocated never exists; the refusal
// must not cite it as if it did. An earlier, committed retirement is
// cited.
func TestARolledBackRetirementIsNotCited(t *testing.T) {
	c := oneBatch(t)
	retire := &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 10, 20)}, Beneficiary: "Alice", Use: creditsv1.Use_USE_CARBON_OFFSET, FiscalYear: 2025, OffsetTarget: tokyoEvent}
	move := &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{ser(1, re, 2024, 15, 30)}}
	res := c.ExecFails("alice", retire, move)
	if res.Code != credits.ErrNotActive.Code || strings.Contains(res.Log, "JCR-") || !strings.Contains(res.Log, "same transaction") {
		t.Fatalf("refusal %d %q cites a retirement that was rolled back", res.Code, res.Log)
	}
	if q := c.Ask("/credits/Retirement", &creditsv1.QueryRetirementRequest{Id: "JCR-00000001"}, false); q.Code == 0 {
		t.Fatal("the rolled-back retirement exists")
	}
	cancel := &creditsv1.MsgCancel{Serials: []string{ser(1, re, 2024, 10, 20)}, Reason: "double counting"}
	res = c.ExecFails("meti", cancel, cancel)
	if res.Code != credits.ErrNotActive.Code || strings.Contains(res.Log, "JCX-") {
		t.Fatalf("refusal %d %q cites a cancellation that was rolled back", res.Code, res.Log)
	}
	c.MustExec("alice", retire)
	res = c.ExecFails("alice", move)
	if !strings.Contains(res.Log, "was retired (JCR-00000001)") {
		t.Fatalf("a committed retirement is not cited: %q", res.Log)
	}
}
