package module_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jcredit/jcredit/app/store"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/module"
)

// pageStore holds p/00000 … p/<n-1> and a key on either side of them.
func pageStore(t *testing.T, n int) module.KVStore {
	t.Helper()
	tree, err := store.NewMemTree()
	if err != nil {
		t.Fatal(err)
	}
	s := store.NewCache(tree)
	s.Set([]byte("o/before"), module.IndexValue)
	for i := 0; i < n; i++ {
		s.Set([]byte(fmt.Sprintf("p/%05d", i)), []byte{byte(i % 7), byte(i % 11)})
	}
	s.Set([]byte("q/after"), module.IndexValue)
	return s
}

// walkAll pages through the p/ prefix, listing the entries keep accepts.
func walkAll(t *testing.T, s module.KVStore, q module.QueryContext, pr *queryv1.PageRequest, keep func(v []byte) bool) (keys []string, pages []*queryv1.PageResponse) {
	t.Helper()
	for {
		pg, err := module.NewPage(q, pr)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := pg.Walk(s, []byte("p/"), func(key, value []byte) (bool, error) {
			if !keep(value) {
				return false, nil
			}
			keys = append(keys, string(key))
			return true, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, resp)
		if resp.NextCursor == "" {
			return keys, pages
		}
		pr = &queryv1.PageRequest{Cursor: resp.NextCursor, Limit: pr.Limit, Reverse: pr.Reverse}
	}
}

func TestPagesVisitEveryEntryOnceInOrder(t *testing.T) {
	s := pageStore(t, 2503)
	q := module.QueryContext{Store: s, Height: 9}
	all := func([]byte) bool { return true }
	for _, limit := range []uint32{0, 1, 7, 1000} {
		for _, reverse := range []bool{false, true} {
			keys, pages := walkAll(t, s, q, &queryv1.PageRequest{Limit: limit, Reverse: reverse}, all)
			if len(keys) != 2503 {
				t.Fatalf("limit %d reverse %v: %d entries", limit, reverse, len(keys))
			}
			for i, k := range keys {
				want := i
				if reverse {
					want = 2502 - i
				}
				if k != fmt.Sprintf("%05d", want) {
					t.Fatalf("limit %d reverse %v: entry %d is %q", limit, reverse, i, k)
				}
			}
			per := int(limit)
			if per == 0 {
				per = module.DefaultPageLimit
			}
			if len(pages) != (2503+per-1)/per || pages[0].Height != 9 {
				t.Fatalf("limit %d: %d pages", limit, len(pages))
			}
		}
	}
}

// Filters the range does not serve: a page examines at most ScanBudget
// entries, says so, and the walk goes on from there.
func TestScanBudget(t *testing.T) {
	const n = 3 * module.ScanBudget / 2
	s := pageStore(t, n)
	q := module.QueryContext{Store: s, Height: 3}
	rare := func(v []byte) bool { return v[0] == 6 && v[1] == 0 } // one entry in 77
	keys, pages := walkAll(t, s, q, &queryv1.PageRequest{Limit: 1000}, rare)
	want := 0
	for i := 0; i < n; i++ {
		if i%7 == 6 && i%11 == 0 {
			want++
		}
	}
	if len(keys) != want {
		t.Fatalf("%d entries listed, want %d", len(keys), want)
	}
	partial := 0
	for _, p := range pages {
		if p.Scanned > module.ScanBudget {
			t.Fatalf("a page examined %d entries", p.Scanned)
		}
		if p.Partial {
			partial++
			if p.NextCursor == "" || p.Scanned != module.ScanBudget {
				t.Fatalf("partial page %+v", p)
			}
		}
	}
	if partial == 0 {
		t.Fatal("no page was cut by the scan budget")
	}
}

func TestCursorsBelongToTheirWalk(t *testing.T) {
	s := pageStore(t, 10)
	q := module.QueryContext{Store: s, Height: 5}
	pg, _ := module.NewPage(q, &queryv1.PageRequest{Limit: 3})
	resp, err := pg.Walk(s, []byte("p/"), func([]byte, []byte) (bool, error) { return true, nil })
	if err != nil || resp.NextCursor == "" {
		t.Fatal(resp, err)
	}
	cur := resp.NextCursor
	if h, err := module.CursorHeight(&queryv1.PageRequest{}); h != 0 || err != nil {
		t.Fatalf("no page: %d %v", h, err)
	}
	for name, c := range map[string]struct {
		q  module.QueryContext
		pr *queryv1.PageRequest
	}{
		"other direction": {q, &queryv1.PageRequest{Cursor: cur, Reverse: true}},
		"other height":    {module.QueryContext{Store: s, Height: 6}, &queryv1.PageRequest{Cursor: cur}},
		"garbage":         {q, &queryv1.PageRequest{Cursor: "not-a-cursor"}},
		"too long a page": {q, &queryv1.PageRequest{Limit: module.MaxPageLimit + 1}},
	} {
		if _, err := module.NewPage(c.q, c.pr); !errors.Is(err, module.ErrBadQuery) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := module.NewPage(q, &queryv1.PageRequest{Cursor: cur, Limit: 9}); err != nil {
		t.Fatalf("another limit on the same walk: %v", err)
	}
}
