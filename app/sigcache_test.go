package app

import (
	"testing"

	"github.com/jcredit/jcredit/app/tx"
)

// The cache keeps the newest max entries, drops the oldest first, and a
// second put of the same bytes returns the first entry.
func TestSigCacheEvictsOldest(t *testing.T) {
	c := newSigCache(2)
	entry := func(b byte) *decoded { return &decoded{Decoded: &tx.Decoded{Sum: [32]byte{b}}} }
	a, b := c.put(entry(1)), c.put(entry(2))
	if got := c.put(entry(1)); got != a {
		t.Fatal("a second put of the same key replaced the first entry")
	}
	c.put(entry(3)) // drops 1
	if _, ok := c.get([32]byte{1}); ok {
		t.Fatal("the oldest entry was kept")
	}
	if got, ok := c.get([32]byte{2}); !ok || got != b {
		t.Fatal("entry 2 was dropped")
	}
	c.put(entry(4)) // drops 2
	c.put(entry(5)) // drops 3
	for k, want := range map[byte]bool{2: false, 3: false, 4: true, 5: true} {
		if _, ok := c.get([32]byte{k}); ok != want {
			t.Errorf("entry %d cached: %v, want %v", k, ok, want)
		}
	}
}
