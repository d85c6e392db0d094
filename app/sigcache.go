package app

import (
	"sync"
)

// sigCache remembers transactions whose signatures were verified, keyed by
// their exact bytes' hash, so that FinalizeBlock need not recover the signer
// again for a transaction CheckTx already saw. A hit is only as good as a
// fresh check: same bytes, same signer. Bounded; oldest entries go first.
// Keys are the [32]byte hash itself (tx.Decoded.Sum): no string copy per
// lookup, and the transaction is hashed once (decode).
type sigCache struct {
	mu    sync.Mutex
	max   int
	byKey map[[32]byte]*decoded
	// ring holds the keys in the order they were put; once it is full,
	// ring[next] is the oldest.
	ring [][32]byte
	next int
}

func newSigCache(max int) *sigCache {
	return &sigCache{max: max, byKey: make(map[[32]byte]*decoded, max)}
}

func (c *sigCache) get(key [32]byte) (*decoded, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.byKey[key]
	return d, ok
}

// put remembers d and returns the entry kept for its bytes: d, or the one
// another caller put first (so that its messages are decoded once).
func (c *sigCache) put(d *decoded) *decoded {
	key := d.Sum
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.byKey[key]; ok {
		return old
	}
	if len(c.ring) < c.max {
		c.ring = append(c.ring, key)
	} else {
		delete(c.byKey, c.ring[c.next])
		c.ring[c.next] = key
		c.next = (c.next + 1) % c.max
	}
	c.byKey[key] = d
	return d
}
