package credits

import "github.com/jcredit/jcredit/x/module"

// StoreCounter counts what is done to the store it wraps: point reads,
// iterators opened, entries stepped over, the bytes of keys and values
// returned, and writes. The counts are deterministic (unlike time on a
// shared machine), so a test can assert that a list's work per record does
// not grow with the state (query_cost_test.go), and a benchmark can report
// a transaction's accesses to the committed tree under its write buffer
// (bench_flat_test.go). Exported for the external tests of this package.
type StoreCounter struct {
	module.KVStore
	Gets, Seeks, Steps, Bytes, Writes int
}

func (c *StoreCounter) Get(key []byte) []byte {
	c.Gets++
	v := c.KVStore.Get(key)
	c.Bytes += len(key) + len(v)
	return v
}
func (c *StoreCounter) Has(key []byte) bool   { return c.Get(key) != nil }
func (c *StoreCounter) Set(key, value []byte) { c.Writes++; c.KVStore.Set(key, value) }
func (c *StoreCounter) Delete(key []byte)     { c.Writes++; c.KVStore.Delete(key) }
func (c *StoreCounter) Iterator(start, end []byte) module.Iterator {
	c.Seeks++
	return &countingIterator{Iterator: c.KVStore.Iterator(start, end), c: c}
}
func (c *StoreCounter) ReverseIterator(start, end []byte) module.Iterator {
	c.Seeks++
	return &countingIterator{Iterator: c.KVStore.ReverseIterator(start, end), c: c}
}

type countingIterator struct {
	module.Iterator
	c *StoreCounter
}

func (it *countingIterator) Key() []byte { k := it.Iterator.Key(); it.c.Bytes += len(k); return k }
func (it *countingIterator) Value() []byte {
	v := it.Iterator.Value()
	it.c.Bytes += len(v)
	return v
}
func (it *countingIterator) Next() { it.c.Steps++; it.Iterator.Next() }
