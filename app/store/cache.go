package store

import (
	"bytes"

	"github.com/google/btree"

	"github.com/jcredit/jcredit/x/module"
)

// Cache buffers writes over a parent store. Reads see the buffer first.
// Write applies the buffer to the parent in ascending key order; dropping
// the Cache discards it. The app uses one Cache per transaction, inside one
// per block.
//
// The buffer is a B-tree, and an iterator walks it lazily beside the
// parent's iterator, so that opening an iterator and taking k steps costs
// O(k + log n) however many writes the buffer holds (it used to copy every
// buffered entry in range up front, which made a transaction's cost
// quadratic in its own writes).
//
// An iterator sees the store as it was when the iterator was opened:
// writes made while it is open (through this Cache, or through a Cache
// above it that is written into this one) do not disturb it. This is done
// by copy-on-write: the first write after an iterator was opened gives the
// Cache a lazily copied B-tree (btree.Clone, O(1); nodes are copied as they
// are written), and open iterators keep walking the old one, which nothing
// writes any more. Once every iterator is closed, writes go in place again.
type Cache struct {
	parent  module.KVStore
	entries *btree.BTreeG[entry]
	// readers counts the open iterators walking entries; a write with
	// readers > 0 first swaps in a copy (see detach).
	readers int
	// gen numbers the generations of entries, so that an iterator of an
	// older generation does not decrement the current one's readers.
	gen uint64
}

type entry struct {
	key     []byte
	value   []byte
	deleted bool
}

func entryLess(a, b entry) bool { return bytes.Compare(a.key, b.key) < 0 }

// freeNodes is the B-tree node free list every Cache shares (btree's
// FreeListG is safe for concurrent use): a Cache per transaction, and
// several per CheckTx, would otherwise each allocate their own.
var freeNodes = btree.NewFreeListG[entry](btree.DefaultFreeListSize)

func newEntries() *btree.BTreeG[entry] { return btree.NewWithFreeListG(32, entryLess, freeNodes) }

// NewCache returns an empty buffer over parent.
func NewCache(parent module.KVStore) *Cache {
	return &Cache{parent: parent, entries: newEntries()}
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
	c.detach()
	c.entries.ReplaceOrInsert(entry{key: bytes.Clone(key), value: value})
}

func (c *Cache) Delete(key []byte) {
	c.detach()
	c.entries.ReplaceOrInsert(entry{key: bytes.Clone(key), deleted: true})
}

// detach is called before every write: if iterators are walking the
// current B-tree, they keep it and the Cache continues on a lazy copy.
func (c *Cache) detach() {
	if c.readers == 0 {
		return
	}
	c.entries = c.entries.Clone()
	c.readers = 0
	c.gen++
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
	if c.readers > 0 {
		// Open iterators keep the old tree.
		c.entries = newEntries()
		c.readers = 0
		c.gen++
		return
	}
	c.entries.Clear(false)
}

func (c *Cache) Iterator(start, end []byte) module.Iterator {
	return c.newMergeIterator(c.parent.Iterator(start, end), start, end, false)
}

func (c *Cache) ReverseIterator(start, end []byte) module.Iterator {
	return c.newMergeIterator(c.parent.ReverseIterator(start, end), start, end, true)
}

var _ module.KVStore = (*Cache)(nil)

// cursor walks the buffered entries of one B-tree in [start, end), lazily.
// The tree is not written while the cursor uses it (see Cache.detach), so
// it fetches the entries in small batches, each with one O(log n) descent
// from just past the last entry it returned; batches grow from 2 to 64
// entries, because most iterators are opened to read one or two keys.
type cursor struct {
	tree       *btree.BTreeG[entry]
	start, end []byte
	reverse    bool

	batch []entry
	pos   int
	// last is the key of the last entry fetched; nil before the first
	// fetch. done: the tree holds nothing further in range.
	last []byte
	done bool
	want int
}

func (cu *cursor) peek() (entry, bool) {
	if cu.pos < len(cu.batch) {
		return cu.batch[cu.pos], true
	}
	if cu.done {
		return entry{}, false
	}
	cu.fill()
	if cu.pos < len(cu.batch) {
		return cu.batch[cu.pos], true
	}
	return entry{}, false
}

func (cu *cursor) next() { cu.pos++ }

// fill fetches the next batch after cu.last.
func (cu *cursor) fill() {
	if cu.want == 0 {
		cu.want = 2
	} else if cu.want < 64 {
		cu.want *= 2
	}
	cu.batch, cu.pos = cu.batch[:0], 0
	first := cu.last == nil
	collect := func(e entry) bool {
		if !first && bytes.Equal(e.key, cu.last) {
			return true // the pivot itself, returned last time
		}
		if cu.reverse {
			if cu.start != nil && bytes.Compare(e.key, cu.start) < 0 {
				cu.done = true
				return false
			}
		} else if cu.end != nil && bytes.Compare(e.key, cu.end) >= 0 {
			cu.done = true
			return false
		}
		cu.batch = append(cu.batch, e)
		return len(cu.batch) < cu.want
	}
	switch {
	case !cu.reverse && first && cu.start == nil:
		cu.tree.Ascend(collect)
	case !cu.reverse && first:
		cu.tree.AscendGreaterOrEqual(entry{key: cu.start}, collect)
	case !cu.reverse:
		cu.tree.AscendGreaterOrEqual(entry{key: cu.last}, collect)
	case first && cu.end == nil:
		cu.tree.Descend(collect)
	case first:
		// Keys below end: DescendLessOrEqual(end) also yields end itself,
		// which collect must skip.
		cu.tree.DescendLessOrEqual(entry{key: cu.end}, func(e entry) bool {
			if bytes.Equal(e.key, cu.end) {
				return true
			}
			return collect(e)
		})
	default:
		cu.tree.DescendLessOrEqual(entry{key: cu.last}, collect)
	}
	if len(cu.batch) < cu.want {
		cu.done = true
	}
	if n := len(cu.batch); n > 0 {
		cu.last = cu.batch[n-1].key
	}
}

// mergeIterator merges the parent's iterator with the buffered entries: a
// buffered entry shadows the parent's, and a buffered delete hides it.
type mergeIterator struct {
	owner      *Cache
	gen        uint64
	closed     bool
	parent     module.Iterator
	buf        cursor
	reverse    bool
	start, end []byte

	key, value []byte
	valid      bool
}

func (c *Cache) newMergeIterator(parent module.Iterator, start, end []byte, reverse bool) *mergeIterator {
	c.readers++
	it := &mergeIterator{
		owner: c, gen: c.gen, parent: parent, reverse: reverse, start: start, end: end,
		buf: cursor{tree: c.entries, start: start, end: end, reverse: reverse},
	}
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
		e, hasBuf := it.buf.peek()
		hasParent := it.parent.Valid()
		switch {
		case !hasBuf && !hasParent:
			it.valid = false
			return
		case hasParent && (!hasBuf || it.before(it.parent.Key(), e.key)):
			it.key, it.value, it.valid = it.parent.Key(), it.parent.Value(), true
			it.parent.Next()
			return
		default:
			// The buffered key comes first, or equals the parent's, which it
			// shadows.
			if hasParent && bytes.Equal(it.parent.Key(), e.key) {
				it.parent.Next()
			}
			it.buf.next()
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

// Close releases the parent's iterator and this iterator's hold on the
// Cache's B-tree. Closing twice is harmless.
func (it *mergeIterator) Close() error {
	if !it.closed {
		it.closed = true
		if it.owner.gen == it.gen {
			it.owner.readers--
		}
	}
	return it.parent.Close()
}
