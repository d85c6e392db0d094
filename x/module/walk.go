package module

import "bytes"

// Walk calls f for every key of s in [start, end) (end nil: unbounded), in
// ascending key order, reading at most chunk entries per iterator and
// closing it before calling f on them. So a walk over a large prefix holds
// at most chunk entries in memory, and f may write to s without writing
// through an open iterator: it may delete or rewrite the key it is given
// and write anywhere outside [start, end). (Whether a key f writes
// elsewhere inside the range is visited depends on chunk: do not.) The
// state migrations walk old keys this way.
//
// f's arguments are copies it may keep. An error from f stops the walk and
// is returned.
func Walk(s KVStore, start, end []byte, chunk int, f func(key, value []byte) error) error {
	if chunk < 1 {
		chunk = 1
	}
	type kv struct{ k, v []byte }
	cursor := append([]byte(nil), start...)
	for {
		var batch []kv
		it := s.Iterator(cursor, end)
		for ; it.Valid() && len(batch) < chunk; it.Next() {
			batch = append(batch, kv{bytes.Clone(it.Key()), bytes.Clone(it.Value())})
		}
		err := it.Error()
		it.Close()
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, e := range batch {
			if err := f(e.k, e.v); err != nil {
				return err
			}
		}
		cursor = append(batch[len(batch)-1].k, 0) // the smallest key after the last one seen
	}
}

// Lookup reads records by key in the order of a walk (ascending, or
// descending if reverse) through one open iterator over their prefix: when
// the key asked for is the entry after the one read before, it is reached
// by one step instead of a fresh seek (a seek per record is what made a
// dense index walk's cost per record grow with the store). After a miss it
// seeks directly for a while (1, 2, 4 … up to 64 keys), so a sparse walk
// wastes few steps. Get is right whatever the order; only its cost depends
// on it.
type Lookup struct {
	s       KVStore
	prefix  []byte
	reverse bool
	it      Iterator
	// skip is how many more keys to seek directly; backoff the next skip
	// after a miss.
	skip, backoff int
}

// maxLookupBackoff bounds the seeks in a row after a missed step.
const maxLookupBackoff = 64

// NewLookup returns a Lookup of keys under prefix. Close it when done.
func NewLookup(s KVStore, prefix []byte, reverse bool) *Lookup {
	return &Lookup{s: s, prefix: prefix, reverse: reverse, backoff: 1}
}

// Get returns the value of key (a full store key under the prefix), nil if
// absent. The value is valid until the next call.
func (l *Lookup) Get(key []byte) []byte {
	if l.it != nil && l.skip == 0 && l.it.Valid() {
		l.it.Next()
		if l.it.Valid() && bytes.Equal(l.it.Key(), key) {
			l.backoff = 1
			return l.it.Value()
		}
		l.skip, l.backoff = l.backoff, min(2*l.backoff, maxLookupBackoff)
	}
	if l.skip > 0 {
		l.skip--
	}
	if l.it != nil {
		l.it.Close()
	}
	if l.reverse {
		l.it = l.s.ReverseIterator(l.prefix, append(bytes.Clone(key), 0))
	} else {
		l.it = l.s.Iterator(key, PrefixEnd(l.prefix))
	}
	if l.it.Valid() && bytes.Equal(l.it.Key(), key) {
		return l.it.Value()
	}
	return nil
}

// Close closes the open iterator.
func (l *Lookup) Close() {
	if l.it != nil {
		l.it.Close()
		l.it = nil
	}
}
