package module

import (
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/ethereum/go-ethereum/common"
)

// Context is what a handler knows about the transaction it is executing.
// Everything in it is the same on every validator: the time is the block's
// time from the header, never the local clock.
type Context struct {
	ChainID string
	Height  int64
	Time    time.Time
	TxHash  []byte
	// Signer is the key that signed the transaction (recovered from the
	// signature). Zero during genesis and end-of-block processing.
	Signer common.Address
	// Account is the stable number of the account Signer signs for (see
	// x/accounts). Zero during genesis and end-of-block processing.
	Account uint64
	// Store is the whole state; modules narrow it with Prefix. In a
	// transaction it charges Gas for every access (see gas.go).
	Store KVStore
	// Gas is the transaction's gas meter; a handler charges work the store
	// does not see with Gas.Charge. Nil (charging nothing) outside
	// transactions: genesis, end of block, queries.
	Gas *GasMeter

	events *[]abci.Event
}

// NewContext builds a context that collects events into a fresh list.
func NewContext(store KVStore, chainID string, height int64, t time.Time) Context {
	return Context{ChainID: chainID, Height: height, Time: t, Store: store, events: new([]abci.Event)}
}

// WithStore returns a copy of ctx reading and writing store, with its own
// event list, so that a failed transaction's events are discarded with its
// writes.
func (c Context) WithStore(store KVStore) Context {
	c.Store = store
	c.events = new([]abci.Event)
	return c
}

// Attr is one event attribute; Index marks it for CometBFT's indexer.
type Attr struct {
	Key, Value string
	Index      bool
}

// Indexed is shorthand for an indexed attribute.
func Indexed(key, value string) Attr { return Attr{Key: key, Value: value, Index: true} }

// Plain is shorthand for an attribute that is not indexed.
func Plain(key, value string) Attr { return Attr{Key: key, Value: value} }

// Emit records an event. Event types are "<module>.<what>" (for example
// "credits.retire"), so that searches read as the rules.
func (c Context) Emit(eventType string, attrs ...Attr) {
	if c.events == nil {
		return
	}
	ev := abci.Event{Type: eventType, Attributes: make([]abci.EventAttribute, len(attrs))}
	for i, a := range attrs {
		ev.Attributes[i] = abci.EventAttribute{Key: a.Key, Value: a.Value, Index: a.Index}
	}
	*c.events = append(*c.events, ev)
}

// Events returns the events emitted so far.
func (c Context) Events() []abci.Event {
	if c.events == nil {
		return nil
	}
	return *c.events
}
