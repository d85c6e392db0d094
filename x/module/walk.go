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
