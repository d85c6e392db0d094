package app

import (
	"sync"

	"github.com/jcredit/jcredit/app/tx"
)

// sigCache remembers transactions whose signatures were verified, keyed by
// their exact bytes' hash, so that FinalizeBlock need not recover the signer
// again for a transaction CheckTx already saw. A hit is only as good as a
// fresh check: same bytes, same signer. Bounded; oldest entries go first.
type sigCache struct {
	mu    sync.Mutex
	max   int
	byKey map[string]*decoded
	order []string
}

func newSigCache(max int) *sigCache {
	return &sigCache{max: max, byKey: make(map[string]*decoded, max)}
}

func (c *sigCache) get(raw []byte) (*decoded, bool) {
	key := string(tx.Hash(raw))
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.byKey[key]
	return d, ok
}

// put remembers d and returns the entry kept for its bytes: d, or the one
// another caller put first (so that its messages are decoded once).
func (c *sigCache) put(d *decoded) *decoded {
	key := string(d.Hash)
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.byKey[key]; ok {
		return old
	}
	if len(c.order) >= c.max {
		delete(c.byKey, c.order[0])
		c.order = c.order[1:]
	}
	c.byKey[key] = d
	c.order = append(c.order, key)
	return d
}
