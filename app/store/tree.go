package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/iavl"
	iavldb "github.com/cosmos/iavl/db"
	ics23 "github.com/cosmos/ics23/go"

	"github.com/jcredit/jcredit/x/module"
)

// Tree is the committed state. It is not safe for concurrent use except
// through the read-only views from At, which stay valid while versions are
// added.
type Tree struct {
	db   dbm.DB
	tree *iavl.MutableTree
}

// cacheSize is the number of IAVL nodes kept in memory.
const cacheSize = 100_000

// fastIndex is whether IAVL keeps its "fast index": a second copy of every
// leaf under its own prefix, so that a read or an iteration of the latest
// version is one database lookup or seek instead of a walk down the tree
// through the node cache. It is on, chosen by measurement both ways
// (README, Performance: "IAVL's fast index, measured both ways"). Off, the
// app benchmarks ran 18-29 % less CPU per transfer (blocks of 100 distinct
// senders: every saved version writes each changed leaf twice with the
// index), and one sender's transfers no longer slowed down while its
// deletion markers sat in pebble's memtable; but on the network of
// make bench-net, where blocks of ~2,000 transfers rewrite a few hot keys
// and every transfer opens iterators over the committed tree, the
// validators spent ~10 % more CPU per committed transfer (each iterator
// step a node-cache lookup instead of a pebble step). The index is not part
// of the state: the root hash and every proof are the same either way, and
// a database written with it on opens with it off and back on (IAVL
// rebuilds it when it is behind the latest version); TestFastIndexSwitch
// checks both.
const fastIndex = true

// Open loads the latest saved version of the tree in db.
func Open(db dbm.DB) (*Tree, error) { return openTree(db, fastIndex) }

func openTree(db dbm.DB, fast bool) (*Tree, error) {
	// SyncOption: each saved version is fsynced. Without it pebble keeps
	// recent writes in its in-process WAL buffer, and a node killed with
	// SIGKILL restarts at an older height (or at 0) and must replay every
	// block since from CometBFT's store.
	t := iavl.NewMutableTree(iavldb.NewWrapper(db), cacheSize, !fast, iavl.NewNopLogger(), iavl.SyncOption(true))
	if _, err := t.Load(); err != nil {
		return nil, fmt.Errorf("load state: %w", err)
	}
	return &Tree{db: db, tree: t}, nil
}

// OpenDir opens (creating if needed) the state database in dir, with
// DefaultDBOptions (pebble.go).
func OpenDir(name, dir string) (*Tree, error) { return OpenDirWith(name, dir, DefaultDBOptions) }

// Close closes the database.
func (t *Tree) Close() error { return t.db.Close() }

// Version is the last committed version (the block height), 0 for none.
func (t *Tree) Version() int64 { return t.tree.Version() }

// Hash is the root hash of the last committed version.
func (t *Tree) Hash() []byte { return t.tree.Hash() }

// WorkingHash is the root hash including uncommitted writes: the app hash
// FinalizeBlock returns.
func (t *Tree) WorkingHash() []byte { return t.tree.WorkingHash() }

// SetInitialVersion makes the first commit produce version v (genesis
// initial_height).
func (t *Tree) SetInitialVersion(v uint64) { t.tree.SetInitialVersion(v) }

// Commit saves the working version and returns its hash and number.
func (t *Tree) Commit() ([]byte, int64, error) { return t.tree.SaveVersion() }

// Rollback discards uncommitted writes.
func (t *Tree) Rollback() { t.tree.Rollback() }

// Get reads key from the working version.
func (t *Tree) Get(key []byte) []byte {
	v, err := t.tree.Get(key)
	if err != nil {
		panic(module.StoreError{Err: err})
	}
	return v
}

// Has reports whether key exists in the working version.
func (t *Tree) Has(key []byte) bool { return t.Get(key) != nil }

// Set writes to the working version. Callers go through Cache.Write so that
// the order is deterministic.
func (t *Tree) Set(key, value []byte) {
	if _, err := t.tree.Set(key, value); err != nil {
		panic(module.StoreError{Err: err})
	}
}

// Delete removes key from the working version.
func (t *Tree) Delete(key []byte) {
	if _, _, err := t.tree.Remove(key); err != nil {
		panic(module.StoreError{Err: err})
	}
}

// Iterator walks the working version in ascending order.
func (t *Tree) Iterator(start, end []byte) module.Iterator {
	it, err := t.tree.Iterator(start, end, true)
	if err != nil {
		panic(module.StoreError{Err: err})
	}
	return it
}

// ReverseIterator walks the working version in descending order.
func (t *Tree) ReverseIterator(start, end []byte) module.Iterator {
	it, err := t.tree.Iterator(start, end, false)
	if err != nil {
		panic(module.StoreError{Err: err})
	}
	return it
}

var _ module.KVStore = (*Tree)(nil)

// ErrVersionMissing is returned by At for a version that was never saved or
// has been pruned.
var ErrVersionMissing = errors.New("state version not available")

// At returns a read-only view of a committed version.
func (t *Tree) At(version int64) (*Snapshot, error) {
	if !t.tree.VersionExists(version) {
		return nil, fmt.Errorf("%w: %d (latest %d)", ErrVersionMissing, version, t.tree.Version())
	}
	it, err := t.tree.GetImmutable(version)
	if err != nil {
		return nil, err
	}
	return &Snapshot{tree: it}, nil
}

// Snapshot is a read-only committed version. Writes panic.
type Snapshot struct{ tree *iavl.ImmutableTree }

// Version is the snapshot's version.
func (s *Snapshot) Version() int64 { return s.tree.Version() }

// Hash is the snapshot's root hash (the app hash of that height).
func (s *Snapshot) Hash() []byte { return s.tree.Hash() }

func (s *Snapshot) Get(key []byte) []byte {
	v, err := s.tree.Get(key)
	if err != nil {
		panic(module.StoreError{Err: err})
	}
	return v
}
func (s *Snapshot) Has(key []byte) bool { return s.Get(key) != nil }
func (s *Snapshot) Set(_, _ []byte)     { panic("store: write to a read-only snapshot") }
func (s *Snapshot) Delete(_ []byte)     { panic("store: write to a read-only snapshot") }
func (s *Snapshot) Iterator(start, end []byte) module.Iterator {
	it, err := s.tree.Iterator(start, end, true)
	if err != nil {
		panic(module.StoreError{Err: err})
	}
	return it
}
func (s *Snapshot) ReverseIterator(start, end []byte) module.Iterator {
	it, err := s.tree.Iterator(start, end, false)
	if err != nil {
		panic(module.StoreError{Err: err})
	}
	return it
}

// Proof returns an ICS23 proof that key has its value in this version, or,
// if the key is absent, that it is absent.
func (s *Snapshot) Proof(key []byte) (*ics23.CommitmentProof, error) {
	has, err := s.tree.Has(key)
	if err != nil {
		return nil, err
	}
	if has {
		return s.tree.GetMembershipProof(key)
	}
	return s.tree.GetNonMembershipProof(key)
}

var _ module.KVStore = (*Snapshot)(nil)

// ErrReadOnly is returned by writes to a tree opened with OpenDirReadOnly.
var ErrReadOnly = errors.New("the state database is open read-only")

// readOnlyDB refuses every write, so that a tool reading a node's state
// (genesis export) cannot change it.
type readOnlyDB struct{ dbm.DB }

func (readOnlyDB) Set([]byte, []byte) error     { return ErrReadOnly }
func (readOnlyDB) SetSync([]byte, []byte) error { return ErrReadOnly }
func (readOnlyDB) Delete([]byte) error          { return ErrReadOnly }
func (readOnlyDB) DeleteSync([]byte) error      { return ErrReadOnly }
func (readOnlyDB) NewBatch() dbm.Batch          { return readOnlyBatch{} }
func (readOnlyDB) NewBatchWithSize(int) dbm.Batch {
	return readOnlyBatch{}
}

type readOnlyBatch struct{}

func (readOnlyBatch) Set([]byte, []byte) error { return ErrReadOnly }
func (readOnlyBatch) Delete([]byte) error      { return ErrReadOnly }
func (readOnlyBatch) Write() error             { return ErrReadOnly }
func (readOnlyBatch) WriteSync() error         { return ErrReadOnly }
func (readOnlyBatch) Close() error             { return nil }
func (readOnlyBatch) GetByteSize() (int, error) {
	return 0, nil
}

// OpenDirReadOnly opens the state database name in dir for reading only:
// every write is refused, and the tree is loaded without the fast-index
// upgrade IAVL would otherwise write. The database must exist. The
// database engine still takes its directory lock, so this fails while a
// node has the database open (ErrLocked).
func OpenDirReadOnly(name, dir string) (*Tree, error) {
	if _, err := os.Stat(filepath.Join(dir, name+".db")); err != nil {
		return nil, fmt.Errorf("no state database in %s: %w", dir, err)
	}
	db, err := OpenPebble(name, dir, DefaultDBOptions)
	if err != nil {
		// fcntl's lock is held by another process (EAGAIN, EACCES) or,
		// pebble says, by this one.
		if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EACCES) || strings.Contains(err.Error(), "lock held") {
			return nil, fmt.Errorf("%w (%s: %v)", ErrLocked, dir, err)
		}
		return nil, fmt.Errorf("open state db in %s: %w", dir, err)
	}
	t := iavl.NewMutableTree(iavldb.NewWrapper(readOnlyDB{db}), cacheSize, true, iavl.NewNopLogger())
	if _, err := t.Load(); err != nil {
		db.Close()
		return nil, fmt.Errorf("load state: %w", err)
	}
	return &Tree{db: db, tree: t}, nil
}

// ErrLocked: another process (a running node) holds the state database.
var ErrLocked = errors.New("the state database is locked by another process: is the node running? stop it first")
