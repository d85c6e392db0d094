package accounts_test

import (
	"fmt"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/store"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// TestAccountsByName: the name filter finds an account far beyond the
// first 1,000 (and beyond one page's scan budget), written half-width and
// asked full-width; the first page says it is partial and its cursor
// continues the walk.
func TestAccountsByName(t *testing.T) {
	tree, err := store.Open(dbm.NewMemDB())
	if err != nil {
		t.Fatal(err)
	}
	s := store.NewCache(tree)
	const n, target = module.ScanBudget + 2000, module.ScanBudget + 1500
	for i := uint64(1); i <= n; i++ {
		name := fmt.Sprintf("Holder %d KK", i)
		if i == target {
			name = "東京ｶﾞｽ Tokyo GAS 株式会社" // half-width katakana and ASCII
		}
		bz, err := proto.Marshal(&accountsv1.Account{Number: i, LegalName: name, Status: accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE})
		if err != nil {
			t.Fatal(err)
		}
		s.Set(types.AccountStoreKey(i), bz)
	}
	r := module.NewQueryRouter()
	accounts.NewKeeper().RegisterQueries(r)
	rt, _ := r.Route("/accounts/Accounts")
	ask := func(req *accountsv1.QueryAccountsRequest) *accountsv1.QueryAccountsResponse {
		t.Helper()
		res, err := rt.Answer(module.QueryContext{Store: s, Height: 1}, req)
		if err != nil {
			t.Fatal(err)
		}
		out := &accountsv1.QueryAccountsResponse{}
		if err := protojson.Unmarshal(res.Value, out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	q := "ガス ｔｏｋｙｏ ｇａｓ" // full-width
	first := ask(&accountsv1.QueryAccountsRequest{Name: q})
	if len(first.Accounts) != 0 || !first.Page.Partial || first.Page.NextCursor == "" || first.Page.Scanned != module.ScanBudget {
		t.Fatalf("first page: %d accounts, page %v; want none, partial after %d with a cursor", len(first.Accounts), first.Page, module.ScanBudget)
	}
	next := ask(&accountsv1.QueryAccountsRequest{Name: q, Page: &queryv1.PageRequest{Cursor: first.Page.NextCursor}})
	if len(next.Accounts) != 1 || next.Accounts[0].Number != target || next.Page.NextCursor != "" {
		t.Fatalf("second page: %v, page %v; want account %d and the end", next.Accounts, next.Page, target)
	}
	// Case and width fold both ways; a name nobody has finds nothing.
	if got := ask(&accountsv1.QueryAccountsRequest{Name: "holder 1234 kk"}); len(got.Accounts) != 1 || got.Accounts[0].Number != 1234 {
		t.Fatalf("holder 1234: %v", got.Accounts)
	}
	if got := ask(&accountsv1.QueryAccountsRequest{Name: "ＨＯＬＤＥＲ 9 "}); len(got.Accounts) == 0 {
		t.Fatalf("full-width prefix found nothing")
	}
	// A cursor of the unfiltered list does not continue the filtered one.
	all := ask(&accountsv1.QueryAccountsRequest{Page: &queryv1.PageRequest{Limit: 1}})
	if _, err := rt.Answer(module.QueryContext{Store: s, Height: 1}, &accountsv1.QueryAccountsRequest{Name: q, Page: &queryv1.PageRequest{Cursor: all.Page.NextCursor}}); err == nil {
		t.Fatal("a cursor of another query was accepted")
	}
}
