package module

import "github.com/jcredit/jcredit/x/module/base"

// Iterator walks keys in order over [start, end) of a KVStore.
//
// It has the method set of cosmos-db's iterator, so the IAVL tree's and the
// app's per-transaction cache's iterators satisfy it as they are, but this
// package (and so every module's storage-free core, which the WebAssembly
// verifier compiles) depends on no database.
//
// Contract: a fresh iterator is positioned on its first key (Valid reports
// whether there is one); Next moves on and must not be called once Valid is
// false; Key and Value return the current entry, which the caller must not
// modify; Close releases the iterator and must be called.
type Iterator interface {
	// Domain returns the start and end the iterator was created with.
	Domain() (start, end []byte)
	Valid() bool
	Next()
	Key() (key []byte)
	Value() (value []byte)
	// Error is the error that stopped the iteration, if any.
	Error() error
	Close() error
}

// IndexValue is the value of an index entry whose key says everything. It
// is never empty: ICS23 cannot prove a key absent next to a neighbour whose
// value is empty, so no value in state may be empty (see DESIGN.md).
var IndexValue = base.IndexValue

// KVStore is the state a module reads and writes.
//
// Contract: Get returns nil for a missing key; keys and values passed to Set
// must not be modified afterwards; Iterator(start, end) covers [start, end)
// in ascending key order (nil means unbounded) and must be closed. Storage
// failures are not returned as errors: they panic, because a node that cannot
// read its own state must stop rather than compute a different app hash.
type KVStore interface {
	Get(key []byte) []byte
	Has(key []byte) bool
	Set(key, value []byte)
	Delete(key []byte)
	Iterator(start, end []byte) Iterator
	ReverseIterator(start, end []byte) Iterator
}

// StoreError is the panic value a KVStore raises when the disk fails. The app
// re-raises it instead of turning it into a transaction error.
type StoreError struct{ Err error }

func (e StoreError) Error() string { return "store: " + e.Err.Error() }
func (e StoreError) Unwrap() error { return e.Err }
