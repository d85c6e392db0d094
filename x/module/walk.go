package module

import "bytes"

// Walk calls f for every key of s in [start, end) (end nil: unbounded), in
// ascending key order, reading at most chunk entries per iterator and
// closing it before calling f on them. So f may write to s — including
// keys inside the range — without writing through an open iterator, and a
// walk over a large prefix holds at most chunk entries in memory. Keys f
// writes ahead of the walk's position are visited too; a caller that
// rewrites keys in place under the same prefix must tell its new keys from
// the old ones (the state migrations do so by key length).
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
