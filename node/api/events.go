package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/jcredit/jcredit/node/proof"
	"github.com/jcredit/jcredit/x/credits"
)

// The live feed: GET /api/v1/events streams, as server-sent events, every
// issuance, retirement and cancellation of the node's committed blocks,
// each with the URL of its record and of its proof, so that nobody has to
// scrape. The feed subscribes once, in process, to the node's CometBFT
// event bus (transactions are published there after their block is
// committed) and fans out to its clients:
//
//   - at most FeedLimits.MaxClients clients at once (503 beyond);
//   - each client has a buffer of FeedLimits.Buffer events; a client that
//     reads too slowly to keep it from filling is dropped, and told so
//     ("event: dropped", then the stream ends): it reconnects and catches
//     up from the lists (/api/v1/retirements?reverse=true …);
//   - a comment line every FeedLimits.Heartbeat keeps proxies from closing
//     an idle stream.
//
// Each event is one "data:" line of JSON (FeedEvent) under "event:
// issuance|retirement|cancellation", with "id: <height>-<tx index>-<n>":
// the block, the transaction's place in it and the event's place among
// that transaction's feed events. The id is stable (the same event has the
// same id on every node, live or replayed) and ordered (numerically, part
// by part). A record's proof exists once the next block commits its
// state's app hash: provable_from_height says when.
//
// Replay (replay.go): a client that reconnects with the Last-Event-ID
// header (browsers' EventSource sends it by itself), or ?since=<id> (or
// ?since=<height>: every event after that block) when it cannot set
// headers, first gets the events it missed, read back from the node's
// stored block results, then the live events, with no gap and none twice.
// At most FeedLimits.MaxReplayBlocks blocks are replayed: a client further
// behind gets 410 Gone, told to catch up from the lists.

// FeedLimits bound the feed.
type FeedLimits struct {
	MaxClients int
	Buffer     int
	Heartbeat  time.Duration
	// MaxReplayBlocks bounds a replay (Last-Event-ID, ?since=): the
	// client's position may be at most this many blocks behind the node.
	MaxReplayBlocks int64
}

// DefaultFeedLimits are the feed's limits unless Server.FeedLimits is
// changed before AttachFeed.
var DefaultFeedLimits = FeedLimits{MaxClients: 64, Buffer: 256, Heartbeat: 15 * time.Second, MaxReplayBlocks: 3600}

// FeedEvent is one event of the feed.
type FeedEvent struct {
	// Type is issuance, retirement or cancellation.
	Type string `json:"type"`
	// ID is the batch, retirement or cancellation id.
	ID     string `json:"id"`
	Height int64  `json:"height"`
	TxHash string `json:"tx_hash"`
	// Quantity is the credits issued, retired or cancelled.
	Quantity string `json:"quantity,omitempty"`
	// Attributes are the record's indexed facts from its events
	// (beneficiary, uses, fiscal year; project, category; reason).
	Attributes map[string]string `json:"attributes,omitempty"`
	RecordURL  string            `json:"record_url"`
	ProofURL   string            `json:"proof_url"`
	// ProvableFromHeight is the first height at which ProofURL answers
	// (the block after the record's).
	ProvableFromHeight int64 `json:"provable_from_height"`
	// pos is the event's place in the chain; its id is pos.String().
	pos feedPos
}

// Feed fans the node's committed events out to the API's clients.
type Feed struct {
	limits FeedLimits
	// history reads past blocks' events back, for replay; nil: no replay.
	history FeedHistory
	mu      sync.Mutex
	subs    map[*feedClient]struct{}
	closed  bool
	stop    context.CancelFunc
	done    chan struct{}
}

type feedClient struct {
	ch chan FeedEvent
	// dropped is closed when the client fell behind and was removed.
	dropped chan struct{}
}

// NewFeed returns a feed with no source; Publish gives it events.
func NewFeed(l FeedLimits) *Feed {
	if l.MaxClients <= 0 {
		l.MaxClients = DefaultFeedLimits.MaxClients
	}
	if l.Buffer <= 0 {
		l.Buffer = DefaultFeedLimits.Buffer
	}
	if l.Heartbeat <= 0 {
		l.Heartbeat = DefaultFeedLimits.Heartbeat
	}
	if l.MaxReplayBlocks <= 0 {
		l.MaxReplayBlocks = DefaultFeedLimits.MaxReplayBlocks
	}
	return &Feed{limits: l, subs: map[*feedClient]struct{}{}, done: make(chan struct{})}
}

// SetHistory makes the feed replay missed events from h (replay.go); set
// it before the feed serves clients.
func (f *Feed) SetHistory(h FeedHistory) { f.history = h }

// feedSubscriber names the feed's subscription on the event bus (with the
// feed's address: two servers may follow one node).
const feedSubscriber = "jcredit-api-feed"

// Follow subscribes to bus and publishes the registry's events of every
// committed transaction until Close. If the bus drops the subscription
// (it fell behind), it subscribes again.
func (f *Feed) Follow(bus *cmttypes.EventBus) error {
	ctx, cancel := context.WithCancel(context.Background())
	name := fmt.Sprintf("%s-%p", feedSubscriber, f)
	sub, err := bus.Subscribe(ctx, name, cmttypes.EventQueryTx, 1024)
	if err != nil {
		cancel()
		return fmt.Errorf("api: feed: subscribe to the event bus: %w", err)
	}
	f.stop = cancel
	go func() {
		defer close(f.done)
		for {
			select {
			case <-ctx.Done():
				return
			case msg := <-sub.Out():
				if tx, ok := msg.Data().(cmttypes.EventDataTx); ok {
					for _, e := range FeedEvents(tx.Height, tx.Index, tx.Tx, &tx.Result) {
						f.Publish(e)
					}
				}
			case <-sub.Canceled():
				// Fell behind the bus: take up again from now.
				_ = bus.Unsubscribe(context.Background(), name, cmttypes.EventQueryTx)
				for {
					if sub, err = bus.Subscribe(ctx, name, cmttypes.EventQueryTx, 1024); err == nil {
						break
					}
					select {
					case <-ctx.Done():
						return
					case <-time.After(time.Second):
					}
				}
			}
		}
	}()
	return nil
}

// FeedEvents are the feed's events of one committed transaction: a batch
// issued or imported, a retirement, a cancellation (its pieces as one).
func FeedEvents(height int64, index uint32, raw []byte, res *abci.ExecTxResult) []FeedEvent {
	if res.Code != 0 {
		return nil
	}
	hash := strings.ToUpper(fmt.Sprintf("%X", cmttypes.Tx(raw).Hash()))
	var out []FeedEvent
	cancelled := map[string]int{}
	for _, ev := range res.Events {
		attrs := map[string]string{}
		for _, a := range ev.Attributes {
			if prev, ok := attrs[a.Key]; ok {
				attrs[a.Key] = prev + "," + a.Value // several uses
			} else {
				attrs[a.Key] = a.Value
			}
		}
		var e FeedEvent
		switch ev.Type {
		case credits.EventBatch:
			e = FeedEvent{Type: "issuance", ID: attrs["batch"], Quantity: attrs["quantity"], Attributes: pick(attrs, "project", "report", "category", "methodology", "vintage", "certification_number")}
			e.RecordURL, e.ProofURL = "/api/v1/batches/"+e.ID, "/api/v1/proofs/"+proof.KindBatch+"/"+e.ID
		case credits.EventRetirement:
			e = FeedEvent{Type: "retirement", ID: attrs["retirement_id"], Quantity: attrs["quantity"], Attributes: pick(attrs, "account", "beneficiary", "beneficiary_account", "use", "fiscal_year")}
			e.RecordURL, e.ProofURL = "/api/v1/retirements/"+e.ID, "/api/v1/proofs/"+proof.KindRetirement+"/"+e.ID
		case credits.EventCancel:
			id := attrs["cancellation_id"]
			q, _ := strconv.ParseUint(attrs["quantity"], 10, 64)
			if i, seen := cancelled[id]; seen {
				sum, _ := strconv.ParseUint(out[i].Quantity, 10, 64)
				out[i].Quantity = strconv.FormatUint(sum+q, 10)
				continue
			}
			cancelled[id] = len(out)
			e = FeedEvent{Type: "cancellation", ID: id, Quantity: attrs["quantity"], Attributes: pick(attrs, "ministry", "reason")}
			e.RecordURL, e.ProofURL = "/api/v1/cancellations/"+id, "/api/v1/proofs/"+proof.KindCancellation+"/"+id
		default:
			continue
		}
		e.Height, e.TxHash, e.ProvableFromHeight = height, hash, height+1
		e.pos = feedPos{height: height, tx: int64(index), n: int64(len(out))}
		out = append(out, e)
	}
	return out
}

func pick(attrs map[string]string, keys ...string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		if v := attrs[k]; v != "" {
			out[k] = v
		}
	}
	return out
}

// Publish hands e to every client; a client whose buffer is full is
// dropped (never waited for: one slow reader must not hold up the others
// or the node).
func (f *Feed) Publish(e FeedEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.subs {
		select {
		case c.ch <- e:
		default:
			delete(f.subs, c)
			close(c.dropped)
		}
	}
}

// subscribe adds a client, or reports that the feed is full.
func (f *Feed) subscribe() (*feedClient, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed || len(f.subs) >= f.limits.MaxClients {
		return nil, false
	}
	c := &feedClient{ch: make(chan FeedEvent, f.limits.Buffer), dropped: make(chan struct{})}
	f.subs[c] = struct{}{}
	return c, true
}

func (f *Feed) unsubscribe(c *feedClient) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.subs[c]; ok {
		delete(f.subs, c)
		close(c.dropped)
	}
}

// Clients is how many clients are streaming.
func (f *Feed) Clients() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// Close ends every client's stream and the subscription.
func (f *Feed) Close() {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return
	}
	f.closed = true
	for c := range f.subs {
		delete(f.subs, c)
		close(c.dropped)
	}
	f.mu.Unlock()
	if f.stop != nil {
		f.stop()
		<-f.done
	}
}

// events serves GET /api/v1/events: from the client's position (replay.go)
// if it gives one, else from now.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	if s.feed == nil {
		writeError(w, http.StatusServiceUnavailable, "this server follows no node: the live feed is served by a node's API (jcreditd start)")
		return
	}
	from, replaying, err := feedPosition(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if replaying && s.feed.history == nil {
		writeError(w, http.StatusNotImplemented, "this feed keeps no history to replay from; connect without Last-Event-ID or ?since=")
		return
	}
	// Subscribe before reading the history: every block committed from
	// here on reaches the client live, and every block before is replayed,
	// so nothing falls between the two (replay.go says why none comes twice).
	c, ok := s.feed.subscribe()
	if !ok {
		w.Header().Set("Retry-After", "30")
		writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("the live feed has its %d clients; try again later, or read the lists", s.feed.limits.MaxClients))
		return
	}
	defer s.feed.unsubscribe(c)
	var rp *replay
	if replaying {
		if rp, err = s.feed.startReplay(r.Context(), from); err != nil {
			var far *tooFarBehind
			if errors.As(err, &far) {
				writeError(w, http.StatusGone, far.Error())
			} else {
				writeError(w, http.StatusServiceUnavailable, "the feed cannot replay from "+from.String()+": "+err.Error())
			}
			return
		}
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	deadline := s.Limits.WriteTimeout
	if deadline <= 0 {
		deadline = DefaultLimits.WriteTimeout
	}
	write := func(text string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(deadline)) // not every writer has one (tests)
		if _, err := fmt.Fprint(w, text); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	send := func(e FeedEvent) bool {
		data, _ := json.Marshal(e)
		return write("id: " + e.pos.String() + "\nevent: " + e.Type + "\ndata: " + string(data) + "\n\n")
	}
	if !write(fmt.Sprintf(": jcredit live feed: issuance, retirement, cancellation of committed blocks; buffer %d events\nretry: 3000\n\n", s.feed.limits.Buffer)) {
		return
	}
	// live says whether a live event is new to this client: not before
	// its position, nor in a block the replay covered.
	live := func(FeedEvent) bool { return true }
	if rp != nil {
		if !write(fmt.Sprintf(": replaying the events after %s, blocks %d to %d\n\n", from, rp.first, rp.last)) {
			return
		}
		if !rp.run(r.Context(), send) {
			return
		}
		live = func(e FeedEvent) bool { return e.pos.height > rp.last && from.before(e.pos) }
	}
	beat := time.NewTicker(s.feed.limits.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e := <-c.ch:
			if live(e) && !send(e) {
				return
			}
		case <-c.dropped:
			// Deliver what was buffered, then say why the stream ends.
		drain:
			for {
				select {
				case e := <-c.ch:
					if live(e) && !send(e) {
						return
					}
				default:
					break drain
				}
			}
			write("event: dropped\ndata: {\"reason\":\"this client read too slowly (or the server is closing); reconnect with the Last-Event-ID header (or ?since=<the last id>) to get what you missed\"}\n\n")
			return
		case <-beat.C:
			if !write(": ping\n\n") {
				return
			}
		}
	}
}
