package store

import (
	"fmt"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/iavl"
)

// Export walks the snapshot's tree node by node (depth-first, post-order),
// the form Import rebuilds it from; state-sync snapshots are made of it.
// The caller must Close the exporter.
func (s *Snapshot) Export() (*iavl.Exporter, error) { return s.tree.Export() }

// Import starts rebuilding version from exported nodes into this tree,
// which must be empty (a node joining by state sync). Importer.Commit makes
// the version the tree's latest.
func (t *Tree) Import(version int64) (*iavl.Importer, error) {
	if t.tree.Version() != 0 {
		return nil, fmt.Errorf("import into a tree at version %d: it must be empty", t.tree.Version())
	}
	return t.tree.Import(version)
}

// NewMemTree is an empty tree in memory: state sync rebuilds a snapshot
// there first, to check its root hash before touching the real database.
func NewMemTree() (*Tree, error) { return Open(dbm.NewMemDB()) }
