package node

import (
	"errors"
	"testing"

	dbm "github.com/cometbft/cometbft-db"
)

// A write to the transaction index after the node closed it is an error
// the indexer logs, not pebble's panic that ends the process.
func TestTxIndexWriteAfterCloseIsAnError(t *testing.T) {
	db, err := dbm.NewDB("tx_index", dbm.PebbleDBBackend, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	g := guardClose(db)
	b := g.NewBatch()
	if err := b.Set([]byte("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteSync(); !errors.Is(err, errIndexClosed) {
		t.Fatalf("batch write after close: %v, want errIndexClosed", err)
	}
	if err := g.Set([]byte("k"), []byte("v")); !errors.Is(err, errIndexClosed) {
		t.Fatalf("set after close: %v, want errIndexClosed", err)
	}
	if _, err := g.Get([]byte("k")); !errors.Is(err, errIndexClosed) {
		t.Fatalf("get after close: %v, want errIndexClosed", err)
	}
	if err := g.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
}
