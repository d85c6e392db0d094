package upgradetest

import (
	"bytes"
	"testing"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/iavl"

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

// ImportFixture rebuilds f's tree in a fresh data directory (as state sync
// would), checks that it is the very state the release committed (same
// root hash) and returns the directory, for app.Open.
func ImportFixture(t testing.TB, f *Fixture) string {
	t.Helper()
	dir := t.TempDir()
	tree, err := store.OpenDir("state", dir)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := tree.Import(f.Height)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range f.Nodes {
		if err := imp.Add(&iavl.ExportNode{Key: n.Key, Value: n.Value, Version: n.Version, Height: n.Height}); err != nil {
			t.Fatal(err)
		}
	}
	if err := imp.Commit(); err != nil {
		t.Fatal(err)
	}
	imp.Close()
	if tree.Version() != f.Height || !bytes.Equal(tree.Hash(), f.AppHash) {
		t.Fatalf("imported tree: height %d hash %X, the fixture says %d %X", tree.Version(), tree.Hash(), f.Height, f.AppHash)
	}
	if err := tree.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}
