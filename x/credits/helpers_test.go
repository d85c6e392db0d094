package credits_test

import (
	"testing"

	dbm "github.com/cosmos/cosmos-db"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
)

// keeperEnv is a credits keeper over a real IAVL tree (in memory) with a
// real accounts keeper, for tests of keeper functions that are not
// messages (IssueBatch, the account hooks).
type keeperEnv struct {
	t     testing.TB
	tree  *store.Tree
	acc   *accounts.Keeper
	cred  *credits.Keeper
	cache *store.Cache
	ctx   module.Context
}

func newKeeperEnv(t testing.TB, names ...string) *keeperEnv {
	t.Helper()
	tree, err := store.Open(dbm.NewMemDB())
	if err != nil {
		t.Fatal(err)
	}
	e := &keeperEnv{t: t, tree: tree, acc: accounts.NewKeeper()}
	e.cred = credits.NewKeeper(e.acc)
	e.cache = store.NewCache(tree)
	e.ctx = module.NewContext(e.cache, apptest.ChainID, 1, apptest.GenesisTime)
	accs := apptest.DefaultAccounts()
	for _, n := range names {
		accs = append(accs, apptest.GenesisAccount{Name: n, Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER}})
	}
	if err := e.acc.InitGenesis(e.ctx, apptest.AccountsGenesis(accs)); err != nil {
		t.Fatal(err)
	}
	if err := e.cred.InitGenesis(e.ctx, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

// request builds an issuance request for report to the named recipients.
func request(report string, cat creditsv1.Category, alloc ...any) *creditsv1.IssuanceRequest {
	req := &creditsv1.IssuanceRequest{
		ProjectId: "P-0001", ReportId: report, Methodology: "EN-S-001", Category: cat,
		VintageStart: "2024-04-01", VintageEnd: "2025-03-31",
	}
	for i := 0; i+1 < len(alloc); i += 2 {
		req.Allocations = append(req.Allocations, &creditsv1.Allocation{
			Recipient: apptest.Addr(alloc[i].(string)).Hex(), Quantity: uint64(alloc[i+1].(int)),
		})
	}
	return req
}
