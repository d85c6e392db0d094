package credits_test

import (
	"fmt"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/store"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

// TestBatchesByProjectName: the name filter lists the batches of projects
// whose name matches, far beyond the first 1,000 batches (and beyond one
// page's scan budget), the name written half-width and asked full-width.
func TestBatchesByProjectName(t *testing.T) {
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
	put(projectstypes.ProjectStoreKey(1), &projectsv1.Project{Id: projectstypes.ProjectID(1), Name: "Kyoto Forest"})
	put(projectstypes.ProjectStoreKey(2), &projectsv1.Project{Id: projectstypes.ProjectID(2), Name: "東京ｶﾞｽ Tokyo GAS"})
	const n, target, target2 = module.ScanBudget + 2000, module.ScanBudget + 1500, module.ScanBudget + 1600
	for i := uint64(1); i <= n; i++ {
		b := &creditsv1.Batch{Id: fmt.Sprintf("JC-%08d", i), Number: i, ProjectId: projectstypes.ProjectID(1)}
		switch i {
		case target: // the name recorded at issuance
			b.ProjectName = "東京ｶﾞｽ Tokyo GAS"
		case target2: // none recorded: the project's record is read
			b.ProjectId = projectstypes.ProjectID(2)
		}
		put(types.BatchStoreKey(i), b)
	}
	r := module.NewQueryRouter()
	credits.NewKeeper(accounts.NewKeeper()).RegisterQueries(r)
	rt, _ := r.Route("/credits/Batches")
	ask := func(req *creditsv1.QueryBatchesRequest) *creditsv1.QueryBatchesResponse {
		t.Helper()
		res, err := rt.Answer(module.QueryContext{Store: s, Height: 1}, req)
		if err != nil {
			t.Fatal(err)
		}
		out := &creditsv1.QueryBatchesResponse{}
		if err := protojson.Unmarshal(res.Value, out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	q := "ガス ｔｏｋｙｏ ｇａｓ" // full-width
	first := ask(&creditsv1.QueryBatchesRequest{Name: q})
	if len(first.Batches) != 0 || !first.Page.Partial || first.Page.NextCursor == "" || first.Page.Scanned != module.ScanBudget {
		t.Fatalf("first page: %d batches, page %v; want none, partial after %d with a cursor", len(first.Batches), first.Page, module.ScanBudget)
	}
	next := ask(&creditsv1.QueryBatchesRequest{Name: q, Page: &queryv1.PageRequest{Cursor: first.Page.NextCursor}})
	if len(next.Batches) != 2 || next.Batches[0].Number != target || next.Batches[1].Number != target2 || next.Page.NextCursor != "" {
		t.Fatalf("second page: %v, page %v; want batches %d, %d and the end", next.Batches, next.Page, target, target2)
	}
	if got := ask(&creditsv1.QueryBatchesRequest{Name: "ｋｙｏｔｏ", Page: &queryv1.PageRequest{Limit: 5}}); len(got.Batches) != 5 || got.Batches[0].Number != 1 {
		t.Fatalf("kyoto: %v", got.Batches)
	}
	// A batch's recorded name wins over its project's record: project 1 is
	// Kyoto Forest, but the target batch recorded another name. Walking the
	// whole list lists every other batch of project 1, once.
	var kyoto []uint64
	pr := &queryv1.PageRequest{Limit: module.MaxPageLimit}
	for {
		got := ask(&creditsv1.QueryBatchesRequest{Name: "ｋｙｏｔｏ", Page: pr})
		for _, b := range got.Batches {
			kyoto = append(kyoto, b.Number)
		}
		if got.Page.NextCursor == "" {
			break
		}
		pr = &queryv1.PageRequest{Limit: module.MaxPageLimit, Cursor: got.Page.NextCursor}
	}
	if len(kyoto) != n-2 {
		t.Fatalf("kyoto: %d batches, want %d", len(kyoto), n-2)
	}
	for _, k := range kyoto {
		if k == target || k == target2 {
			t.Fatalf("kyoto lists batch %d", k)
		}
	}
}
