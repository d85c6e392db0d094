package bench

import (
	"context"
	"sync"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
)

// poller watches one node's latest height and notes when each height was
// first seen: the moment a client learns that the block's transactions
// committed. It asks only /status, so the node serves no blocks while the
// load is measured; the blocks themselves are read after the phases.
type poller struct {
	client *rpchttp.HTTP
	every  time.Duration

	mu     sync.Mutex
	latest int64
	seen   map[int64]time.Time
	errs   int
}

func newPoller(client *rpchttp.HTTP) *poller {
	return &poller{client: client, every: 25 * time.Millisecond, seen: map[int64]time.Time{}}
}

// run polls until ctx ends.
func (p *poller) run(ctx context.Context) {
	for ctx.Err() == nil {
		cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		st, err := p.client.Status(cctx)
		cancel()
		now := time.Now()
		p.mu.Lock()
		if err != nil {
			p.errs++
		} else if h := st.SyncInfo.LatestBlockHeight; h > p.latest {
			// Heights skipped between two polls (a poll slower than a
			// block) get the time they were first seen, too.
			for x := p.latest + 1; x <= h; x++ {
				if _, ok := p.seen[x]; !ok {
					p.seen[x] = now
				}
			}
			p.latest = h
		}
		p.mu.Unlock()
		select {
		case <-ctx.Done():
		case <-time.After(p.every):
		}
	}
}

func (p *poller) height() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.latest
}

// seenAt is when height h was first seen (zero if not yet).
func (p *poller) seenAt(h int64) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen[h]
}
