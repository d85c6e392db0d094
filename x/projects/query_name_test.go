package projects_test

import (
	"fmt"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/store"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/accounts"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects"
	"github.com/jcredit/jcredit/x/projects/types"
)

// TestProjectsByName: the name filter finds a project far beyond the first
// 1,000 (and beyond one page's scan budget), written half-width and asked
// full-width; the first page says it is partial and its cursor continues.
func TestProjectsByName(t *testing.T) {
	tree, err := store.Open(dbm.NewMemDB())
	if err != nil {
		t.Fatal(err)
	}
	s := store.NewCache(tree)
	put := func(key []byte, m proto.Message) {
		bz, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		s.Set(key, bz)
	}
	put(accountstypes.AccountStoreKey(1), &accountsv1.Account{Number: 1, LegalName: "Operator KK"})
	const n, target = module.ScanBudget + 2000, module.ScanBudget + 1500
	for i := uint64(1); i <= n; i++ {
		name := fmt.Sprintf("Forest %d", i)
		if i == target {
			name = "東京ｶﾞｽ Tokyo GAS コージェネ" // half-width katakana and ASCII
		}
		put(types.ProjectStoreKey(i), &projectsv1.Project{Id: types.ProjectID(i), Name: name, OperatorAccount: 1})
	}
	acc := accounts.NewKeeper()
	r := module.NewQueryRouter()
	projects.NewKeeper(acc, credits.NewKeeper(acc)).RegisterQueries(r)
	rt, _ := r.Route("/projects/Projects")
	ask := func(req *projectsv1.QueryProjectsRequest) *projectsv1.QueryProjectsResponse {
		t.Helper()
		res, err := rt.Answer(module.QueryContext{Store: s, Height: 1}, req)
		if err != nil {
			t.Fatal(err)
		}
		out := &projectsv1.QueryProjectsResponse{}
		if err := protojson.Unmarshal(res.Value, out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	q := "ガス ｔｏｋｙｏ ｇａｓ" // full-width
	first := ask(&projectsv1.QueryProjectsRequest{Name: q})
	if len(first.Projects) != 0 || !first.Page.Partial || first.Page.NextCursor == "" || first.Page.Scanned != module.ScanBudget {
		t.Fatalf("first page: %d projects, page %v; want none, partial after %d with a cursor", len(first.Projects), first.Page, module.ScanBudget)
	}
	next := ask(&projectsv1.QueryProjectsRequest{Name: q, Page: &queryv1.PageRequest{Cursor: first.Page.NextCursor}})
	if len(next.Projects) != 1 || next.Projects[0].Id != types.ProjectID(target) || next.Page.NextCursor != "" {
		t.Fatalf("second page: %v, page %v; want %s and the end", ids(next), next.Page, types.ProjectID(target))
	}
	if got := ask(&projectsv1.QueryProjectsRequest{Name: "ＦＯＲＥＳＴ 1234"}); len(got.Projects) != 1 || got.Projects[0].Id != types.ProjectID(1234) {
		t.Fatalf("forest 1234: %v", ids(got))
	}
}
