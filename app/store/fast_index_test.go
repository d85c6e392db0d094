package store

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/jcredit/jcredit/x/module"
)

// The fast index is not part of the state (tree.go, fastIndex): a database
// written with it on opens with it off and back on, and at every version the
// root hash, the reads and the iteration in both directions are those of a
// database that never had it.
func TestFastIndexSwitch(t *testing.T) {
	dir := t.TempDir()
	ref := openForTest(t, dir, "ref", false) // never had the index
	var sw *Tree
	version := 0
	// Three stages: index on (what nodes before this change wrote), off,
	// and on again (a node rolled back to an older binary).
	for stage, fast := range []bool{true, false, true} {
		sw = openForTest(t, dir, "switched", fast)
		if sw.Version() != ref.Version() || !bytes.Equal(sw.Hash(), ref.Hash()) {
			t.Fatalf("stage %d reopened at version %d hash %X, want %d %X", stage, sw.Version(), sw.Hash(), ref.Version(), ref.Hash())
		}
		sameContents(t, sw, ref)
		for i := 0; i < 3; i++ {
			version++
			for _, tr := range []*Tree{ref, sw} {
				writeVersion(tr, version)
				if _, _, err := tr.Commit(); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(sw.Hash(), ref.Hash()) {
				t.Fatalf("stage %d version %d: hash %X, want %X", stage, version, sw.Hash(), ref.Hash())
			}
			sameContents(t, sw, ref)
		}
		if err := sw.Close(); err != nil {
			t.Fatalf("stage %d (fast=%v): %v", stage, fast, err)
		}
	}
	if err := ref.Close(); err != nil {
		t.Fatal(err)
	}
}

func openForTest(t *testing.T, dir, name string, fast bool) *Tree {
	t.Helper()
	db, err := OpenPebble(name, dir, DefaultDBOptions)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := openTree(db, fast)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// writeVersion sets, overwrites and deletes keys so that each version
// differs from the last in all three ways.
func writeVersion(tr *Tree, v int) {
	for i := 0; i < 200; i++ {
		if (i+v)%7 == 0 {
			tr.Delete([]byte(fmt.Sprintf("k%04d", i)))
			continue
		}
		tr.Set([]byte(fmt.Sprintf("k%04d", i)), []byte(fmt.Sprintf("v%d-%d", v, i)))
	}
	tr.Set([]byte(fmt.Sprintf("n%04d", v)), []byte("new"))
}

func sameContents(t *testing.T, got, want *Tree) {
	t.Helper()
	for _, rev := range []bool{false, true} {
		open := func(tr *Tree) module.Iterator {
			if rev {
				return tr.ReverseIterator(nil, nil)
			}
			return tr.Iterator(nil, nil)
		}
		g, w := open(got), open(want)
		n := 0
		for ; w.Valid(); w.Next() {
			if !g.Valid() || !bytes.Equal(g.Key(), w.Key()) || !bytes.Equal(g.Value(), w.Value()) {
				t.Fatalf("reverse=%v entry %d: want %q=%q", rev, n, w.Key(), w.Value())
			}
			if v := got.Get(w.Key()); !bytes.Equal(v, w.Value()) {
				t.Fatalf("Get(%q) = %q, want %q", w.Key(), v, w.Value())
			}
			g.Next()
			n++
		}
		if g.Valid() {
			t.Fatalf("reverse=%v: extra entry %q", rev, g.Key())
		}
		g.Close()
		w.Close()
	}
}
