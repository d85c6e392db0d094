package upgradetest

import (
	"testing"

	dbm "github.com/cosmos/cosmos-db"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/x/module"
)

// V1Context returns the state release v0.2.0 wrote (FixtureV1Path) in an
// in-memory tree, and a context at the upgrade's height over it, for the
// modules' migration tests: they run their migrate_v2 steps on it as the
// upgrade block does. (The tree's hash is not the fixture's: its nodes are
// written at one version. app's migration test imports the exact tree.)
func V1Context(t testing.TB) (*Fixture, module.Context) {
	t.Helper()
	f, err := LoadFixture(FixtureV1Path())
	if err != nil {
		t.Fatal(err)
	}
	tree, err := store.Open(dbm.NewMemDB())
	if err != nil {
		t.Fatal(err)
	}
	keys, values := f.Leaves()
	for i, k := range keys {
		tree.Set(k, values[i])
	}
	ctx := module.NewContext(store.NewCache(tree), f.ChainID, f.PlanHeight, apptest.GenesisTime)
	return f, ctx
}
