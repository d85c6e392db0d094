package credits_test

import (
	"strings"
	"testing"
	"time"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/upgradetest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The rules around the table: several reports from one retirement, the
// reporting fiscal year, what a report needs in the record, and errors a
// person can act on.

// One retirement may count in several reports of one company and one
// scope (活用範囲); every batch drawn must satisfy every use; uses of
// different scopes are refused; every failing rule is named.
func TestOneRetirementSeveralReportsOfOneScope(t *testing.T) {
	c := newChain(t, holders("alice"),
		genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 100}}},
		genBatch{category: rh, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 100}}},
		genBatch{category: forest, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 100}}})
	uses := []creditsv1.Use{creditsv1.Use_USE_GLOBAL_WARMING_ACT, creditsv1.Use_USE_CDP, creditsv1.Use_USE_RE100}
	res := c.MustExec("alice", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 1, 10)}, Beneficiary: "Alice K.K.", Uses: uses, FiscalYear: 2025})
	rec := retirementOf(t, c, retirementID(t, res))
	if len(rec.Uses) != 3 || rec.Uses[2] != creditsv1.Use_USE_RE100 {
		t.Fatalf("uses %v", rec.Uses)
	}
	for _, u := range uses {
		list := &creditsv1.QueryRetirementsResponse{}
		if err := c.Read("/credits/Retirements", &creditsv1.QueryRetirementsRequest{Use: u}, list); err != nil || len(list.Retirements) != 1 {
			t.Fatalf("retirements for %s: %v %d", u, err, len(list.Retirements))
		}
	}
	// RE100 refuses renewable heat: the whole retirement is refused.
	rejects(t, c, credits.ErrUseNotAllowed, "alice", &creditsv1.MsgRetire{Serials: []string{ser(2, rh, 2024, 1, 10)}, Beneficiary: "Alice K.K.", Uses: uses, FiscalYear: 2025})
	// By quantity, only credits every use takes are drawn (the RE batch).
	res = c.MustExec("alice", &creditsv1.MsgRetire{Quantity: 50, Beneficiary: "Alice K.K.", Uses: uses, FiscalYear: 2025})
	if rec := retirementOf(t, c, retirementID(t, res)); len(rec.Blocks) != 1 || rec.Blocks[0].BatchId != "JC-00000001" {
		t.Fatalf("blocks %v", rec.Blocks)
	}
	// Scopes: the company's own emissions, the electricity it sells, an
	// offset target, CORSIA, GX-ETS, other — never two in one retirement.
	for _, pair := range [][]creditsv1.Use{
		{creditsv1.Use_USE_GLOBAL_WARMING_ACT, creditsv1.Use_USE_GLOBAL_WARMING_ACT_EMISSION_FACTOR},
		{creditsv1.Use_USE_RE100, creditsv1.Use_USE_GX_ETS},
		{creditsv1.Use_USE_CDP, creditsv1.Use_USE_OTHER},
		{creditsv1.Use_USE_GLOBAL_WARMING_ACT, creditsv1.Use_USE_CORSIA},
	} {
		rejects(t, c, credits.ErrScopeMismatch, "alice", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 60, 60)}, Beneficiary: "Alice K.K.", Uses: pair, FiscalYear: 2025})
	}
	rejects(t, c, credits.ErrScopeMismatch, "alice", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 60, 60)}, Beneficiary: "Alice K.K.",
		Uses: []creditsv1.Use{creditsv1.Use_USE_CARBON_OFFSET, creditsv1.Use_USE_CDP}, FiscalYear: 2025, OffsetTarget: tokyoEvent})
	// Every rule that fails is named, under the first one's code.
	res = execRefused(t, c, "alice", &creditsv1.MsgRetire{Serials: []string{ser(3, forest, 2024, 1, 1)}, Beneficiary: "Alice K.K.",
		Uses: []creditsv1.Use{creditsv1.Use_USE_RE100, creditsv1.Use_USE_ENERGY_CONSERVATION_ACT}, FiscalYear: 2027})
	if res.Code != credits.ErrUseNotAllowed.Code || !strings.Contains(res.Log, "3 rules fail") || !strings.Contains(res.Log, "RE100") ||
		!strings.Contains(res.Log, "省エネ法") || !strings.Contains(res.Log, "allowed: 2024, 2025, 2026") {
		t.Fatalf("refusal %d: %s", res.Code, res.Log)
	}
	rejects(t, c, credits.ErrInvalidMsg, "alice", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 60, 60)}, Beneficiary: "Alice K.K.",
		Uses: []creditsv1.Use{creditsv1.Use_USE_CDP, creditsv1.Use_USE_CDP}, FiscalYear: 2025})
	rejects(t, c, credits.ErrInvalidMsg, "alice", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 60, 60)}, Beneficiary: "Alice K.K.",
		Use: creditsv1.Use_USE_CDP, Uses: []creditsv1.Use{creditsv1.Use_USE_RE100}, FiscalYear: 2025})
}

// The reporting fiscal year is checked against the block time in JST: 温対法
// counts the retirement's fiscal year, or the previous one until 30 June;
// other uses a year from the earliest vintage drawn to the current one.
// Edges: 31 March 23:59, 1 April 00:00, 30 June 23:59, 1 July 00:00 (JST).
func TestReportingFiscalYearAtTheEdges(t *testing.T) {
	c := newChain(t, holders("alice"), genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 1000}}})
	gwa := creditsv1.Use_USE_GLOBAL_WARMING_ACT
	serial := uint64(0)
	retire := func(fy uint32, uses ...creditsv1.Use) *creditsv1.MsgRetire {
		serial++
		return &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, serial, serial)}, Beneficiary: "Alice K.K.", Uses: uses, FiscalYear: fy}
	}
	// at runs the checks in consecutive blocks ending at the edge (checks
	// at an edge's start begin there).
	jst := creditstypes.JST
	type check struct {
		msg  *creditsv1.MsgRetire
		want *module.Error
		log  string
	}
	at := func(first time.Time, checks ...check) {
		t.Helper()
		c.Time = first.Add(-time.Minute) // each block adds a minute
		for _, ch := range checks {
			if ch.want == allowed {
				c.MustExec("alice", ch.msg)
				continue
			}
			res := execRefused(t, c, "alice", ch.msg)
			if res.Codespace != ch.want.Codespace || res.Code != ch.want.Code || !strings.Contains(res.Log, ch.log) {
				t.Fatalf("at %s, fiscal %d for %v: %s/%d %s", c.Time.In(jst), ch.msg.FiscalYear, ch.msg.Uses, res.Codespace, res.Code, res.Log)
			}
		}
	}
	cdp := creditsv1.Use_USE_CDP
	// 31 March 2027, 23:57-23:59 JST: fiscal 2026, no grace.
	at(time.Date(2027, 3, 31, 23, 57, 0, 0, jst),
		check{retire(2025, gwa), credits.ErrFiscalYear, "allowed: 2026"},
		check{retire(2027, gwa), credits.ErrFiscalYear, "allowed: 2026"},
		check{retire(2026, gwa), allowed, ""})
	// 1 April 2027, 00:00-00:02 JST: fiscal 2027; 温対法 may still count 2026.
	at(time.Date(2027, 4, 1, 0, 0, 0, 0, jst),
		check{retire(2026, gwa), allowed, ""},
		check{retire(2027, gwa), allowed, ""},
		check{retire(2025, gwa), credits.ErrFiscalYear, "allowed: 2026, 2027"})
	// 30 June 2027, 23:57-23:59 JST: the last minutes of the grace period.
	at(time.Date(2027, 6, 30, 23, 57, 0, 0, jst),
		check{retire(2028, gwa), credits.ErrFiscalYear, "allowed: 2026, 2027"},
		check{retire(2026, cdp, gwa), allowed, ""},
		check{retire(2026, gwa), allowed, ""})
	// 1 July 2027, 00:00 JST on: only 2027 for 温対法; CDP from the vintage
	// (2024) to 2027; together, their common years.
	at(time.Date(2027, 7, 1, 0, 0, 0, 0, jst),
		check{retire(2026, gwa), credits.ErrFiscalYear, "allowed: 2027"},
		check{retire(2027, gwa), allowed, ""},
		check{retire(2024, cdp), allowed, ""},
		check{retire(2023, cdp), credits.ErrFiscalYear, "allowed: 2024, 2025, 2026, 2027"},
		check{retire(2028, cdp), credits.ErrFiscalYear, "earliest vintage drawn (2024)"},
		check{retire(2026, cdp, gwa), credits.ErrFiscalYear, "allowed: 2027"})
	// The same instant written in UTC: 30 June 15:00 UTC is 1 July JST.
	c.Time = time.Date(2028, 6, 30, 14, 59, 0, 0, time.UTC)
	if res := execRefused(t, c, "alice", retire(2027, gwa)); res.Code != credits.ErrFiscalYear.Code {
		t.Fatalf("1 July 2028 00:00 JST, fiscal 2027: %s", res.Log)
	}
}

// A retirement record carries what a report needs: for each block the
// project, methodology, category, vintage, identifiers, origin, labels and
// its share of the batch's energy (shares sum to the batch's exactly), and
// the legal names of the accounts at its height.
func TestRetirementRecordCarriesWhatAReportNeeds(t *testing.T) {
	c := newChain(t, holders("alice"), genBatch{category: re, vintageStart: "2024-04-01", scheme: "JCL", electricityKwh: 1_234_567,
		labels: corsiaLabel(creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST), alloc: []alloc{{"alice", 1000}}})
	var sum uint64
	for _, blk := range [][2]uint64{{1, 333}, {334, 666}, {667, 1000}} {
		res := c.MustExec("alice", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, blk[0], blk[1])}, Beneficiary: "Alice K.K.",
			Uses: []creditsv1.Use{creditsv1.Use_USE_RE100, creditsv1.Use_USE_KEIDANREN}, FiscalYear: 2025})
		rec := retirementOf(t, c, retirementID(t, res))
		b := rec.Blocks[0]
		if b.ProjectId != "P-1" || b.ProjectName != "Project 1" || b.Methodology != "EN-S-001" || b.Category != re ||
			b.VintageStart != "2024-04-01" || b.VintageEnd != "2024-12-31" || b.SchemeSymbol != "JCL" || b.CreditType != "ERL" ||
			b.CertificationNumber != "R-1" || b.Origin.GetPrefectureCode() != "26" || len(b.Labels) != 1 ||
			rec.AccountLegalName != "alice" || rec.ElectricityKwh != b.ElectricityKwh || rec.RuleVersion != 1 {
			t.Fatalf("record %v", rec)
		}
		sum += b.ElectricityKwh
	}
	if sum != 1_234_567 {
		t.Fatalf("the blocks carry %d kWh of the batch's 1234567", sum)
	}
}

// A retirement by quantity that finds nothing says what the account does
// hold, batch by batch, and whether the uses take each; so does a
// transfer.
func TestAShortfallSaysWhatTheAccountHolds(t *testing.T) {
	c := newChain(t, holders("alice", "bob"),
		genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 100}}},
		genBatch{category: forest, vintageStart: "2023-04-01", alloc: []alloc{{"alice", 40}}})
	res := execRefused(t, c, "alice", &creditsv1.MsgRetire{Quantity: 10, Filter: &creditsv1.Filter{Category: rh}, Beneficiary: "Alice K.K.", Use: creditsv1.Use_USE_RE100, FiscalYear: 2025})
	if res.Code != credits.ErrInsufficient.Code || !strings.Contains(res.Log, "holds 140 active credits") ||
		!strings.Contains(res.Log, "100 of JC-00000001 (renewable electricity, JC/ER, vintage 2024): accepted") ||
		!strings.Contains(res.Log, "40 of JC-00000002 (forest, JC/FM, vintage 2023): not accepted: RE100 accepts renewable electricity credits") {
		t.Fatalf("%s", res.Log)
	}
	res = execRefused(t, c, "alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 500})
	if res.Code != credits.ErrInsufficient.Code || !strings.Contains(res.Log, "holds 140 active credits: 40 of JC-00000002") {
		t.Fatalf("%s", res.Log)
	}
	res = execRefused(t, c, "bob", &creditsv1.MsgTransfer{Recipient: apptest.Addr("alice").Hex(), Quantity: 5})
	if !strings.Contains(res.Log, "it holds no active credits") {
		t.Fatalf("%s", res.Log)
	}
}

// A key rotated away is told where its account went — the address it signs
// with now, after every later rotation — whether it signs or is named as
// a recipient, not to open a new account.
func TestARotatedKeyIsToldWhereItsAccountWent(t *testing.T) {
	c := newChain(t, holders("alice", "bob"), genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 10}, {"bob", 10}}})
	upgradetest.Rotate(c, "alice", "alice-2")
	upgradetest.Rotate(c, "alice-2", "alice-3")
	now := apptest.Addr("alice-3").Hex()
	res := execRefused(t, c, "bob", &creditsv1.MsgTransfer{Recipient: apptest.Addr("alice").Hex(), Quantity: 1})
	if res.Code != credits.ErrRecipientInactive.Code || !strings.Contains(res.Log, "now signs with "+now) {
		t.Fatalf("%s", res.Log)
	}
	res = execRefused(t, c, "alice-2", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 1})
	if res.Codespace != "accounts" || !strings.Contains(res.Log, "now signs with "+now) || !strings.Contains(res.Log, "do not open a new account") {
		t.Fatalf("%s", res.Log)
	}
}
