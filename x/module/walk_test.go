package module_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/x/module"
)

// Walk visits every key of the range once, in order, reading a bounded
// number of entries at a time, while its callback deletes or rewrites the
// key it visits and writes outside the range (as the state migrations do).
func TestWalkVisitsEachKeyOnceWhileTheCallbackWrites(t *testing.T) {
	for _, chunk := range []int{1, 7, 1000} {
		tree, err := store.NewMemTree()
		if err != nil {
			t.Fatal(err)
		}
		s := store.NewCache(tree)
		for i := 0; i < 250; i++ {
			s.Set([]byte(fmt.Sprintf("p/%04d", i)), []byte{1})
		}
		s.Set([]byte("q/after"), []byte{1})
		var seen []string
		err = module.Walk(s, []byte("p/"), module.PrefixEnd([]byte("p/")), chunk, func(k, v []byte) error {
			seen = append(seen, string(k))
			if k[len(k)-1]%2 == 0 {
				s.Delete(k)
			} else {
				s.Set(k, []byte{2})
			}
			s.Set(append([]byte("n/"), k[2:]...), v)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != 250 {
			t.Fatalf("chunk %d: visited %d keys, want 250", chunk, len(seen))
		}
		for i := 1; i < len(seen); i++ {
			if seen[i] <= seen[i-1] {
				t.Fatalf("chunk %d: out of order: %q after %q", chunk, seen[i], seen[i-1])
			}
		}
		if s.Has([]byte("p/0000")) || string(s.Get([]byte("p/0001"))) != "\x02" || !s.Has([]byte("n/0249")) || !s.Has([]byte("q/after")) {
			t.Fatalf("chunk %d: the walk's writes or its range are wrong", chunk)
		}
	}
	tree, _ := store.NewMemTree()
	s := store.NewCache(tree)
	s.Set([]byte("a"), []byte{1})
	s.Set([]byte("b"), []byte{1})
	stop := errors.New("stop")
	n := 0
	if err := module.Walk(s, nil, nil, 3, func([]byte, []byte) error { n++; return stop }); err != stop || n != 1 {
		t.Fatalf("an error from the callback: %v after %d calls", err, n)
	}
}

// Lookup answers like Get whatever order the keys come in (consecutive,
// sparse, backwards, absent, outside the prefix's entries), in both
// directions.
func TestLookupAnswersLikeGet(t *testing.T) {
	tree, err := store.NewMemTree()
	if err != nil {
		t.Fatal(err)
	}
	s := store.NewCache(tree)
	for i := 0; i < 200; i += 2 { // even keys only
		s.Set([]byte(fmt.Sprintf("p/%04d", i)), []byte(fmt.Sprint(i)))
	}
	s.Set([]byte("q/0000"), []byte("other"))
	orders := map[string][]int{
		"consecutive": {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20},
		"with gaps":   {0, 1, 2, 3, 50, 52, 54, 55, 120, 198, 199, 250},
		"backwards":   {198, 196, 194, 100, 98, 97, 2, 0},
		"mixed":       {10, 4, 12, 12, 14, 0, 198, 2, 3, 4},
	}
	for name, keys := range orders {
		for _, reverse := range []bool{false, true} {
			l := module.NewLookup(s, []byte("p/"), reverse)
			for _, k := range keys {
				key := []byte(fmt.Sprintf("p/%04d", k))
				if got, want := string(l.Get(key)), string(s.Get(key)); got != want {
					t.Fatalf("%s reverse=%v: Get(%s) = %q, want %q", name, reverse, key, got, want)
				}
			}
			l.Close()
		}
	}
}
