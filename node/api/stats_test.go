package api_test

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// statRows reads /api/v1/stats (one page holds every row here) as
// "value retired/retirements" or "value issued/active/retired/cancelled".
func statRows(t *testing.T, base string, params url.Values, supply bool) []string {
	t.Helper()
	status, body, _ := get(t, base+"/api/v1/stats?"+params.Encode())
	if status != 200 {
		t.Fatalf("GET /api/v1/stats?%s: %d %s", params.Encode(), status, body)
	}
	var ans creditsv1.QueryStatsResponse
	if err := module.UnmarshalJSON(body, &ans); err != nil {
		t.Fatal(err)
	}
	if ans.Page.GetNextCursor() != "" {
		t.Fatalf("stats %s: more than one page", params.Encode())
	}
	var out []string
	for _, r := range ans.Rows {
		if supply {
			out = append(out, fmt.Sprintf("%s %d/%d/%d/%d", r.Value, r.Issued, r.Active, r.Retired, r.Cancelled))
		} else {
			out = append(out, fmt.Sprintf("%s %d/%d", r.Value, r.Retired, r.Retirements))
		}
	}
	return out
}

// counted writes sums as sorted "value retired/retirements" rows.
func counted(retired, records map[string]uint64, supply bool) []string {
	var out []string
	for v, q := range retired {
		if supply {
			continue
		}
		out = append(out, fmt.Sprintf("%s %d/%d", v, q, records[v]))
	}
	sort.Strings(out)
	return out
}

func sorted(rows []string) []string {
	out := append([]string(nil), rows...)
	sort.Strings(out)
	return out
}

// The statistics kept in state equal the sums over the records they
// count, on a registry of 12,000 retirements over 1,005 batches, all read
// through the API at one height: retired and retirements in total, by
// fiscal year, by use, by use within each year; issued, active, retired by
// category and vintage year against the batches' own counters; and every
// account's totals per use and year against the retirements counted for
// it (its beneficiary account, else the retiring account).
func TestStatisticsEqualTheSumOverTheRecords(t *testing.T) {
	_, base, reg := registryNode(t)
	at := url.Values{"height": {"1"}}
	all := walk(t, base, url.Values{"height": {"1"}, "limit": {"1000"}}, nil)
	if len(all) != listRetirements {
		t.Fatalf("%d retirements listed, want %d", len(all), listRetirements)
	}
	byYear, byYearN := map[string]uint64{}, map[string]uint64{}
	byUse := map[string]uint64{}
	byUseYear := map[string]map[string]uint64{}
	type acctKey struct {
		n   uint64
		use creditsv1.Use
		fy  uint32
	}
	byAccount := map[acctKey]uint64{}
	var total uint64
	for _, r := range all {
		fy := strconv.Itoa(int(r.FiscalYear))
		total += r.Quantity
		byYear[fy] += r.Quantity
		byYearN[fy]++
		n := credits.AccountTotalsAccount(r)
		byAccount[acctKey{n, 0, r.FiscalYear}] += r.Quantity
		for _, u := range r.Uses {
			code := creditstypes.UseCode(u)
			byUse[code] += r.Quantity
			if byUseYear[code] == nil {
				byUseYear[code] = map[string]uint64{}
			}
			byUseYear[code][fy] += r.Quantity
			byAccount[acctKey{n, u, r.FiscalYear}] += r.Quantity
		}
	}
	if got := statRows(t, base, at, false); len(got) != 1 || got[0] != fmt.Sprintf(" %d/%d", total, len(all)) {
		t.Fatalf("total %v, the records say %d credits in %d retirements", got, total, len(all))
	}
	q := func(kv ...string) url.Values {
		v := url.Values{"height": {"1"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	sameStrings(t, "by fiscal year", statRows(t, base, q("dimension", "fiscal_year"), false), counted(byYear, byYearN, false))
	useRows := map[string]uint64{}
	for _, row := range statRows(t, base, q("dimension", "use"), false) {
		var v string
		var n, zero uint64
		fmt.Sscanf(row, "%s %d/%d", &v, &n, &zero)
		useRows[v] = n
	}
	if fmt.Sprint(useRows) != fmt.Sprint(byUse) {
		t.Fatalf("by use %v, the records say %v", useRows, byUse)
	}
	for code, years := range byUseYear {
		var want []string
		for fy, n := range years {
			want = append(want, fmt.Sprintf("%s %d/0", fy, n))
		}
		sameStrings(t, "years of "+code, statRows(t, base, q("dimension", "fiscal_year", "use", code), false), sorted(want))
		for fy, n := range years {
			sameStrings(t, code+" in "+fy, statRows(t, base, q("use", code, "fiscal_year", fy), false), []string{fmt.Sprintf(" %d/0", n)})
		}
	}

	// Supply by category and vintage year, against the batches.
	type supply struct{ issued, active, retired, cancelled uint64 }
	byCat, byVintage := map[string]*supply{}, map[string]*supply{}
	for _, b := range reg.Batches {
		var retired uint64
		for _, r := range reg.Retirements {
			if r.Blocks[0].BatchId == b.Id {
				retired += r.Quantity
			}
		}
		for _, k := range []struct {
			m map[string]*supply
			v string
		}{{byCat, creditstypes.CategoryCode(b.Category)}, {byVintage, strconv.Itoa(int(creditstypes.VintageYear(b.VintageStart)))}} {
			if k.m[k.v] == nil {
				k.m[k.v] = &supply{}
			}
			s := k.m[k.v]
			s.issued += b.Issued
			s.retired += retired
			s.active += b.Issued - retired
		}
	}
	for _, d := range []struct {
		dim string
		m   map[string]*supply
	}{{"category", byCat}, {"vintage_year", byVintage}} {
		var want []string
		for v, s := range d.m {
			want = append(want, fmt.Sprintf("%s %d/%d/%d/%d", v, s.issued, s.active, s.retired, s.cancelled))
		}
		sameStrings(t, "by "+d.dim, sorted(statRows(t, base, q("dimension", d.dim), true)), sorted(want))
	}

	// Every account's totals, through /api/v1/accounts/{account}/totals.
	got := map[acctKey]uint64{}
	for _, name := range apptest.RegistryRetirers {
		params := url.Values{"height": {"1"}, "limit": {"7"}}
		for {
			status, body, _ := get(t, base+"/api/v1/accounts/"+apptest.Addr(name).Hex()+"/totals?"+params.Encode())
			if status != 200 {
				t.Fatalf("totals of %s: %d %s", name, status, body)
			}
			var ans creditsv1.QueryAccountTotalsResponse
			if err := module.UnmarshalJSON(body, &ans); err != nil {
				t.Fatal(err)
			}
			for _, r := range ans.Totals {
				got[acctKey{r.AccountNumber, r.Use, r.FiscalYear}] = r.Retired
			}
			if ans.Page.GetNextCursor() == "" {
				break
			}
			params.Set("cursor", ans.Page.NextCursor)
			params.Del("height")
		}
	}
	if len(got) != len(byAccount) || len(got) < 20 {
		t.Fatalf("%d account totals read, the records give %d", len(got), len(byAccount))
	}
	for k, want := range byAccount {
		if got[k] != want {
			t.Fatalf("account %d, %s, FY%d: %d, the records say %d", k.n, k.use, k.fy, got[k], want)
		}
	}
	t.Logf("%d retirements: %d credits; %d fiscal years, %d uses, %d account totals, each equal to the sum over the records", len(all), total, len(byYear), len(byUse), len(got))
}

func sameStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s:\n got  %q\n want %q", what, got, want)
	}
}
