package credits_test

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// statsOf reads one page of the Stats answer.
func statsOf(t testing.TB, c *apptest.Chain, req *creditsv1.QueryStatsRequest) []*creditsv1.StatRow {
	t.Helper()
	ans := &creditsv1.QueryStatsResponse{}
	if err := c.Read("/credits/Stats", req, ans); err != nil {
		t.Fatal(err)
	}
	return ans.Rows
}

// rowsText writes rows as "value issued/active/locked/retired/cancelled/retirements".
func rowsText(rows []*creditsv1.StatRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s %d/%d/%d/%d/%d/%d", r.Value, r.Issued, r.Active, r.Locked, r.Retired, r.Cancelled, r.Retirements))
	}
	return out
}

func totalsOf(t testing.TB, c *apptest.Chain, account string, use creditsv1.Use, fy uint32) []string {
	t.Helper()
	ans := &creditsv1.QueryAccountTotalsResponse{}
	if err := c.Read("/credits/AccountTotals", &creditsv1.QueryAccountTotalsRequest{Account: account, Use: use, FiscalYear: fy}, ans); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range ans.Totals {
		u := creditstypes.UseCode(r.Use)
		if u == "" {
			u = "every-use"
		}
		out = append(out, fmt.Sprintf("%s %d %d", u, r.FiscalYear, r.Retired))
	}
	return out
}

// The statistics follow every change of supply: issuance (genesis here),
// retirement for several uses, on a client's behalf, cancellation; a
// transfer changes no total; a refused retirement changes nothing. Each
// dimension's rows, the filters, and the account totals (for the
// beneficiary account, else the retiring account) are what the records
// say. The chain's end checks the invariant, which recomputes them all.
func TestStatisticsFollowEverySupplyChange(t *testing.T) {
	c := newChain(t, append(holders("alice", "bob", "client"), holder{name: "provider", roles: []accountsv1.Role{accountsv1.Role_ROLE_PROVIDER}}),
		genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 100}, {"provider", 50}}},
		genBatch{category: forest, vintageStart: "2023-04-01", origin: "01", alloc: []alloc{{"bob", 40}}})
	sameStrings(t, "total at genesis", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{})), " 190/190/0/0/0/0")

	uses := []creditsv1.Use{creditsv1.Use_USE_GLOBAL_WARMING_ACT, creditsv1.Use_USE_RE100}
	c.MustExec("alice", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 1, 10)}, Beneficiary: "Alice K.K.", Uses: uses, FiscalYear: 2025})
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{ser(1, re, 2024, 11, 30)}})
	c.MustExec("provider", &creditsv1.MsgRetire{Quantity: 5, Beneficiary: "Client K.K.", BeneficiaryAccount: apptest.Addr("client").Hex(),
		Use: creditsv1.Use_USE_RE100, FiscalYear: 2025})
	c.MustExec("bob", &creditsv1.MsgRetire{Serials: []string{ser(2, forest, 2023, 1, 7)}, Beneficiary: "Bob", Use: creditsv1.Use_USE_CARBON_OFFSET,
		FiscalYear: 2024, OffsetTarget: tokyoEvent})
	c.MustExec("meti", &creditsv1.MsgCancel{Serials: []string{ser(1, re, 2024, 90, 99)}, Reason: "report found wrong"})
	before := statsOf(t, c, &creditsv1.QueryStatsRequest{})
	rejects(t, c, credits.ErrNotActive, "alice", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 5, 12)}, Beneficiary: "Alice K.K.", Uses: uses, FiscalYear: 2025})
	sameStrings(t, "total after a refusal", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{})), rowsText(before)...)

	// 190 issued; retired 10 + 5 + 7, cancelled 10; three records.
	sameStrings(t, "total", rowsText(before), " 190/158/0/22/10/3")
	sameStrings(t, "by category", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{Dimension: creditsv1.StatDimension_STAT_DIMENSION_CATEGORY})),
		"RE 150/125/0/15/10/0", "FO 40/33/0/7/0/0")
	sameStrings(t, "by vintage", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{Dimension: creditsv1.StatDimension_STAT_DIMENSION_VINTAGE_YEAR})),
		"2023 40/33/0/7/0/0", "2024 150/125/0/15/10/0")
	sameStrings(t, "by prefecture", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{Dimension: creditsv1.StatDimension_STAT_DIMENSION_PREFECTURE})),
		"01 40/33/0/7/0/0", "26 150/125/0/15/10/0")
	sameStrings(t, "by methodology", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{Dimension: creditsv1.StatDimension_STAT_DIMENSION_METHODOLOGY})),
		"EN-S-001 190/158/0/22/10/0")
	sameStrings(t, "by fiscal year", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{Dimension: creditsv1.StatDimension_STAT_DIMENSION_FISCAL_YEAR})),
		"2024 0/0/0/7/0/1", "2025 0/0/0/15/0/2")
	// By use, a retirement counts in each of its uses.
	sameStrings(t, "by use", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{Dimension: creditsv1.StatDimension_STAT_DIMENSION_USE})),
		"global-warming-act 0/0/0/10/0/0", "carbon-offset 0/0/0/7/0/0", "re100 0/0/0/15/0/0")
	sameStrings(t, "by use in 2024", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{Dimension: creditsv1.StatDimension_STAT_DIMENSION_USE, FiscalYear: 2024})),
		"carbon-offset 0/0/0/7/0/0")
	sameStrings(t, "RE100 by year", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{Dimension: creditsv1.StatDimension_STAT_DIMENSION_FISCAL_YEAR, Use: creditsv1.Use_USE_RE100})),
		"2025 0/0/0/15/0/0")
	sameStrings(t, "RE100 in FY2025", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{Use: creditsv1.Use_USE_RE100, FiscalYear: 2025})), " 0/0/0/15/0/0")
	sameStrings(t, "RE100 in FY2024", rowsText(statsOf(t, c, &creditsv1.QueryStatsRequest{Use: creditsv1.Use_USE_RE100, FiscalYear: 2024})), " 0/0/0/0/0/0")

	// Account totals: the provider retired for its client, so they count
	// for the client; alice retired for herself.
	sameStrings(t, "alice's totals", totalsOf(t, c, apptest.Addr("alice").Hex(), 0, 0), "every-use 2025 10", "global-warming-act 2025 10", "re100 2025 10")
	sameStrings(t, "the client's", totalsOf(t, c, apptest.Addr("client").Hex(), 0, 0), "every-use 2025 5", "re100 2025 5")
	sameStrings(t, "the provider's", totalsOf(t, c, apptest.Addr("provider").Hex(), 0, 0))
	sameStrings(t, "bob's RE100", totalsOf(t, c, apptest.Addr("bob").Hex(), creditsv1.Use_USE_RE100, 0))
	sameStrings(t, "bob's 2024", totalsOf(t, c, apptest.Addr("bob").Hex(), 0, 2024), "every-use 2024 7", "carbon-offset 2024 7")

	// Filters that no counter keeps are refused, saying why.
	for _, req := range []*creditsv1.QueryStatsRequest{
		{Dimension: creditsv1.StatDimension_STAT_DIMENSION_CATEGORY, FiscalYear: 2025},
		{Dimension: creditsv1.StatDimension_STAT_DIMENSION_USE, Use: creditsv1.Use_USE_RE100},
		{Dimension: creditsv1.StatDimension_STAT_DIMENSION_FISCAL_YEAR, FiscalYear: 2025},
	} {
		if err := c.Read("/credits/Stats", req, &creditsv1.QueryStatsResponse{}); err == nil || !strings.Contains(err.Error(), "dimension") {
			t.Fatalf("%v: %v", req, err)
		}
	}
}

// The invariant catches a counter that disagrees with the records, one
// that is missing and one that should not exist.
func TestInvariantChecksTheStatistics(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  []byte
		set  uint64 // 0: delete
		want string
	}{
		{"wrong", creditstypes.StatKey(creditstypes.DimCategory, creditsv1.StatMeasure_STAT_MEASURE_ISSUED, creditstypes.CategoryValue(re)), 99, "the batches and retirement records say 100"},
		{"missing", creditstypes.StatKey(creditstypes.DimTotal, creditsv1.StatMeasure_STAT_MEASURE_RETIRED, nil), 0, "is missing"},
		{"stray", creditstypes.AccountTotalKey(7, creditsv1.Use_USE_SBTI, 2025), 3, "say 0"},
		{"stray retirement count", creditstypes.StatKey(creditstypes.DimFiscalYear, creditsv1.StatMeasure_STAT_MEASURE_RETIREMENTS, creditstypes.YearValue(2030)), 1, "say 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newKeeperEnv(t, "alice")
			if _, err := e.cred.IssueBatch(e.ctx, e.request("R-1", re, "alice", 100)); err != nil {
				t.Fatal(err)
			}
			// A retirement written by hand would need the whole message
			// path; the retired total is set, then checked absent.
			st := module.Prefix(e.cache, creditstypes.StorePrefix)
			if tc.name == "missing" {
				st.Set(tc.key, mustMarshal(t, &creditsv1.Counter{Value: 1}))
				if err := credits.CheckInvariants(e.cache); err == nil || !strings.Contains(err.Error(), "say 0") {
					t.Fatalf("stray retired total: %v", err)
				}
				if err := credits.RebuildStats(e.cache); err != nil {
					t.Fatal(err)
				}
				if err := credits.CheckInvariants(e.cache); err != nil {
					t.Fatalf("after a rebuild: %v", err)
				}
				tc.key = creditstypes.StatKey(creditstypes.DimTotal, creditsv1.StatMeasure_STAT_MEASURE_ISSUED, nil)
			}
			if err := credits.CheckInvariants(e.cache); err != nil {
				t.Fatal(err)
			}
			if tc.set == 0 {
				st.Delete(tc.key)
			} else {
				st.Set(tc.key, mustMarshal(t, &creditsv1.Counter{Value: tc.set}))
			}
			if err := credits.CheckInvariants(e.cache); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("CheckInvariants: %v, want %q", err, tc.want)
			}
		})
	}
}

func mustMarshal(t testing.TB, m proto.Message) []byte {
	t.Helper()
	bz, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return bz
}
