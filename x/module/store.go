package module

import (
	dbm "github.com/cosmos/cosmos-db"
)

// Iterator walks keys in order. It is cosmos-db's iterator: the same type the
// IAVL tree and the app's per-transaction cache return.
type Iterator = dbm.Iterator

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
