package module

import "bytes"

// Prefix returns a view of parent in which every key is silently prefixed
// with p. Modules use it so that their keys can never collide.
func Prefix(parent KVStore, p string) KVStore {
	return prefixStore{parent: parent, prefix: []byte(p)}
}

type prefixStore struct {
	parent KVStore
	prefix []byte
}

func (s prefixStore) key(k []byte) []byte {
	out := make([]byte, 0, len(s.prefix)+len(k))
	return append(append(out, s.prefix...), k...)
}

func (s prefixStore) Get(k []byte) []byte { return s.parent.Get(s.key(k)) }
func (s prefixStore) Has(k []byte) bool   { return s.parent.Has(s.key(k)) }
func (s prefixStore) Set(k, v []byte)     { s.parent.Set(s.key(k), v) }
func (s prefixStore) Delete(k []byte)     { s.parent.Delete(s.key(k)) }
func (s prefixStore) Iterator(start, end []byte) Iterator {
	return s.iter(start, end, false)
}
func (s prefixStore) ReverseIterator(start, end []byte) Iterator {
	return s.iter(start, end, true)
}

func (s prefixStore) iter(start, end []byte, reverse bool) Iterator {
	pstart := s.key(start)
	var pend []byte
	if end == nil {
		pend = PrefixEnd(s.prefix)
	} else {
		pend = s.key(end)
	}
	var it Iterator
	if reverse {
		it = s.parent.ReverseIterator(pstart, pend)
	} else {
		it = s.parent.Iterator(pstart, pend)
	}
	return &prefixIterator{Iterator: it, prefix: s.prefix, start: start, end: end}
}

// prefixIterator strips the prefix from the keys it yields.
type prefixIterator struct {
	Iterator
	prefix     []byte
	start, end []byte
}

func (it *prefixIterator) Domain() ([]byte, []byte) { return it.start, it.end }
func (it *prefixIterator) Key() []byte {
	k := it.Iterator.Key()
	if !bytes.HasPrefix(k, it.prefix) {
		return k
	}
	return k[len(it.prefix):]
}

// PrefixEnd returns the smallest key greater than every key starting with p,
// or nil if there is none (p is all 0xFF). It is the end bound for iterating
// over a prefix.
func PrefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xFF {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
