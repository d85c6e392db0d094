package node

import (
	"errors"
	"sync"

	dbm "github.com/cometbft/cometbft-db"
)

// errIndexClosed is what a write to the transaction index gets once the
// node has closed it.
var errIndexClosed = errors.New("the transaction index is closed: the node is stopping")

// closeGuard wraps the transaction index database. CometBFT v1.0.1's
// indexer service keeps indexing the block it was handed after the node
// stops, and pebble panics on a write to a closed database ("pebble:
// closed"), which ends the process. Behind the guard that write gets an
// error instead, which the indexer logs; Close waits for the calls in
// progress, so none runs on a closed pebble.
type closeGuard struct {
	dbm.DB
	mu     sync.RWMutex
	closed bool
}

func guardClose(db dbm.DB) *closeGuard { return &closeGuard{DB: db} }

// enter holds the guard for one call; it fails once the database is closed.
func (g *closeGuard) enter() error {
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		return errIndexClosed
	}
	return nil
}

func (g *closeGuard) Get(k []byte) ([]byte, error) {
	if err := g.enter(); err != nil {
		return nil, err
	}
	defer g.mu.RUnlock()
	return g.DB.Get(k)
}

func (g *closeGuard) Has(k []byte) (bool, error) {
	if err := g.enter(); err != nil {
		return false, err
	}
	defer g.mu.RUnlock()
	return g.DB.Has(k)
}

func (g *closeGuard) Set(k, v []byte) error {
	if err := g.enter(); err != nil {
		return err
	}
	defer g.mu.RUnlock()
	return g.DB.Set(k, v)
}

func (g *closeGuard) SetSync(k, v []byte) error {
	if err := g.enter(); err != nil {
		return err
	}
	defer g.mu.RUnlock()
	return g.DB.SetSync(k, v)
}

func (g *closeGuard) Delete(k []byte) error {
	if err := g.enter(); err != nil {
		return err
	}
	defer g.mu.RUnlock()
	return g.DB.Delete(k)
}

func (g *closeGuard) DeleteSync(k []byte) error {
	if err := g.enter(); err != nil {
		return err
	}
	defer g.mu.RUnlock()
	return g.DB.DeleteSync(k)
}

func (g *closeGuard) Iterator(start, end []byte) (dbm.Iterator, error) {
	if err := g.enter(); err != nil {
		return nil, err
	}
	defer g.mu.RUnlock()
	return g.DB.Iterator(start, end)
}

func (g *closeGuard) ReverseIterator(start, end []byte) (dbm.Iterator, error) {
	if err := g.enter(); err != nil {
		return nil, err
	}
	defer g.mu.RUnlock()
	return g.DB.ReverseIterator(start, end)
}

func (g *closeGuard) Compact(start, end []byte) error {
	if err := g.enter(); err != nil {
		return err
	}
	defer g.mu.RUnlock()
	return g.DB.Compact(start, end)
}

// NewBatch returns a batch whose writes go through the guard: the
// indexer builds a batch per block and writes it at the end.
func (g *closeGuard) NewBatch() dbm.Batch { return &guardedBatch{g: g, b: g.DB.NewBatch()} }

// Close closes the database once the calls in progress have returned.
func (g *closeGuard) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil
	}
	g.closed = true
	return g.DB.Close()
}

type guardedBatch struct {
	g *closeGuard
	b dbm.Batch
}

func (b *guardedBatch) Set(k, v []byte) error {
	if err := b.g.enter(); err != nil {
		return err
	}
	defer b.g.mu.RUnlock()
	return b.b.Set(k, v)
}

func (b *guardedBatch) Delete(k []byte) error {
	if err := b.g.enter(); err != nil {
		return err
	}
	defer b.g.mu.RUnlock()
	return b.b.Delete(k)
}

func (b *guardedBatch) Write() error {
	if err := b.g.enter(); err != nil {
		return err
	}
	defer b.g.mu.RUnlock()
	return b.b.Write()
}

func (b *guardedBatch) WriteSync() error {
	if err := b.g.enter(); err != nil {
		return err
	}
	defer b.g.mu.RUnlock()
	return b.b.WriteSync()
}

// Close releases the batch; after the database closed, pebble has freed
// it already.
func (b *guardedBatch) Close() error {
	if err := b.g.enter(); err != nil {
		return nil
	}
	defer b.g.mu.RUnlock()
	return b.b.Close()
}
