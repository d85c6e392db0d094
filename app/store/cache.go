package store

import (
	"bytes"

	"github.com/google/btree"

	"github.com/jcredit/jcredit/x/module"
)

// Cache buffers writes over a parent store. Reads see the buffer first.
// Write applies the buffer to the parent in ascending key order; dropping
// the Cache discards it. The app uses one Cache per transaction, inside one
// per block. The buffer is a B-tree, so iterating over a range costs
// O(log n + k) however many writes a block has buffered.
type Cache struct {
	parent  module.KVStore
	entries *btree.BTreeG[entry]
}

type entry struct {
	key     []byte
	value   []byte
	deleted bool
}

func entryLess(a, b entry) bool { return bytes.Compare(a.key, b.key) < 0 }

// NewCache returns an empty buffer over parent.
func NewCache(parent module.KVStore) *Cache {
	return &Cache{parent: parent, entries: btree.NewG(32, entryLess)}
}

func (c *Cache) Get(key []byte) []byte {
	if e, ok := c.entries.Get(entry{key: key}); ok {
		if e.deleted {
			return nil
		}
		return e.value
	}
	return c.parent.Get(key)
}

func (c *Cache) Has(key []byte) bool { return c.Get(key) != nil }

func (c *Cache) Set(key, value []byte) {
	if value == nil {
		value = []byte{}
	}
	c.entries.ReplaceOrInsert(entry{key: bytes.Clone(key), value: value})
}

func (c *Cache) Delete(key []byte) {
	c.entries.ReplaceOrInsert(entry{key: bytes.Clone(key), deleted: true})
}

// Len is the number of buffered writes.
func (c *Cache) Len() int { return c.entries.Len() }

// Write applies the buffer to the parent in ascending key order and empties
// it.
func (c *Cache) Write() {
	c.entries.Ascend(func(e entry) bool {
		if e.deleted {
			c.parent.Delete(e.key)
		} else {
			c.parent.Set(e.key, e.value)
		}
		return true
	})
	c.entries.Clear(false)
}

// buffered returns the buffered entries in [start, end), in iteration order.
// Iterators work on this copy, so writes during iteration do not disturb
// them.
func (c *Cache) buffered(start, end []byte, reverse bool) []entry {
	var out []entry
	collect := func(e entry) bool { out = append(out, e); return true }
	switch {
	case !reverse && start == nil && end == nil:
		c.entries.Ascend(collect)
	case !reverse && start == nil:
		c.entries.AscendLessThan(entry{key: end}, collect)
	case !reverse && end == nil:
		c.entries.AscendGreaterOrEqual(entry{key: start}, collect)
	case !reverse:
		c.entries.AscendRange(entry{key: start}, entry{key: end}, collect)
	default:
		// Descend from just below end down to start.
		visit := func(e entry) bool {
			if start != nil && bytes.Compare(e.key, start) < 0 {
				return false
			}
			if end != nil && bytes.Compare(e.key, end) >= 0 {
				return true
			}
			out = append(out, e)
			return true
		}
		if end == nil {
			c.entries.Descend(visit)
		} else {
			c.entries.DescendLessOrEqual(entry{key: end}, visit)
		}
	}
	return out
}

func (c *Cache) Iterator(start, end []byte) module.Iterator {
	return newMergeIterator(c.parent.Iterator(start, end), c.buffered(start, end, false), start, end, false)
}

func (c *Cache) ReverseIterator(start, end []byte) module.Iterator {
	return newMergeIterator(c.parent.ReverseIterator(start, end), c.buffered(start, end, true), start, end, true)
}

var _ module.KVStore = (*Cache)(nil)

// mergeIterator merges the parent's iterator with the buffered entries: a
// buffered entry shadows the parent's, and a buffered delete hides it.
type mergeIterator struct {
	parent     module.Iterator
	buf        []entry // in iteration order
	pos        int
	reverse    bool
	start, end []byte

	key, value []byte
	valid      bool
}

func newMergeIterator(parent module.Iterator, buf []entry, start, end []byte, reverse bool) *mergeIterator {
	it := &mergeIterator{parent: parent, buf: buf, reverse: reverse, start: start, end: end}
	it.advance()
	return it
}

// before reports whether key a comes before b in iteration order.
func (it *mergeIterator) before(a, b []byte) bool {
	if it.reverse {
		return bytes.Compare(a, b) > 0
	}
	return bytes.Compare(a, b) < 0
}

// advance moves to the next visible key.
func (it *mergeIterator) advance() {
	for {
		hasBuf := it.pos < len(it.buf)
		hasParent := it.parent.Valid()
		switch {
		case !hasBuf && !hasParent:
			it.valid = false
			return
		case hasParent && (!hasBuf || it.before(it.parent.Key(), it.buf[it.pos].key)):
			it.key, it.value, it.valid = it.parent.Key(), it.parent.Value(), true
			it.parent.Next()
			return
		default:
			// The buffered key comes first, or equals the parent's, which it
			// shadows.
			e := it.buf[it.pos]
			if hasParent && bytes.Equal(it.parent.Key(), e.key) {
				it.parent.Next()
			}
			it.pos++
			if e.deleted {
				continue
			}
			it.key, it.value, it.valid = e.key, e.value, true
			return
		}
	}
}

func (it *mergeIterator) Domain() ([]byte, []byte) { return it.start, it.end }
func (it *mergeIterator) Valid() bool              { return it.valid }
func (it *mergeIterator) Next() {
	if !it.valid {
		panic("store: Next on an invalid iterator")
	}
	it.advance()
}
func (it *mergeIterator) Key() []byte   { return it.key }
func (it *mergeIterator) Value() []byte { return it.value }
func (it *mergeIterator) Error() error  { return it.parent.Error() }
func (it *mergeIterator) Close() error  { return it.parent.Close() }
