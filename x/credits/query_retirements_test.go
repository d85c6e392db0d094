package credits_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// filterCases are retirement filters alone and combined, over an
// apptest.NewRegistry: every filter the list takes, and combinations that
// walk several indexes in step (with a date range or not), the batch's
// ranges, or nothing at all; dates and fiscal years moved by shift years
// (the registry's records moved so), then cases of the chain's own
// records.
func filterCases(c *apptest.Chain, shift int) []*creditsv1.QueryRetirementsRequest {
	meti, moe := apptest.Addr("meti").Hex(), apptest.Addr("moe").Hex()
	forest, heat := creditsv1.Category_CATEGORY_FOREST, creditsv1.Category_CATEGORY_RENEWABLE_HEAT
	other, offset := creditsv1.Use_USE_OTHER, creditsv1.Use_USE_CARBON_OFFSET
	p1, p2 := apptest.RegistryProjects[0], apptest.RegistryProjects[1]
	benef := apptest.RegistryBeneficiaries[2]
	cases := []*creditsv1.QueryRetirementsRequest{
		{},
		{Account: meti},
		{Account: fmt.Sprint(c.AccountNumber("moe"))},
		{BeneficiaryAccount: moe},
		{Beneficiary: benef},
		{FiscalYear: 2024},
		{Use: other},
		{FromDate: "2024-01-10", ToDate: "2024-02-20"},
		{FromDate: "2025-06-01"},
		{ToDate: "2023-06-30"},
		{FromDate: "2030-01-01"},
		{BatchId: "JC-00000007"},
		{ProjectId: p2},
		{ProjectId: "JCP-999999"},
		{Category: forest},
		{ProjectId: p1, Category: heat},
		{ProjectId: p2, FromDate: "2024-03-01", ToDate: "2024-05-31"},
		{Category: forest, Use: offset, FromDate: "2023-10-01", ToDate: "2024-09-30"},
		{Account: meti, FiscalYear: 2024, Category: forest},
		{Beneficiary: benef, ProjectId: p1, FromDate: "2023-04-01", ToDate: "2025-03-31"},
		{Use: other, FiscalYear: 2025, ProjectId: p2, Category: heat},
		{BeneficiaryAccount: moe, Account: meti, Use: offset},
		{BatchId: "JC-00000011", FromDate: "2024-01-01", ToDate: "2025-12-31"},
		{BatchId: "JC-00000011", Account: meti},
		{BatchId: "JC-00000012", ProjectId: p2, Category: heat},
	}
	date := func(d string) string {
		if d == "" {
			return ""
		}
		return fmt.Sprint(int(d[0]-'0')*1000+int(d[1]-'0')*100+int(d[2]-'0')*10+int(d[3]-'0')+shift) + d[4:]
	}
	for _, q := range cases {
		q.FromDate, q.ToDate = date(q.FromDate), date(q.ToDate)
		if q.FiscalYear != 0 {
			q.FiscalYear = uint32(int(q.FiscalYear) + shift)
		}
	}
	return append(cases,
		&creditsv1.QueryRetirementsRequest{FromDate: "2026-04-01"},
		&creditsv1.QueryRetirementsRequest{Account: meti, Category: forest, FromDate: "2026-04-01", ToDate: "2026-04-30"},
		&creditsv1.QueryRetirementsRequest{FiscalYear: 2026, Use: other})
}

// TestRetirementFiltersMatchABruteForceScan lists the retirements under
// every filter case, page by page forward and backward, over a registry of
// 10^4 retirements while retirements are written between pages, and
// checks that each walk lists exactly the records a scan of every record
// at the walk's height admits: in number order (a batch alone: each once,
// in the batch's serial order), none twice. Twice: with the registry's
// records dated before the chain's (its retirements then keep time order,
// and a date range is two seeks in the time index), and as
// apptest.NewRegistry dates them, partly after the chain's genesis, so
// that the chain's retirements are dated before earlier-numbered ones
// (the date range is then checked on every record, and a page of a narrow
// range may stop short at the scan budget).
func TestRetirementFiltersMatchABruteForceScan(t *testing.T) {
	for _, shifted := range []bool{true, false} {
		t.Run(fmt.Sprintf("in_time_order=%v", shifted), func(t *testing.T) {
			reg := apptest.NewRegistry(100, 10_000)
			shift := 0
			if shifted {
				shift = -4
				for _, r := range reg.Retirements {
					when := r.Time.AsTime().AddDate(-4, 0, 0)
					r.Time.Seconds, r.FiscalYear = when.Unix(), apptest.FiscalYear(when)
				}
			}
			c := apptest.New(t, app.GenesisState{"accounts": apptest.AccountsGenesis(apptest.DefaultAccounts()), "credits": mustJSON(t, reg.Genesis())})
			written := 0
			write := func() {
				written++
				c.MustExec("meti", &creditsv1.MsgRetire{
					Quantity: 1, Filter: &creditsv1.Filter{BatchId: creditstypes.BatchID(uint64(written%40 + 1))},
					Beneficiary: apptest.RegistryBeneficiaries[written%len(apptest.RegistryBeneficiaries)],
					Uses:        []creditsv1.Use{creditsv1.Use_USE_OTHER}, FiscalYear: 2026, Details: fmt.Sprintf("written while listing %d", written),
				})
			}
			for round := 0; round < 2; round++ {
				for i, req := range filterCases(c, shift) {
					for _, reverse := range []bool{false, true} {
						snap, err := c.App.Snapshot()
						if err != nil {
							t.Fatal(err)
						}
						want := bruteForce(t, snap, c, req)
						got := listAll(t, c, req, reverse, 211, !shifted, write)
						if reverse {
							slices.Reverse(got)
						}
						if req.BatchId != "" && req.Account == "" && req.BeneficiaryAccount == "" {
							// Each once, in the batch's order; the set is the scan's.
							slices.Sort(got)
						}
						if strings.Join(got, ",") != strings.Join(want, ",") {
							at := 0
							for at < min(len(got), len(want)) && got[at] == want[at] {
								at++
							}
							t.Fatalf("round %d, case %d %v reverse=%v: listed %d records, the scan finds %d; they differ from the %dth: %v, want %v",
								round, i, req, reverse, len(got), len(want), at+1, got[at:min(at+3, len(got))], want[at:min(at+3, len(want))])
						}
						if i == 0 && len(want) < 10_000 {
							t.Fatalf("%d records", len(want))
						}
					}
				}
				// The chain's retirements are dated after the registry's
				// only when it was shifted back.
				snap, _ := c.App.Snapshot()
				if disordered := snap.Get(module.Key([]byte(creditstypes.StorePrefix), creditstypes.RetirementTimeOrderKey())) != nil; disordered != (!shifted && written > 0) {
					t.Fatalf("round %d: time order broken = %v after %d writes", round, disordered, written)
				}
			}
			if written < 100 {
				t.Fatalf("only %d retirements written between pages", written)
			}
		})
	}
}

// listAll walks a retirements list to its end with pages of limit,
// calling between(), which commits a block, after every third page, and
// returns the ids listed. Every record is listed once; no page stops short
// at the scan budget unless partialOK.
func listAll(t *testing.T, c *apptest.Chain, req *creditsv1.QueryRetirementsRequest, reverse bool, limit uint32, partialOK bool, between func()) []string {
	t.Helper()
	var ids []string
	seen := map[string]bool{}
	cursor := ""
	for pages := 1; ; pages++ {
		q := proto.CloneOf(req)
		q.Page = &queryv1.PageRequest{Limit: limit, Cursor: cursor, Reverse: reverse}
		out := &creditsv1.QueryRetirementsResponse{}
		if err := c.Read("/credits/Retirements", q, out); err != nil {
			t.Fatalf("%v: %v", req, err)
		}
		if len(out.Retirements) > int(limit) || (out.Page.Partial && !partialOK) {
			t.Fatalf("%v: a page of %d, partial %v", req, len(out.Retirements), out.Page.Partial)
		}
		for _, r := range out.Retirements {
			if seen[r.Id] {
				t.Fatalf("%v: %s listed twice", req, r.Id)
			}
			seen[r.Id] = true
			ids = append(ids, r.Id)
		}
		if cursor = out.Page.NextCursor; cursor == "" {
			return ids
		}
		if between != nil && pages%3 == 0 {
			between()
		}
	}
}

// bruteForce reads every retirement record of a state and keeps those req
// admits, written from the filters' meaning, not from the query's code.
func bruteForce(t *testing.T, snap module.KVStore, c *apptest.Chain, req *creditsv1.QueryRetirementsRequest) []string {
	t.Helper()
	num := func(arg string) uint64 {
		if arg == "" {
			return 0
		}
		for _, name := range []string{"meti", "moe", "maff", "secretariat"} {
			if arg == apptest.Addr(name).Hex() || arg == fmt.Sprint(c.AccountNumber(name)) {
				return c.AccountNumber(name)
			}
		}
		t.Fatalf("account %q", arg)
		return 0
	}
	account, benefAccount := num(req.Account), num(req.BeneficiaryAccount)
	day := func(s string, plus int) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, time.FixedZone("JST", 9*3600))
		if err != nil {
			t.Fatal(err)
		}
		return d.AddDate(0, 0, plus)
	}
	batches := map[string]*creditsv1.Batch{}
	prefix := module.Key([]byte(creditstypes.StorePrefix), creditstypes.BatchPrefix)
	it := snap.Iterator(prefix, module.PrefixEnd(prefix))
	for ; it.Valid(); it.Next() {
		b := &creditsv1.Batch{}
		if err := proto.Unmarshal(it.Value(), b); err != nil {
			t.Fatal(err)
		}
		batches[b.Id] = b
	}
	it.Close()
	var ids []string
	prefix = module.Key([]byte(creditstypes.StorePrefix), creditstypes.RetirementPrefix)
	it = snap.Iterator(prefix, module.PrefixEnd(prefix))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		r := &creditsv1.Retirement{}
		if err := proto.Unmarshal(it.Value(), r); err != nil {
			t.Fatal(err)
		}
		at := r.Time.AsTime()
		switch {
		case req.Account != "" && r.AccountNumber != account,
			req.BeneficiaryAccount != "" && r.BeneficiaryAccountNumber != benefAccount,
			req.Beneficiary != "" && r.Beneficiary != req.Beneficiary,
			req.FiscalYear != 0 && r.FiscalYear != req.FiscalYear,
			req.Use != 0 && !slices.Contains(r.Uses, req.Use),
			req.FromDate != "" && at.Before(day(req.FromDate, 0)),
			req.ToDate != "" && !at.Before(day(req.ToDate, 1)):
			continue
		}
		block := false
		for _, bl := range r.Blocks {
			b := batches[bl.BatchId]
			if (req.BatchId == "" || bl.BatchId == req.BatchId) && (req.ProjectId == "" || b.ProjectId == req.ProjectId) &&
				(req.Category == 0 || b.Category == req.Category) {
				block = true
			}
		}
		if block {
			ids = append(ids, r.Id)
		}
	}
	return ids
}

// TestRetirementsCursorIsOfItsList: a cursor made by another list, or
// bytes that are no cursor of this walk, are refused with a message.
func TestRetirementsCursorIsOfItsList(t *testing.T) {
	reg := apptest.NewRegistry(10, 300)
	c := apptest.New(t, app.GenesisState{"accounts": apptest.AccountsGenesis(apptest.DefaultAccounts()), "credits": mustJSON(t, reg.Genesis())})
	out := &creditsv1.QueryRetirementsResponse{}
	if err := c.Read("/credits/Retirements", &creditsv1.QueryRetirementsRequest{FiscalYear: 2023, Page: &queryv1.PageRequest{Limit: 5}}, out); err != nil || out.Page.NextCursor == "" {
		t.Fatalf("%v %v", out.Page, err)
	}
	err := c.Read("/credits/Retirements", &creditsv1.QueryRetirementsRequest{Use: creditsv1.Use_USE_OTHER, Page: &queryv1.PageRequest{Cursor: out.Page.NextCursor}}, out)
	if err == nil || !strings.Contains(err.Error(), "another query") {
		t.Fatalf("another list's cursor: %v", err)
	}
}

// TestRetirementsPageStopsAtTheScanBudget: indexes walked in step that
// never agree (use "other" on the even numbers, beneficiary "B" on the odd
// ones, over 12,000 records) cost a step each; a page stops after
// module.ScanBudget entries, partial, with a cursor that goes on from
// there, and the walk ends, empty, both ways.
func TestRetirementsPageStopsAtTheScanBudget(t *testing.T) {
	reg := apptest.NewRegistry(20, 12_000)
	for i, r := range reg.Retirements {
		r.Uses, r.Beneficiary = []creditsv1.Use{creditsv1.Use_USE_CARBON_OFFSET}, "A"
		if i%2 == 1 { // number i+1 even
			r.Uses = []creditsv1.Use{creditsv1.Use_USE_OTHER}
		} else {
			r.Beneficiary = "B"
		}
	}
	r, s := queriesOver(t, reg)
	for _, reverse := range []bool{false, true} {
		partial, pages := 0, 0
		cursor := ""
		for {
			pages++
			rt, _ := r.Route("/credits/Retirements")
			res, err := rt.Answer(module.QueryContext{Store: s, Height: 1}, &creditsv1.QueryRetirementsRequest{
				Use: creditsv1.Use_USE_OTHER, Beneficiary: "B", Page: &queryv1.PageRequest{Cursor: cursor, Reverse: reverse}})
			if err != nil {
				t.Fatal(err)
			}
			out := &creditsv1.QueryRetirementsResponse{}
			if err := module.UnmarshalJSON(res.Value, out); err != nil {
				t.Fatal(err)
			}
			if len(out.Retirements) != 0 {
				t.Fatalf("listed %s", out.Retirements[0].Id)
			}
			if out.Page.Partial {
				partial++
				if out.Page.NextCursor == "" || out.Page.Scanned < module.ScanBudget {
					t.Fatalf("a partial page: %v", out.Page)
				}
			}
			if cursor = out.Page.NextCursor; cursor == "" {
				break
			}
			if pages > 10 {
				t.Fatal("the walk does not end")
			}
		}
		if partial == 0 {
			t.Fatalf("reverse=%v: no page stopped at the scan budget", reverse)
		}
	}
}
