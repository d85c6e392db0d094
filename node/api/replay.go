package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// Replay: a client that lost its stream (a network change, a restart, a
// drop for reading too slowly) reconnects with the id of the last event it
// got, and the feed sends what it missed before going on live.
//
// Where the missed events come from: CometBFT stores every block's
// FinalizeBlock results (each transaction's events) before the app commits
// the block, and the feed's events are computed from those (FeedEvents),
// so replayed and live events are the same, with the same ids.
//
// Why there is no gap and nothing twice at the switch-over: the client
// subscribes to the live feed first, then the replay reads up to the app's
// committed height L. CometBFT publishes a block's transactions on its
// event bus only after the app has committed the block, so a block the
// subscription missed was committed before it, hence is at most L and
// replayed; and a live event is passed on only if its block is above L (and
// it comes after the client's position), so no replayed block comes again.

// FeedHistory reads the events of committed blocks back, for replay.
type FeedHistory interface {
	// Committed is the latest height whose events are stored: the app's
	// committed height.
	Committed() int64
	// EventsAt returns the feed events of block h, in order (FeedEvents of
	// each transaction), or an error if the node does not keep them.
	EventsAt(ctx context.Context, h int64) ([]FeedEvent, error)
}

// feedPos is an event's place in the chain, its id: block height, the
// transaction's index in the block, the event's index among the
// transaction's feed events. Positions order events as the chain does.
type feedPos struct {
	height, tx, n int64
}

// String is the event id: "<height>-<tx index>-<n>".
func (p feedPos) String() string {
	if p.tx == math.MaxInt64 {
		return "block " + strconv.FormatInt(p.height, 10)
	}
	return fmt.Sprintf("%d-%d-%d", p.height, p.tx, p.n)
}

// before says whether p comes before q.
func (p feedPos) before(q feedPos) bool {
	if p.height != q.height {
		return p.height < q.height
	}
	if p.tx != q.tx {
		return p.tx < q.tx
	}
	return p.n < q.n
}

// parseFeedPos reads an event id, or (ifHeight) a bare block height,
// which stands for the end of that block: every event after it.
func parseFeedPos(s string, ifHeight bool) (feedPos, error) {
	parts := strings.Split(s, "-")
	var v [3]int64
	if len(parts) == 1 && ifHeight {
		parts = append(parts, strconv.FormatInt(math.MaxInt64, 10), strconv.FormatInt(math.MaxInt64, 10))
	}
	if len(parts) != 3 {
		return feedPos{}, fmt.Errorf("%q is not an event id of this feed (<height>-<tx index>-<n>, like 815-0-0)", s)
	}
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 0 || (i == 0 && n < 1) {
			return feedPos{}, fmt.Errorf("%q is not an event id of this feed (<height>-<tx index>-<n>, like 815-0-0)", s)
		}
		v[i] = n
	}
	return feedPos{height: v[0], tx: v[1], n: v[2]}, nil
}

// feedPosition is where the client wants the stream to start: after the
// event named by its Last-Event-ID header, else by ?since= (an event id, or
// a block height: every event after that block). The header wins: a
// browser's EventSource sends it on every reconnection, and it is newer
// than the ?since= the page was first opened with.
func feedPosition(r *http.Request) (feedPos, bool, error) {
	if id := strings.TrimSpace(r.Header.Get("Last-Event-ID")); id != "" {
		p, err := parseFeedPos(id, false)
		if err != nil {
			return feedPos{}, false, fmt.Errorf("Last-Event-ID: %w", err)
		}
		return p, true, nil
	}
	if since := r.URL.Query().Get("since"); since != "" {
		p, err := parseFeedPos(since, true)
		if err != nil {
			return feedPos{}, false, fmt.Errorf("since: %w, or a block height", err)
		}
		return p, true, nil
	}
	return feedPos{}, false, nil
}

// tooFarBehind is a replay the feed refuses: the client's position is more
// than MaxReplayBlocks blocks back, or in blocks the node no longer keeps.
type tooFarBehind struct {
	from   feedPos
	latest int64
	max    int64
	cause  error
}

func (e *tooFarBehind) Error() string {
	const lists = "catch up from the lists (/api/v1/retirements, /api/v1/batches, /api/v1/cancellations; ?reverse=true gives the newest first), then connect without Last-Event-ID or ?since="
	if e.cause != nil {
		return fmt.Sprintf("this node does not keep the events after %s (%v); %s", e.from, e.cause, lists)
	}
	return fmt.Sprintf("the client is %d blocks behind (its last event is %s, the node is at block %d); the feed replays at most %d blocks: %s",
		e.latest-e.from.height, e.from, e.latest, e.max, lists)
}

// replay sends the events after from in blocks first..last.
type replay struct {
	h           FeedHistory
	from        feedPos
	first, last int64
	// head is block first's events, read to check they are kept.
	head []FeedEvent
}

// startReplay checks that the events after from can be replayed, before
// the stream starts (a refusal is an HTTP status, not a broken stream).
func (f *Feed) startReplay(ctx context.Context, from feedPos) (*replay, error) {
	last := f.history.Committed()
	if last-from.height > f.limits.MaxReplayBlocks {
		return nil, &tooFarBehind{from: from, latest: last, max: f.limits.MaxReplayBlocks}
	}
	first := from.height
	if from.tx == math.MaxInt64 {
		first++ // a block height: the events after it
	}
	rp := &replay{h: f.history, from: from, first: first, last: last}
	if first <= last {
		evs, err := f.history.EventsAt(ctx, first)
		if err != nil {
			return nil, &tooFarBehind{from: from, latest: last, max: f.limits.MaxReplayBlocks, cause: err}
		}
		rp.head = evs
	}
	return rp, nil
}

// run sends the replayed events in order; false if the client went away or
// a block could not be read (the stream then ends: the client reconnects
// with the last id it got).
func (rp *replay) run(ctx context.Context, send func(FeedEvent) bool) bool {
	for h := rp.first; h <= rp.last; h++ {
		evs := rp.head
		if h != rp.first {
			if ctx.Err() != nil {
				return false
			}
			var err error
			if evs, err = rp.h.EventsAt(ctx, h); err != nil {
				return false
			}
		}
		for _, e := range evs {
			if rp.from.before(e.pos) && !send(e) {
				return false
			}
		}
	}
	return true
}
