package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/nodetest"
	"github.com/jcredit/jcredit/node/query"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/module"
)

// The registry these tests read: 12,000 retirements (more than one page's
// scan budget) over 1,005 batches, from genesis.
const (
	listBatches     = 1005
	listRetirements = 12_000
)

// registryNode runs a real node whose genesis holds the registry, and its
// API. The genesis state is state 1: the tests that must not see later
// writes read ?height=1.
func registryNode(t *testing.T) (*node.Node, string, *apptest.Registry) {
	t.Helper()
	reg := apptest.NewRegistry(listBatches, listRetirements)
	bz, err := protojson.Marshal(reg.Genesis())
	if err != nil {
		t.Fatal(err)
	}
	n, _, base := startNodeWith(t, bz)
	return n, base, reg
}

// listPage is one list answer, decoded.
type listPage struct {
	Retirements []*creditsv1.Retirement
	Batches     []*creditsv1.Batch
	NextCursor  string
	Height      int64
	Partial     bool
	Scanned     uint32
}

func getPage(t *testing.T, base, path string, params url.Values) listPage {
	t.Helper()
	status, body, hdr := get(t, base+path+"?"+params.Encode())
	if status != 200 {
		t.Fatalf("GET %s?%s: %d %s", path, params.Encode(), status, body)
	}
	var p listPage
	switch {
	case strings.HasPrefix(path, "/api/v1/retirements"):
		var ans creditsv1.QueryRetirementsResponse
		if err := module.UnmarshalJSON(body, &ans); err != nil {
			t.Fatal(err)
		}
		p.Retirements, p.NextCursor, p.Height, p.Partial, p.Scanned = ans.Retirements, ans.Page.GetNextCursor(), ans.Page.GetHeight(), ans.Page.GetPartial(), ans.Page.GetScanned()
	case strings.HasPrefix(path, "/api/v1/batches"):
		var ans creditsv1.QueryBatchesResponse
		if err := module.UnmarshalJSON(body, &ans); err != nil {
			t.Fatal(err)
		}
		p.Batches, p.NextCursor, p.Height = ans.Batches, ans.Page.GetNextCursor(), ans.Page.GetHeight()
	}
	if h := hdr.Get("X-Jcredit-Height"); h != strconv.FormatInt(p.Height, 10) {
		t.Fatalf("GET %s: header height %s, page height %d", path, h, p.Height)
	}
	return p
}

// walk follows the cursors of a retirements query to the end.
func walk(t *testing.T, base string, params url.Values, each func(listPage)) []*creditsv1.Retirement {
	t.Helper()
	var out []*creditsv1.Retirement
	params = cloneValues(params)
	for {
		p := getPage(t, base, "/api/v1/retirements", params)
		if each != nil {
			each(p)
		}
		out = append(out, p.Retirements...)
		if p.NextCursor == "" {
			return out
		}
		params.Set("cursor", p.NextCursor)
		params.Del("height") // the cursor pins it
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func ids(rs []*creditsv1.Retirement) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Id
	}
	return out
}

func TestLists(t *testing.T) {
	n, base, reg := registryNode(t)
	c := nodetest.Client(t, n)

	// The home page's "recent batches" (issue 13: with 1,005 batches it
	// answered 1000 and 999, the first thousand reversed).
	t.Run("the newest batches are the newest", func(t *testing.T) {
		p := getPage(t, base, "/api/v1/batches", url.Values{"reverse": {"true"}, "limit": {"2"}})
		if len(p.Batches) != 2 || p.Batches[0].Id != "JC-00001005" || p.Batches[1].Id != "JC-00001004" || p.NextCursor == "" {
			t.Fatalf("recent batches: %v", p.Batches)
		}
		// And every batch is listed, oldest first, over pages: no cap.
		var all []string
		params := url.Values{"limit": {"1000"}}
		for {
			p := getPage(t, base, "/api/v1/batches", params)
			for _, b := range p.Batches {
				all = append(all, b.Id)
			}
			if p.NextCursor == "" {
				break
			}
			params.Set("cursor", p.NextCursor)
		}
		if len(all) != listBatches || all[0] != "JC-00000001" || all[listBatches-1] != "JC-00001005" {
			t.Fatalf("%d batches listed, from %s", len(all), all[0])
		}
	})

	// Paging visits every record of the walk's state exactly once while
	// blocks of new retirements are committed.
	t.Run("paging while records are written", func(t *testing.T) {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var sent int
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			nonce, err := c.Nonce(ctx, apptest.Addr(apptest.RegistryHolder))
			if err != nil {
				t.Error(err)
				return
			}
			for {
				select {
				case <-stop:
					return
				default:
				}
				body, _ := tx.Build(nodetest.ChainID, nonce, "", &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "written while paging",
					Uses: []creditsv1.Use{creditsv1.Use_USE_GLOBAL_WARMING_ACT}, FiscalYear: apptest.FiscalYear(time.Now())})
				raw, _ := tx.Sign(body, apptest.Key(apptest.RegistryHolder))
				if _, err := c.Broadcast(ctx, raw); err != nil { // waits for its block
					t.Error(err)
					return
				}
				nonce++
				sent++
			}
		}()
		for _, reverse := range []bool{false, true} {
			params := url.Values{"limit": {"300"}}
			if reverse {
				params.Set("reverse", "true")
			}
			var walkHeight int64
			pages := 0
			got := walk(t, base, params, func(p listPage) {
				if walkHeight == 0 {
					walkHeight = p.Height
				}
				if p.Height != walkHeight {
					t.Fatalf("page %d read state %d, the walk began at %d", pages, p.Height, walkHeight)
				}
				pages++
				time.Sleep(25 * time.Millisecond) // let blocks commit between pages
			})
			// The state the walk read held retirements 1..m.
			newest := getPage(t, base, "/api/v1/retirements", url.Values{"reverse": {"true"}, "limit": {"1"}, "height": {fmt.Sprint(walkHeight)}})
			m, _ := strconv.Atoi(strings.TrimPrefix(newest.Retirements[0].Id, "JCR-"))
			if len(got) != m || m < listRetirements {
				t.Fatalf("reverse=%v: %d records over %d pages, state %d holds %d", reverse, len(got), pages, walkHeight, m)
			}
			for i, r := range got {
				want := i + 1
				if reverse {
					want = m - i
				}
				if r.Id != fmt.Sprintf("JCR-%08d", want) {
					t.Fatalf("reverse=%v: record %d is %s, want JCR-%08d", reverse, i, r.Id, want)
				}
			}
			latest := getPage(t, base, "/api/v1/retirements", url.Values{"reverse": {"true"}, "limit": {"1"}})
			if latest.Height <= walkHeight || latest.Retirements[0].Id <= newest.Retirements[0].Id {
				t.Fatalf("reverse=%v: nothing was written during the walk (state %d, then %d with newest %s)", reverse, walkHeight, latest.Height, latest.Retirements[0].Id)
			}
		}
		close(stop)
		wg.Wait()
		if sent == 0 {
			t.Fatal("no retirement was sent")
		}
	})

	// Filters combine, whichever index the query picks, over pages that
	// may come back short (the scan budget), and answer exactly what the
	// records say.
	t.Run("filters combine", func(t *testing.T) {
		meti, moe := apptest.Addr("meti").Hex(), apptest.Addr("moe").Hex()
		batchCat := map[string]*creditsv1.Batch{}
		for _, b := range reg.Batches {
			batchCat[b.Id] = b
		}
		jst := time.FixedZone("JST", 9*3600)
		inDates := func(r *creditsv1.Retirement, from, to string) bool {
			t := r.Time.AsTime().In(jst).Format(time.DateOnly)
			return (from == "" || t >= from) && (to == "" || t <= to)
		}
		for _, tc := range []struct {
			params url.Values
			match  func(r *creditsv1.Retirement) bool
		}{
			{url.Values{"account": {meti}}, func(r *creditsv1.Retirement) bool { return r.Account == meti }},
			{url.Values{"account": {"2"}, "fiscal_year": {"2024"}}, func(r *creditsv1.Retirement) bool { return r.Account == moe && r.FiscalYear == 2024 }},
			{url.Values{"beneficiary": {"京都ボイラー株式会社"}, "use": {"carbon-offset"}},
				func(r *creditsv1.Retirement) bool {
					return r.Beneficiary == "京都ボイラー株式会社" && r.Uses[0] == creditsv1.Use_USE_CARBON_OFFSET
				}},
			{url.Values{"beneficiary_account": {moe}, "category": {"forest"}},
				func(r *creditsv1.Retirement) bool {
					return r.BeneficiaryAccount == moe && batchCat[r.Blocks[0].BatchId].Category == creditsv1.Category_CATEGORY_FOREST
				}},
			{url.Values{"fiscal_year": {"2023"}, "use": {"USE_OTHER"}, "project_id": {"JCP-000002"}},
				func(r *creditsv1.Retirement) bool {
					return r.FiscalYear == 2023 && r.Uses[0] == creditsv1.Use_USE_OTHER && batchCat[r.Blocks[0].BatchId].ProjectId == "JCP-000002"
				}},
			{url.Values{"from_date": {"2023-06-01"}, "to_date": {"2023-06-30"}}, func(r *creditsv1.Retirement) bool { return inDates(r, "2023-06-01", "2023-06-30") }},
			{url.Values{"batch_id": {"JC-00000007"}}, func(r *creditsv1.Retirement) bool { return r.Blocks[0].BatchId == "JC-00000007" }},
			{url.Values{"category": {"renewable-heat"}, "from_date": {"2023-09-01"}, "beneficiary": {"さくら食品"}, "account": {apptest.Addr("maff").Hex()}},
				func(r *creditsv1.Retirement) bool {
					return batchCat[r.Blocks[0].BatchId].Category == creditsv1.Category_CATEGORY_RENEWABLE_HEAT && inDates(r, "2023-09-01", "") &&
						r.Beneficiary == "さくら食品" && r.Account == apptest.Addr("maff").Hex()
				}},
			{url.Values{"use": {"re100"}}, func(r *creditsv1.Retirement) bool { return r.Uses[0] == creditsv1.Use_USE_RE100 }},
		} {
			var want []string
			for _, r := range reg.Retirements {
				if tc.match(r) {
					want = append(want, r.Id)
				}
			}
			for _, reverse := range []bool{false, true} {
				params := cloneValues(tc.params)
				params.Set("height", "1")
				params.Set("limit", "100")
				if reverse {
					params.Set("reverse", "true")
				}
				partial := 0
				got := ids(walk(t, base, params, func(p listPage) {
					if p.Partial {
						partial++
						if p.NextCursor == "" || p.Scanned != module.ScanBudget {
							t.Fatalf("%v: a partial page without a cursor or a full scan: %+v", tc.params, p)
						}
					}
					if len(p.Retirements) > 100 {
						t.Fatalf("%v: %d records on a page of 100", tc.params, len(p.Retirements))
					}
				}))
				exp := want
				if reverse {
					exp = make([]string, len(want))
					for i := range want {
						exp[i] = want[len(want)-1-i]
					}
				}
				if strings.Join(got, ",") != strings.Join(exp, ",") {
					t.Fatalf("%v reverse=%v: %d records, want %d", tc.params, reverse, len(got), len(exp))
				}
				// Every filter has an index (a date range: the time index),
				// so no page of these is cut short by the scan budget (a
				// page that is: x/credits TestRetirementsPageStopsAtTheScanBudget).
				if partial != 0 {
					t.Fatalf("%v: %d pages cut by the scan budget", tc.params, partial)
				}
				t.Logf("%v reverse=%v: %d records, %d partial pages", tc.params, reverse, len(got), partial)
			}
		}
	})

	// CSV and JSON Lines parse back to the records the pages list, and
	// name the state they were read from.
	t.Run("exports", func(t *testing.T) {
		snap, err := n.App.SnapshotAt(1)
		if err != nil {
			t.Fatal(err)
		}
		appHash := strings.ToUpper(fmt.Sprintf("%x", snap.Hash()))
		md := (&creditsv1.Retirement{}).ProtoReflect().Descriptor()
		for _, tc := range []url.Values{
			{"fiscal_year": {"2024"}, "beneficiary": {"株式会社みどり製作所"}},
			{}, // the whole list: 12,000 records
		} {
			pages := walk(t, base, mergeValues(tc, url.Values{"height": {"1"}, "limit": {"1000"}}), nil)
			for _, format := range []string{"csv", "jsonl"} {
				status, body, hdr := get(t, base+"/api/v1/retirements?"+mergeValues(tc, url.Values{"height": {"1"}, "format": {format}}).Encode())
				if status != 200 || hdr.Get("X-Jcredit-Height") != "1" || hdr.Get("X-Jcredit-App-Hash") != appHash ||
					!strings.Contains(hdr.Get("Content-Disposition"), "retirements-1."+format) {
					t.Fatalf("%s export: %d %v", format, status, hdr)
				}
				read := query.ReadCSV
				if format == "jsonl" {
					read = query.ReadJSONL
				} else if !bytes.HasPrefix(body, []byte("\xef\xbb\xbf# jcredit export; list=retirements; chain_id="+nodetest.ChainID+"; height=1; app_hash="+appHash)) {
					t.Fatalf("csv head: %.200q", body)
				}
				meta, recs, err := read(bytes.NewReader(body), md)
				if err != nil {
					t.Fatalf("%s: %v", format, err)
				}
				if meta.Height != 1 || meta.AppHash != appHash || meta.List != "retirements" || meta.Query != query.Unbind(bindRetirements(t, tc)) {
					t.Fatalf("%s metadata %+v", format, meta)
				}
				if len(recs) != len(pages) || len(recs) == 0 {
					t.Fatalf("%s: %d records, the pages list %d", format, len(recs), len(pages))
				}
				for i := range recs {
					if !proto.Equal(recs[i], pages[i]) {
						t.Fatalf("%s: record %d:\n got  %v\n want %v", format, i, recs[i], pages[i])
					}
				}
			}
		}
		// Any list exports; a record does not.
		status, body, _ := get(t, base+"/api/v1/batches?format=jsonl&reverse=true")
		if status != 200 || bytes.Count(body, []byte("\n")) != listBatches+1 || !bytes.Contains(body[:bytes.IndexByte(body, '\n')], []byte(`"query":"reverse=true"`)) {
			t.Fatalf("batches export: %d, %d lines: %.300s", status, bytes.Count(body, []byte("\n")), body)
		}
		var first struct{ ID string }
		line2 := body[bytes.IndexByte(body, '\n')+1:]
		if err := json.Unmarshal(line2[:bytes.IndexByte(line2, '\n')], &first); err != nil || first.ID != "JC-00001005" {
			t.Fatalf("newest-first export starts with %s (%v)", first.ID, err)
		}
	})
}

func mergeValues(a, b url.Values) url.Values {
	out := cloneValues(a)
	for k, v := range b {
		out[k] = v
	}
	return out
}

func bindRetirements(t *testing.T, v url.Values) *creditsv1.QueryRetirementsRequest {
	t.Helper()
	req := &creditsv1.QueryRetirementsRequest{}
	params := map[string]string{}
	for k := range v {
		params[k] = v.Get(k)
	}
	if err := query.Bind(req, params); err != nil {
		t.Fatal(err)
	}
	return req
}
