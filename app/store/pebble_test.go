package store

import (
	"testing"
)

// The state database over pebble keeps cosmos-db's contract: absent keys
// read as nil, empty keys and nil values are refused, iterators respect
// their bounds in both directions, batches are atomic and single-use, and
// what was written is there after a reopen.
func TestPebbleDB(t *testing.T) {
	dir := t.TempDir()
	db, err := OpenPebble("state", dir, DefaultDBOptions)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := db.Get([]byte("a")); v != nil || err != nil {
		t.Fatalf("absent key: %q %v", v, err)
	}
	if _, err := db.Get(nil); err == nil {
		t.Fatal("empty key read")
	}
	if err := db.Set([]byte("a"), nil); err == nil {
		t.Fatal("nil value written")
	}
	b := db.NewBatch()
	for _, k := range []string{"a", "b", "c", "d"} {
		if err := b.Set([]byte(k), []byte("v"+k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Delete([]byte("c")); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.Get([]byte("a")); v != nil {
		t.Fatal("a batch's write is visible before Write")
	}
	if err := b.WriteSync(); err != nil {
		t.Fatal(err)
	}
	if err := b.Set([]byte("e"), []byte("ve")); err == nil {
		t.Fatal("a written batch took another write")
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	collect := func(reverse bool, start, end string) string {
		t.Helper()
		var s, e []byte
		if start != "" {
			s = []byte(start)
		}
		if end != "" {
			e = []byte(end)
		}
		open := db.Iterator
		if reverse {
			open = db.ReverseIterator
		}
		it, err := open(s, e)
		if err != nil {
			t.Fatal(err)
		}
		defer it.Close()
		out := ""
		for ; it.Valid(); it.Next() {
			out += string(it.Key()) + "=" + string(it.Value()) + " "
		}
		return out
	}
	for _, c := range []struct {
		reverse    bool
		start, end string
		want       string
	}{
		{false, "", "", "a=va b=vb d=vd "},
		{true, "", "", "d=vd b=vb a=va "},
		{false, "b", "d", "b=vb "},
		{true, "a", "d", "b=vb a=va "},
		{true, "b", "c", "b=vb "},
		{false, "e", "", ""},
	} {
		if got := collect(c.reverse, c.start, c.end); got != c.want {
			t.Errorf("reverse=%v [%q, %q): %q, want %q", c.reverse, c.start, c.end, got, c.want)
		}
	}
	if err := db.DeleteSync([]byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = OpenPebble("state", dir, DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := collect(false, "", ""); got != "b=vb d=vd " {
		t.Fatalf("after reopening: %q", got)
	}
}
