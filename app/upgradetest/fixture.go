package upgradetest

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Fixture is a committed state written by an earlier release, as the
// migration tests read it (app/testdata/state-v1.json.gz, gzipped JSON).
// Nodes is the IAVL tree exported node by node (depth-first, post-order,
// as state-sync snapshots carry it): its leaves (Height 0) are every key
// and value of the state, and importing the nodes rebuilds the tree with
// the very same root hash, AppHash.
type Fixture struct {
	// Format names this layout: FixtureFormat.
	Format string `json:"format"`
	// Release is the release (git ref and commit) that wrote the state.
	Release string `json:"release"`
	ChainID string `json:"chain_id"`
	// Height is the last committed height; AppHash its app hash.
	Height  int64  `json:"height"`
	AppHash []byte `json:"app_hash"`
	// PlanHeight is the height of the scheduled upgrade PlanName: the
	// block after Height.
	PlanHeight int64  `json:"plan_height"`
	Nodes      []Node `json:"nodes"`
}

// FixtureFormat is the value of Fixture.Format.
const FixtureFormat = "jcredit-state-fixture/v1"

// Node is one exported IAVL node (iavl.ExportNode). Value is null for an
// inner node and a (possibly empty: version 1 had empty index values)
// string for a leaf.
type Node struct {
	Key     []byte `json:"key"`
	Value   []byte `json:"value"`
	Version int64  `json:"version"`
	Height  int8   `json:"height"`
}

// FixtureV1Path is the state written by release v0.2.0 (state version 1)
// running Build, as scripts/gen-v1-fixture.sh writes it.
func FixtureV1Path() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "state-v1.json.gz")
}

// LoadFixture reads a fixture file.
func LoadFixture(path string) (*Fixture, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	zr, err := gzip.NewReader(file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var f Fixture
	if err := json.NewDecoder(zr).Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if f.Format != FixtureFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", path, f.Format, FixtureFormat)
	}
	for i := range f.Nodes {
		if f.Nodes[i].Height == 0 && f.Nodes[i].Value == nil {
			f.Nodes[i].Value = []byte{} // a leaf always has a value, empty or not
		}
	}
	return &f, nil
}

// Leaves returns the state's keys and values, in key order (the export's
// order).
func (f *Fixture) Leaves() (keys, values [][]byte) {
	for _, n := range f.Nodes {
		if n.Height == 0 {
			keys, values = append(keys, n.Key), append(values, n.Value)
		}
	}
	return keys, values
}
