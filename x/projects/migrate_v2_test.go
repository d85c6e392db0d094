package projects_test

import (
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/upgradetest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects"
	"github.com/jcredit/jcredit/x/projects/types"
)

// The projects step of upgrade v2 (after the accounts step), on the state
// release v0.2.0 wrote: projects name their operator and members by number,
// the indexes follow, histories keep the addresses that signed.
func TestMigrateV2NamesOperatorsAndMembersByNumber(t *testing.T) {
	_, ctx := upgradetest.V1Context(t)
	acc := accounts.NewKeeper()
	k := projects.NewKeeper(acc, credits.NewKeeper(acc))
	if err := acc.MigrateV2(ctx); err != nil {
		t.Fatal(err)
	}
	if err := k.MigrateV2(ctx, acc.ResolveAddress); err != nil {
		t.Fatal(err)
	}
	num := func(name string) uint64 {
		n, _ := acc.AccountNumber(ctx.Store, apptest.Addr(name))
		return n
	}
	std, err := k.Project(ctx.Store, 1)
	if err != nil || std.OperatorAccount != num("kyoto") || std.Operator != "" || std.History[0].Actor != apptest.Addr("kyoto").Hex() {
		t.Fatalf("project 1: %v %v", std, err)
	}
	// "JP-26" (ISO 3166-2:JP) became the JIS X 0401 code, with no
	// municipality; forest projects may now credit 16 years.
	if std.Prefecture != "" || std.Location.GetPrefectureCode() != "26" || std.Location.GetMunicipality() != "" {
		t.Fatalf("project 1's location: %v", std)
	}
	if p, err := k.Params(ctx.Store); err != nil || projects.CreditingYears(p, creditsv1.Category_CATEGORY_FOREST) != 16 ||
		projects.CreditingYears(p, creditsv1.Category_CATEGORY_ENERGY_SAVING) != 8 {
		t.Fatalf("params %v %v", p, err)
	}
	// What x/credits' migration reads of a certified report.
	o, err := k.IssuedFrom(ctx.Store, "JCP-000002-R001")
	if err != nil || o.ProjectName != "Kyoto farmers' solar program" || o.Certifier != apptest.Addr("meti").Hex() || o.Location.GetPrefectureCode() != "26" {
		t.Fatalf("issued from: %+v %v", o, err)
	}
	prog, err := k.Project(ctx.Store, 2)
	if err != nil || len(prog.Members) != 3 {
		t.Fatalf("project 2: %v %v", prog, err)
	}
	for i, name := range []string{"farm-a", "farm-b", "farm-c"} {
		if m := prog.Members[i]; m.Account != num(name) || m.Account == 0 || m.Address != "" {
			t.Fatalf("member %d: %v", i, m)
		}
	}
	// The indexes answer by number; no v1 entry and no empty value is left.
	for _, p := range []struct {
		prefix []byte
		want   int
	}{{types.OperatorIndexPrefix(num("kyoto")), 4}, {types.MemberIndexPrefix(num("farm-b")), 1}} {
		it := ctx.Store.Iterator(module.Key([]byte(types.StorePrefix), p.prefix), module.PrefixEnd(module.Key([]byte(types.StorePrefix), p.prefix)))
		n := 0
		for ; it.Valid(); it.Next() {
			n++
		}
		it.Close()
		if n != p.want {
			t.Fatalf("index %x: %d entries, want %d", p.prefix, n, p.want)
		}
	}
	it := ctx.Store.Iterator([]byte(types.StorePrefix), module.PrefixEnd([]byte(types.StorePrefix)))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		key := strings.TrimPrefix(string(it.Key()), types.StorePrefix)
		if len(it.Value()) == 0 || ((strings.HasPrefix(key, "o/") || strings.HasPrefix(key, "b/")) && len(key) != 18) {
			t.Fatalf("left after the migration: %q = %x", key, it.Value())
		}
	}
}
