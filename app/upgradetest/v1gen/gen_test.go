//go:build v1fixture

// Package v1gen writes the state-version-1 fixture of the migration tests.
// It never compiles in this tree (build tag v1fixture): scripts/
// gen-v1-fixture.sh copies it, with ../scenario.go and ../fixture.go, into
// a temporary checkout of release v0.2.0 and runs it there, so that the
// state is written by that release's own code:
//
//	scripts/gen-v1-fixture.sh    (writes app/testdata/state-v1.json.gz)
package v1gen

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/cosmos/iavl"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/upgradetest"
)

func TestWriteV1Fixture(t *testing.T) {
	out := os.Getenv("JCREDIT_V1_FIXTURE")
	if out == "" {
		t.Fatal("set JCREDIT_V1_FIXTURE to the file to write")
	}
	c := upgradetest.NewChain(t)
	at := upgradetest.Build(c)
	snap, err := c.App.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	f := upgradetest.Fixture{
		Format: upgradetest.FixtureFormat, Release: os.Getenv("JCREDIT_V1_RELEASE"), ChainID: apptest.ChainID,
		Height: snap.Version(), AppHash: snap.Hash(), PlanHeight: at,
	}
	exp, err := snap.Export()
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Close()
	for {
		n, err := exp.Next()
		if errors.Is(err, iavl.ErrorExportDone) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		f.Nodes = append(f.Nodes, upgradetest.Node{Key: n.Key, Value: n.Value, Version: n.Version, Height: n.Height})
	}
	file, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(file, gzip.BestCompression)
	zw.ModTime, zw.Name = apptest.GenesisTime, "state-v1.json" // the same state always gives the same bytes
	enc := json.NewEncoder(zw)
	enc.SetIndent("", " ")
	if err := enc.Encode(f); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: height %d, app hash %X, %d nodes, upgrade %s at %d", out, f.Height, f.AppHash, len(f.Nodes), upgradetest.PlanName, at)
}
