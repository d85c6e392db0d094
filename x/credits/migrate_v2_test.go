package credits_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/upgradetest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects"
)

// The credits step of upgrade v2 (after the accounts and projects steps),
// on the state release v0.2.0 wrote: ranges, retirements and cancellations
// name accounts by number, the invariants hold, and the retirements of a
// holder who rotated her key — signed with the old key and with the new —
// are found under her one number.
func TestMigrateV2NamesHoldersByNumberAndKeepsTheInvariants(t *testing.T) {
	_, ctx := upgradetest.V1Context(t)
	acc := accounts.NewKeeper()
	k := credits.NewKeeper(acc)
	if err := acc.MigrateV2(ctx); err != nil {
		t.Fatal(err)
	}
	proj := projects.NewKeeper(acc, k)
	if err := proj.MigrateV2(ctx, acc.ResolveAddress); err != nil {
		t.Fatal(err)
	}
	if err := k.MigrateV2(ctx, acc.ResolveAddress, proj); err != nil {
		t.Fatal(err)
	}
	if err := credits.CheckInvariants(ctx.Store); err != nil {
		t.Fatal(err)
	}
	// The rules: version 0 (v0.2.0's) named by every old retirement,
	// version 1 (the scheme's) in force.
	if cur, err := k.CurrentUseTable(ctx.Store); err != nil || cur.Version != 1 || cur.Height != ctx.Height {
		t.Fatalf("table in force: %v %v", cur, err)
	}
	if v0, err := k.UseTable(ctx.Store, 0); err != nil || v0 == nil || len(v0.Rules) != 9 {
		t.Fatalf("table 0: %v %v", v0, err)
	}
	qr := module.NewQueryRouter()
	k.RegisterQueries(qr)
	for n := uint64(1); ; n++ {
		q, err := qr.Query(module.QueryContext{Store: ctx.Store}, "/credits/Retirement", &creditsv1.QueryRetirementRequest{Id: types.RetirementID(n)})
		if err != nil {
			if n < 8 {
				t.Fatalf("retirement %d: %v", n, err)
			}
			break
		}
		var ans struct {
			Retirement struct {
				Use         string   `json:"use"`
				Uses        []string `json:"uses"`
				RuleVersion string   `json:"rule_version"`
				Blocks      []struct {
					CertificationNumber string `json:"certification_number"`
					SchemeSymbol        string `json:"scheme_symbol"`
				} `json:"blocks"`
			} `json:"retirement"`
		}
		r := &ans.Retirement
		if err := json.Unmarshal(q.Value, &ans); err != nil || r.Use != "" || len(r.Uses) != 1 || r.RuleVersion != "" ||
			r.Blocks[0].CertificationNumber == "" || r.Blocks[0].SchemeSymbol != "JC" {
			t.Fatalf("retirement %d after the migration: %s", n, q.Value)
		}
	}
	corsia, err := k.GetBatch(ctx.Store, "JC-00000003")
	if err != nil || corsia.CorsiaEligible || len(corsia.Labels) != 1 || corsia.LabelChanges != 1 {
		t.Fatalf("the CORSIA batch: %v %v", corsia, err)
	}
	alice, _ := acc.AccountNumber(ctx.Store, apptest.Addr("alice-2"))
	res, err := qr.Query(module.QueryContext{Store: ctx.Store}, "/credits/Retirements", &creditsv1.QueryRetirementsRequest{Account: apptest.Addr("alice-2").Hex()})
	if err != nil {
		t.Fatal(err)
	}
	list := &creditsv1.QueryRetirementsResponse{}
	if err := module.UnmarshalJSON(res.Value, list); err != nil {
		t.Fatal(err)
	}
	signedBy := map[string]int{}
	for _, r := range list.Retirements {
		if r.AccountNumber != alice {
			t.Fatalf("retirement of account %d listed for %d", r.AccountNumber, alice)
		}
		signedBy[r.Account]++
	}
	if signedBy[apptest.Addr("alice").Hex()] != 2 || signedBy[apptest.Addr("alice-2").Hex()] != 1 {
		t.Fatalf("alice's retirements by signing key: %v", signedBy)
	}
	it := ctx.Store.Iterator([]byte(types.StorePrefix), module.PrefixEnd([]byte(types.StorePrefix)))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		key := strings.TrimPrefix(string(it.Key()), types.StorePrefix)
		if len(it.Value()) == 0 {
			t.Fatalf("empty value under %q", key)
		}
		for _, p := range []struct {
			prefix string
			v1Len  int
		}{{"o/", 47}, {"a/", 30}, {"e/", 30}} {
			if strings.HasPrefix(key, p.prefix) && len(key) == p.v1Len {
				t.Fatalf("v1 key left: %q", key)
			}
		}
	}
}

// Regression (found by the e2e upgrade scenario): release v0.2.0's genesis
// took batches migrated from the legacy registry with that registry's own
// project and report ids ("legacy-report-1"), which x/projects never saw;
// the v2 migration stopped the chain on them ("malformed id"). Such a
// batch (issuance height 0: imported at genesis) migrates without a
// project name, place or certifier, keeps its ids, and its v0.2.0 CORSIA
// flag becomes a label recorded as given at genesis. A batch issued on
// chain whose report is unknown still fails the migration.
func TestMigrateV2KeepsBatchesImportedAtGenesis(t *testing.T) {
	for _, issuedOnChain := range []bool{false, true} {
		_, ctx := upgradetest.V1Context(t)
		raw := append([]byte(types.StorePrefix), types.BatchKey(3)...)
		b := &creditsv1.Batch{}
		if err := proto.Unmarshal(ctx.Store.Get(raw), b); err != nil || !b.CorsiaEligible {
			t.Fatalf("fixture batch 3 (CORSIA): %v %v", b, err)
		}
		b.ProjectId, b.ReportId, b.IssuanceTxHash = "legacy-project-7", "legacy-report-7", ""
		if !issuedOnChain {
			b.IssuanceHeight, b.IssuanceTime = 0, nil
		}
		bz, _ := proto.MarshalOptions{Deterministic: true}.Marshal(b)
		ctx.Store.Set(raw, bz)

		acc := accounts.NewKeeper()
		k := credits.NewKeeper(acc)
		proj := projects.NewKeeper(acc, k)
		if err := acc.MigrateV2(ctx); err != nil {
			t.Fatal(err)
		}
		if err := proj.MigrateV2(ctx, acc.ResolveAddress); err != nil {
			t.Fatal(err)
		}
		err := k.MigrateV2(ctx, acc.ResolveAddress, proj)
		if issuedOnChain {
			if err == nil || !strings.Contains(err.Error(), "legacy-report-7") {
				t.Fatalf("a batch issued on chain for an unknown report migrated: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("a batch imported at genesis with legacy ids: %v", err)
		}
		if err := credits.CheckInvariants(ctx.Store); err != nil {
			t.Fatal(err)
		}
		got, err := k.GetBatch(ctx.Store, b.Id)
		if err != nil || got.ReportId != "legacy-report-7" || got.ProjectId != "legacy-project-7" || got.CertificationNumber != "legacy-report-7" ||
			got.SchemeSymbol != "JC" || got.ProjectName != "" || got.Origin != nil || got.CorsiaEligible || len(got.Labels) != 1 {
			t.Fatalf("migrated genesis batch: %v %v", got, err)
		}
	}
}

// A GX-ETS retirement release v0.2.0 recorded for an account no ministry
// marked an operator (v0.2.0 had none; this release refuses such a
// retirement, credits/86) survives the migration as it was: its use stays
// GX-ETS, it counts for no operator and makes no GX-ETS total. The shared
// scenario no longer writes one (both releases must accept it), so the
// test turns kyoto's v1 retirement ("other") into that v1-shaped record.
func TestMigrateV2KeepsANonOperatorsGxEtsRetirement(t *testing.T) {
	_, ctx := upgradetest.V1Context(t)
	prefix := module.Key([]byte(types.StorePrefix), types.RetirementPrefix)
	var key []byte
	v1 := &creditsv1.Retirement{}
	it := ctx.Store.Iterator(prefix, module.PrefixEnd(prefix))
	for ; it.Valid(); it.Next() {
		r := &creditsv1.Retirement{}
		if err := proto.Unmarshal(it.Value(), r); err != nil {
			t.Fatal(err)
		}
		if r.Beneficiary == "Kyoto Gas" {
			key, v1 = append([]byte(nil), it.Key()...), r
		}
	}
	it.Close()
	if key == nil || v1.Use != creditsv1.Use_USE_OTHER || len(v1.Uses) != 0 {
		t.Fatalf("kyoto's v1 retirement: %v", v1)
	}
	v1.Use = creditsv1.Use_USE_GX_ETS
	bz, err := proto.Marshal(v1)
	if err != nil {
		t.Fatal(err)
	}
	ctx.Store.Set(key, bz)

	acc := accounts.NewKeeper()
	k := credits.NewKeeper(acc)
	if err := acc.MigrateV2(ctx); err != nil {
		t.Fatal(err)
	}
	proj := projects.NewKeeper(acc, k)
	if err := proj.MigrateV2(ctx, acc.ResolveAddress); err != nil {
		t.Fatal(err)
	}
	if err := k.MigrateV2(ctx, acc.ResolveAddress, proj); err != nil {
		t.Fatal(err)
	}
	if err := credits.CheckInvariants(ctx.Store); err != nil {
		t.Fatal(err)
	}
	r := &creditsv1.Retirement{}
	if err := proto.Unmarshal(ctx.Store.Get(key), r); err != nil {
		t.Fatal(err)
	}
	if len(r.Uses) != 1 || r.Uses[0] != creditsv1.Use_USE_GX_ETS || r.GxOperatorAccount != 0 || r.RuleVersion != 0 ||
		r.Quantity != v1.Quantity || r.FiscalYear != v1.FiscalYear || r.Beneficiary != v1.Beneficiary || r.Account != v1.Account {
		t.Fatalf("the GX-ETS retirement after the migration: %v (v1: %v)", r, v1)
	}
	kyoto, _ := acc.AccountNumber(ctx.Store, apptest.Addr("kyoto"))
	if r.AccountNumber != kyoto {
		t.Fatalf("retired by account %d, kyoto is %d", r.AccountNumber, kyoto)
	}
	gx := module.Key([]byte(types.StorePrefix), types.GxRetiredPrefix)
	it = ctx.Store.Iterator(gx, module.PrefixEnd(gx))
	defer it.Close()
	if it.Valid() {
		t.Fatalf("a GX-ETS total after the migration: %q", it.Key())
	}
}

// TestMigrateV2IndexesRetirementsByTimeProjectAndCategory: release v0.2.0
// kept no time, project or category index; the migration writes rt/, rp/
// and rc/ for every record (a block's project and category from its
// batch), and the lists by date range, project and category find what a
// scan of the records finds. A v1 record dated before an earlier-numbered
// one (a v0.2.0 genesis could hold such) is noticed: its number is kept
// under the time-order key, and date ranges are then checked per record.
func TestMigrateV2IndexesRetirementsByTimeProjectAndCategory(t *testing.T) {
	for _, disorder := range []bool{false, true} {
		t.Run(fmt.Sprintf("dated_out_of_order=%v", disorder), func(t *testing.T) {
			_, ctx := upgradetest.V1Context(t)
			for _, p := range [][]byte{types.ByTimePrefix, types.ByProjectPrefix, types.ByCategoryPrefix} {
				p = module.Key([]byte(types.StorePrefix), p)
				it := ctx.Store.Iterator(p, module.PrefixEnd(p))
				if it.Valid() {
					t.Fatalf("a v1 state with %q", it.Key())
				}
				it.Close()
			}
			prefix := module.Key([]byte(types.StorePrefix), types.RetirementPrefix)
			var last []byte
			var lastRec *creditsv1.Retirement
			it := ctx.Store.Iterator(prefix, module.PrefixEnd(prefix))
			for ; it.Valid(); it.Next() {
				last, lastRec = bytes.Clone(it.Key()), &creditsv1.Retirement{}
				if err := proto.Unmarshal(it.Value(), lastRec); err != nil {
					t.Fatal(err)
				}
			}
			it.Close()
			lastN, _ := types.ParseRetirementID(lastRec.Id)
			if disorder {
				// The last record, dated a year before the first.
				lastRec.Time = timestamppb.New(lastRec.Time.AsTime().AddDate(-1, 0, 0))
				bz, _ := proto.Marshal(lastRec)
				ctx.Store.Set(last, bz)
			}
			k := migrateAll(t, ctx)

			orderKey := module.Key([]byte(types.StorePrefix), types.RetirementTimeOrderKey())
			if got := ctx.Store.Get(orderKey); (got != nil) != disorder || (disorder && !bytes.Equal(got, module.Uint64(lastN))) {
				t.Fatalf("time-order key %x (out of order: %v, last record %d)", got, disorder, lastN)
			}
			var recs []*creditsv1.Retirement
			it = ctx.Store.Iterator(prefix, module.PrefixEnd(prefix))
			for ; it.Valid(); it.Next() {
				r := &creditsv1.Retirement{}
				if err := proto.Unmarshal(it.Value(), r); err != nil {
					t.Fatal(err)
				}
				recs = append(recs, r)
				n, _ := types.ParseRetirementID(r.Id)
				want := [][]byte{types.RetirementIndexKey(types.ByTimePrefix, types.TimeHead(r.Time.AsTime()), n)}
				for _, b := range r.Blocks {
					want = append(want, types.RetirementIndexKey(types.ByProjectPrefix, types.ProjectHead(b.ProjectId), n),
						types.RetirementIndexKey(types.ByCategoryPrefix, types.CategoryHead(b.Category), n))
				}
				for _, key := range want {
					if !bytes.Equal(ctx.Store.Get(module.Key([]byte(types.StorePrefix), key)), module.IndexValue) {
						t.Fatalf("%s: no index entry %q", r.Id, key)
					}
				}
			}
			it.Close()
			if len(recs) < 5 {
				t.Fatalf("%d retirements", len(recs))
			}
			qr := module.NewQueryRouter()
			k.RegisterQueries(qr)
			first := recs[0].Time.AsTime().In(time.FixedZone("JST", 9*3600))
			for _, req := range []*creditsv1.QueryRetirementsRequest{
				{FromDate: first.Format(time.DateOnly)},
				{ToDate: first.Format(time.DateOnly)},
				{FromDate: first.AddDate(0, 0, -400).Format(time.DateOnly), ToDate: first.AddDate(0, 0, -1).Format(time.DateOnly)},
				{ProjectId: recs[0].Blocks[0].ProjectId},
				{Category: recs[len(recs)-1].Blocks[0].Category},
				{Category: recs[0].Blocks[0].Category, FromDate: first.Format(time.DateOnly)},
			} {
				var want []string
				for _, r := range recs {
					jst := r.Time.AsTime().In(first.Location()).Format(time.DateOnly)
					if (req.FromDate != "" && jst < req.FromDate) || (req.ToDate != "" && jst > req.ToDate) {
						continue
					}
					for _, b := range r.Blocks {
						if (req.ProjectId == "" || b.ProjectId == req.ProjectId) && (req.Category == 0 || b.Category == req.Category) {
							want = append(want, r.Id)
							break
						}
					}
				}
				rt, _ := qr.Route("/credits/Retirements")
				res, err := rt.Answer(module.QueryContext{Store: ctx.Store}, req)
				if err != nil {
					t.Fatal(err)
				}
				out := &creditsv1.QueryRetirementsResponse{}
				if err := module.UnmarshalJSON(res.Value, out); err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range out.Retirements {
					got = append(got, r.Id)
				}
				if strings.Join(got, ",") != strings.Join(want, ",") {
					t.Fatalf("%v: %v, the records hold %v", req, got, want)
				}
			}
		})
	}
}

// migrateAll runs upgrade v2's steps (accounts, projects, credits) on ctx.
func migrateAll(t *testing.T, ctx module.Context) *credits.Keeper {
	t.Helper()
	acc := accounts.NewKeeper()
	k := credits.NewKeeper(acc)
	if err := acc.MigrateV2(ctx); err != nil {
		t.Fatal(err)
	}
	proj := projects.NewKeeper(acc, k)
	if err := proj.MigrateV2(ctx, acc.ResolveAddress); err != nil {
		t.Fatal(err)
	}
	if err := k.MigrateV2(ctx, acc.ResolveAddress, proj); err != nil {
		t.Fatal(err)
	}
	if err := credits.CheckInvariants(ctx.Store); err != nil {
		t.Fatal(err)
	}
	return k
}

// TestMigrateV2IndexesCancellationsByBatch: the migration writes xb/ for
// every v1 cancellation, and the list by batch finds what a scan finds.
func TestMigrateV2IndexesCancellationsByBatch(t *testing.T) {
	_, ctx := upgradetest.V1Context(t)
	k := migrateAll(t, ctx)
	prefix := module.Key([]byte(types.StorePrefix), types.CancellationPrefix)
	byBatch := map[string][]string{}
	it := ctx.Store.Iterator(prefix, module.PrefixEnd(prefix))
	for ; it.Valid(); it.Next() {
		c := &creditsv1.Cancellation{}
		if err := proto.Unmarshal(it.Value(), c); err != nil {
			t.Fatal(err)
		}
		n, _ := types.ParseCancellationID(c.Id)
		keys, err := types.CancellationIndexKeys(c, n)
		if err != nil || len(keys) == 0 {
			t.Fatalf("%s: %v", c.Id, err)
		}
		for _, key := range keys {
			if !bytes.Equal(ctx.Store.Get(module.Key([]byte(types.StorePrefix), key)), module.IndexValue) {
				t.Fatalf("%s: no index entry %q", c.Id, key)
			}
		}
		for _, b := range c.Blocks {
			if l := byBatch[b.BatchId]; len(l) == 0 || l[len(l)-1] != c.Id {
				byBatch[b.BatchId] = append(l, c.Id)
			}
		}
	}
	it.Close()
	if len(byBatch) == 0 {
		t.Fatal("the v1 fixture has no cancellation")
	}
	qr := module.NewQueryRouter()
	k.RegisterQueries(qr)
	for batch, want := range byBatch {
		rt, _ := qr.Route("/credits/Cancellations")
		res, err := rt.Answer(module.QueryContext{Store: ctx.Store}, &creditsv1.QueryCancellationsRequest{BatchId: batch})
		if err != nil {
			t.Fatal(err)
		}
		out := &creditsv1.QueryCancellationsResponse{}
		if err := module.UnmarshalJSON(res.Value, out); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range out.Cancellations {
			got = append(got, c.Id)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("batch %s: %v, the records hold %v", batch, got, want)
		}
	}
}
