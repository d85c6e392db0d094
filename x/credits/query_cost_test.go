package credits_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
)

// listCost is the work of walking one list to its end, per listed record.
type listCost struct {
	records                  int
	reads, bytes             float64 // per record: gets + seeks + steps; bytes read
	gets, seeks, steps, page int
}

// registryQueries is a credits keeper answering queries over a committed
// registry of n retirements (apptest.NewRegistry) and n/10 cancellations
// (addCancellations) in n/100 batches, at
// least 15: the batches take the 3 projects and 5 categories in turn, so
// with 15 or more each project meets each category about equally often,
// and a combined filter admits the same share of the records at every
// size (with 10 batches, project 2 and forest shared one batch in ten).
func registryQueries(t testing.TB, n int) (*module.QueryRouter, module.KVStore, int64) {
	t.Helper()
	reg := apptest.NewRegistry(max(n/100, 15), n)
	addCancellations(reg, n/10) // about 10 a batch
	r, s := queriesOver(t, reg)
	return r, s, 1
}

// queriesOver is a credits keeper answering queries over reg, committed at
// height 1.
func queriesOver(t testing.TB, reg *apptest.Registry) (*module.QueryRouter, module.KVStore) {
	t.Helper()
	tree, err := store.Open(dbm.NewMemDB())
	if err != nil {
		t.Fatal(err)
	}
	acc := accounts.NewKeeper()
	cred := credits.NewKeeper(acc)
	cache := store.NewCache(tree)
	ctx := module.NewContext(cache, apptest.ChainID, 1, apptest.GenesisTime)
	if err := acc.InitGenesis(ctx, apptest.AccountsGenesis(apptest.DefaultAccounts())); err != nil {
		t.Fatal(err)
	}
	gs, err := protojson.Marshal(reg.Genesis())
	if err != nil {
		t.Fatal(err)
	}
	if err := cred.InitGenesis(ctx, gs); err != nil {
		t.Fatal(err)
	}
	cache.Write()
	if _, _, err := tree.Commit(); err != nil {
		t.Fatal(err)
	}
	snap, err := tree.At(tree.Version())
	if err != nil {
		t.Fatal(err)
	}
	if snap.Version() != 1 {
		t.Fatalf("committed version %d", snap.Version())
	}
	r := module.NewQueryRouter()
	cred.RegisterQueries(r)
	return r, snap
}

// walkCost walks a list (path, request with its page) to its end, page by
// page, and returns its reads per listed record.
func walkCost(t testing.TB, r *module.QueryRouter, s module.KVStore, height int64, path string, req proto.Message, reverse bool) listCost {
	t.Helper()
	cs := &credits.StoreCounter{KVStore: s}
	var c listCost
	cursor := ""
	for {
		q := proto.Clone(req)
		m := q.ProtoReflect()
		f := m.Descriptor().Fields().ByName("page")
		m.Set(f, protoreflect.ValueOfMessage((&queryv1.PageRequest{Limit: module.MaxPageLimit, Cursor: cursor, Reverse: reverse}).ProtoReflect()))
		rt, _ := r.Route(path)
		res, err := rt.Answer(module.QueryContext{Store: cs, Height: height}, q)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		var out map[string]json.RawMessage
		if err := json.Unmarshal(res.Value, &out); err != nil {
			t.Fatal(err)
		}
		for name, v := range out {
			var items []json.RawMessage
			if name != "accounts" && json.Unmarshal(v, &items) == nil {
				c.records += len(items)
			}
		}
		c.page++
		var pr struct {
			NextCursor string `json:"next_cursor"`
		}
		if err := json.Unmarshal(out["page"], &pr); err != nil {
			t.Fatal(err)
		}
		if cursor = pr.NextCursor; cursor == "" {
			break
		}
	}
	c.gets, c.seeks, c.steps = cs.Gets, cs.Seeks, cs.Steps
	if c.records > 0 {
		c.reads = float64(cs.Gets+cs.Seeks+cs.Steps) / float64(c.records)
		c.bytes = float64(cs.Bytes) / float64(c.records)
	}
	return c
}

// listCases are the lists measured: every credits list over the registry,
// and the retirements under each filter alone.
func listCases() []struct {
	name, path string
	req        proto.Message
} {
	retire := func(r *creditsv1.QueryRetirementsRequest) proto.Message { return r }
	return []struct {
		name, path string
		req        proto.Message
	}{
		{"batches", "/credits/Batches", &creditsv1.QueryBatchesRequest{}},
		{"holdings", "/credits/Holdings", &creditsv1.QueryHoldingsRequest{Account: apptest.Addr(apptest.RegistryHolder).Hex()}},
		{"cancellations/batch", "/credits/Cancellations", &creditsv1.QueryCancellationsRequest{BatchId: "JC-00000003"}},
		{"retirements", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{})},
		{"retirements/reverse", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{})},
		{"retirements/account", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{Account: apptest.Addr("moe").Hex()})},
		{"retirements/beneficiary_account", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{BeneficiaryAccount: apptest.Addr("moe").Hex()})},
		{"retirements/beneficiary", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{Beneficiary: apptest.RegistryBeneficiaries[1]})},
		{"retirements/fiscal_year", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{FiscalYear: 2023})},
		{"retirements/use", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{Use: creditsv1.Use_USE_OTHER})},
		{"retirements/dates", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{FromDate: "2023-05-01", ToDate: "2023-05-31"})},
		{"retirements/batch", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{BatchId: "JC-00000003"})},
		{"retirements/project", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{ProjectId: apptest.RegistryProjects[1]})},
		{"retirements/category", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{Category: creditsv1.Category_CATEGORY_FOREST})},
		// Combinations: indexes walked in step, a date range narrowing them.
		{"retirements/project+dates", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{ProjectId: apptest.RegistryProjects[1], FromDate: "2023-05-01", ToDate: "2023-05-31"})},
		{"retirements/category+dates", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{Category: creditsv1.Category_CATEGORY_FOREST, FromDate: "2023-05-01", ToDate: "2023-05-31"})},
		{"retirements/account+dates", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{Account: apptest.Addr("moe").Hex(), FromDate: "2023-05-01", ToDate: "2023-05-31"})},
		{"retirements/project+category", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{ProjectId: apptest.RegistryProjects[1], Category: creditsv1.Category_CATEGORY_FOREST})},
		{"retirements/use+category+year", "/credits/Retirements", retire(&creditsv1.QueryRetirementsRequest{Use: creditsv1.Use_USE_OTHER, Category: creditsv1.Category_CATEGORY_FOREST, FiscalYear: 2023})},
	}
}

// TestListReadsPerRecordFlat walks every credits list, and the retirements
// under each filter, to its end over registries of 10^3, 10^4 and 10^5
// retirements (10^5 only with JCREDIT_LIST_COST_1E5=1: it takes minutes
// to build), counting the store reads (point
// reads, iterators opened, steps) and the bytes read per listed record:
// they must not grow with the registry. Counts, not time: they are the
// same on a loaded machine. Every filter has an index (a date range: two
// seeks in rt/ give the numbers it spans), and combinations walk their
// indexes in step, so none is exempt. make bench (scripts/bench.sh) runs
// it over 10^5 too and prints the figures.
//
//	JCREDIT_LIST_COST_1E5=1 go test ./x/credits -run TestListReadsPerRecordFlat -v
func TestListReadsPerRecordFlat(t *testing.T) {
	sizes := []int{1_000, 10_000}
	if os.Getenv("JCREDIT_LIST_COST_1E5") == "1" {
		sizes = append(sizes, 100_000)
	}
	first := map[string]listCost{}
	for _, n := range sizes {
		r, s, h := registryQueries(t, n)
		for _, c := range listCases() {
			lc := walkCost(t, r, s, h, c.path, c.req, strings.HasSuffix(c.name, "reverse"))
			t.Logf("records=%-7d %-32s listed=%6d pages=%4d reads/record=%6.2f bytes/record=%8.1f (gets %d, seeks %d, steps %d)",
				n, c.name, lc.records, lc.page, lc.reads, lc.bytes, lc.gets, lc.seeks, lc.steps)
			if lc.records == 0 {
				t.Errorf("%s over %d retirements listed nothing", c.name, n)
				continue
			}
			// An index walk over consecutive records steps through them,
			// not one seek per record (two iterators a page).
			if c.name == "retirements/fiscal_year" && lc.seeks > 2*lc.page {
				t.Errorf("%s: %d seeks over %d pages: a seek per record", c.name, lc.seeks, lc.page)
			}
			base, ok := first[c.name]
			if !ok {
				first[c.name] = lc
				continue
			}
			// Flat: within 25% (and one read) of the smallest registry's.
			if lc.reads > base.reads*1.25+1 || lc.bytes > base.bytes*1.25+100 {
				t.Errorf("%s: %.2f reads and %.0f bytes per record over %d retirements, %.2f and %.0f over %d: the cost per record grows",
					c.name, lc.reads, lc.bytes, n, base.reads, base.bytes, sizes[0])
			}
		}
	}
}

// TestRetirementsByBatch: a batch's retirements, read from its ranges, are
// listed once each (a record drawing several blocks from the batch at its
// lowest serial), in serial order, forward and reverse, across pages.
func TestRetirementsByBatch(t *testing.T) {
	reg := apptest.NewRegistry(10, 200)
	b := reg.Batches[2]
	var in []*creditsv1.Retirement // the batch's records, by id (= by serial here)
	for _, r := range reg.Retirements {
		if r.Blocks[0].BatchId == b.Id {
			in = append(in, r)
		}
	}
	if len(in) < 5 {
		t.Fatalf("batch %s has %d retirements", b.Id, len(in))
	}
	// Records 0, 1, 2 of the batch (serials s0 < s1 < s2): record 2 takes
	// s0 and s2 (two blocks, the lowest serial out of id order), record 0
	// takes s1, record 1 goes.
	x0, x1, x2 := in[0], in[1], in[2]
	s0, s1, s2 := x0.Blocks[0], x1.Blocks[0], x2.Blocks[0]
	x2.Blocks, x2.Quantity = []*creditsv1.SerialBlock{s0, s2}, 2
	x0.Blocks = []*creditsv1.SerialBlock{s1}
	var kept []*creditsv1.Retirement
	for _, r := range reg.Retirements {
		if r != x1 {
			kept = append(kept, r)
		}
	}
	reg.Retirements = kept
	for _, rg := range reg.Ranges {
		if rg.BatchId == b.Id {
			switch rg.Start {
			case s0.Start, s2.Start:
				rg.RetirementId = x2.Id
			case s1.Start:
				rg.RetirementId = x0.Id
			}
		}
	}
	want := []string{x2.Id, x0.Id}
	for _, r := range in[3:] {
		want = append(want, r.Id)
	}

	r, s := queriesOver(t, reg)
	for _, reverse := range []bool{false, true} {
		var got []string
		cursor := ""
		for {
			rt, _ := r.Route("/credits/Retirements")
			res, err := rt.Answer(module.QueryContext{Store: s, Height: 1}, &creditsv1.QueryRetirementsRequest{
				BatchId: b.Id, Page: &queryv1.PageRequest{Limit: 2, Cursor: cursor, Reverse: reverse}})
			if err != nil {
				t.Fatal(err)
			}
			out := &creditsv1.QueryRetirementsResponse{}
			if err := module.UnmarshalJSON(res.Value, out); err != nil {
				t.Fatal(err)
			}
			for _, x := range out.Retirements {
				got = append(got, x.Id)
			}
			if cursor = out.Page.NextCursor; cursor == "" {
				break
			}
		}
		exp := want
		if reverse {
			exp = nil
			for i := len(want) - 1; i >= 0; i-- {
				exp = append(exp, want[i])
			}
		}
		if strings.Join(got, ",") != strings.Join(exp, ",") {
			t.Fatalf("reverse=%v: %v, want %v", reverse, got, exp)
		}
	}
}
