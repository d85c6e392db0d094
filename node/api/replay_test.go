package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	rpclocal "github.com/cometbft/cometbft/rpc/client/local"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/api"
	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/nodetest"
	"github.com/jcredit/jcredit/node/proof"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// feedStream is one connection to the live feed.
type feedStream struct {
	res    *http.Response
	events chan sseEvent
}

// openFeed connects to url, with a Last-Event-ID header unless lastID is "".
func openFeed(t *testing.T, url, lastID string) *feedStream {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		var body strings.Builder
		_, _ = bufio.NewReader(res.Body).WriteTo(&body)
		res.Body.Close()
		t.Fatalf("GET %s (Last-Event-ID %q): %d %s", url, lastID, res.StatusCode, body.String())
	}
	s := &feedStream{res: res, events: make(chan sseEvent, 256)}
	go readSSE(bufio.NewReader(res.Body), s.events)
	t.Cleanup(func() { res.Body.Close() })
	return s
}

// next is the stream's next event (failing after 60 s).
func (s *feedStream) next(t *testing.T) (string, api.FeedEvent) {
	t.Helper()
	select {
	case e, ok := <-s.events:
		if !ok {
			t.Fatal("the stream ended")
		}
		var fe api.FeedEvent
		if err := json.Unmarshal([]byte(e.data), &fe); err != nil {
			t.Fatalf("event %q: %v", e.data, err)
		}
		if e.id == "" || fe.Type != e.event {
			t.Fatalf("event %q with id %q carries %+v", e.event, e.id, fe)
		}
		return e.id, fe
	case <-time.After(60 * time.Second):
		t.Fatal("no event within 60 s")
	}
	return "", api.FeedEvent{}
}

// expect reads len(want) events and requires exactly the records want
// names ("retirement JCR-…"), in order, with increasing ids; it returns the
// last id.
func (s *feedStream) expect(t *testing.T, want []string) string {
	t.Helper()
	var got []string
	last := ""
	for range want {
		id, fe := s.next(t)
		if last != "" && !idBefore(last, id) {
			t.Fatalf("id %s after %s", id, last)
		}
		last = id
		got = append(got, fe.Type+" "+fe.ID)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("events %v, want exactly %v", got, want)
	}
	return last
}

// idBefore compares two event ids ("<height>-<tx>-<n>") numerically.
func idBefore(a, b string) bool {
	var x, y [3]int64
	fmt.Sscanf(a, "%d-%d-%d", &x[0], &x[1], &x[2])
	fmt.Sscanf(b, "%d-%d-%d", &y[0], &y[1], &y[2])
	for i := range x {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return false
}

// broadcast signs m as signer and waits until it is committed, returning
// an error (not failing the test: it runs in a goroutine).
func broadcast(n *node.Node, signer string, m proto.Message) error {
	c, err := client.New(n.RPCAddress())
	if err != nil {
		return err
	}
	c.PollInterval = 20 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nonce, err := c.Nonce(ctx, apptest.Addr(signer))
	if err != nil {
		return err
	}
	body, err := tx.Build(nodetest.ChainID, nonce, "", m)
	if err != nil {
		return err
	}
	raw, err := tx.Sign(body, apptest.Key(signer))
	if err != nil {
		return err
	}
	_, err = c.Broadcast(ctx, raw)
	return err
}

// cancel is meti's cancellation of credits first-last of the genesis batch.
func cancelMsg(first, last int) *creditsv1.MsgCancel {
	return &creditsv1.MsgCancel{Serials: []string{fmt.Sprintf("JC-00000001-RE-2024-%010d-%010d", first, last)}, Reason: "double registration"}
}

// A client that loses its stream and reconnects with the id of the last
// event it got (the Last-Event-ID header, or ?since=) gets exactly the
// events it missed, once each, in order, and then the live ones: records
// written while it was away are replayed from the node's stored block
// results, and records written while it reconnects come once, whether the
// replay or the live feed carries them. Real node, signed transactions.
func TestLiveFeedReplaysWhatAClientMissed(t *testing.T) {
	n, _, base := startNode(t)
	feed := base + "/api/v1/events"

	// Connected: the first cancellation arrives live.
	s1 := openFeed(t, feed, "")
	sendTx(t, n, "meti", cancelMsg(101, 105))
	seen := s1.expect(t, []string{"cancellation JCX-00000001"})
	s1.res.Body.Close()

	// Away: two cancellations and a retirement.
	sendTx(t, n, "meti", cancelMsg(106, 110))
	sendTx(t, n, "meti", &creditsv1.MsgRetire{Quantity: 10, Beneficiary: "森の会社", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025})
	sendTx(t, n, "meti", cancelMsg(901, 905))

	// Reconnecting while two more records are written: each once.
	done := make(chan error, 1)
	go func() {
		err := broadcast(n, "meti", cancelMsg(906, 910))
		if err == nil {
			err = broadcast(n, "meti", cancelMsg(911, 915))
		}
		done <- err
	}()
	s2 := openFeed(t, feed, seen)
	missed := []string{"cancellation JCX-00000002", "retirement JCR-00000002", "cancellation JCX-00000003"}
	last := s2.expect(t, append(missed, "cancellation JCX-00000004", "cancellation JCX-00000005"))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	sendTx(t, n, "meti", cancelMsg(916, 920))
	s2.expect(t, []string{"cancellation JCX-00000006"})

	// ?since= (for clients that cannot set headers) replays the same.
	s3 := openFeed(t, feed+"?since="+seen, "")
	s3.expect(t, append(missed, "cancellation JCX-00000004", "cancellation JCX-00000005", "cancellation JCX-00000006"))
	// The header wins over ?since=: a browser reconnecting to a page
	// opened with ?since= sends the newer position.
	s4 := openFeed(t, feed+"?since="+seen, last)
	s4.expect(t, []string{"cancellation JCX-00000006"})
	// A block height: every event after that block.
	var h int64
	fmt.Sscanf(seen, "%d-", &h)
	s5 := openFeed(t, fmt.Sprintf("%s?since=%d", feed, h), "")
	s5.expect(t, append(missed, "cancellation JCX-00000004"))
	// The replayed events are the live ones: same ids, same content.
	sendTx(t, n, "meti", cancelMsg(921, 925))
	id2, live := s2.next(t)
	id3, replayedThenLive := s3.next(t)
	if live.ID != "JCX-00000007" || id2 != id3 || live.Height != replayedThenLive.Height || live.TxHash != replayedThenLive.TxHash {
		t.Fatalf("live %s %+v, other stream %s %+v", id2, live, id3, replayedThenLive)
	}
}

// The replay is bounded: a client further behind than MaxReplayBlocks is
// refused with 410 Gone and told to catch up from the lists; an id that is
// not one of the feed's is a 400; a client ahead of the node waits for
// what comes after its position.
func TestLiveFeedReplayIsBounded(t *testing.T) {
	n, _, _ := startNode(t)
	srv, addr, err := api.StartForNodeFeed(n, "127.0.0.1:0", true, api.FeedLimits{MaxReplayBlocks: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	feed := "http://" + addr + "/api/v1/events"
	nodetest.WaitHeight(t, nodetest.Client(t, n), 6)
	req, _ := http.NewRequest(http.MethodGet, feed, nil)
	req.Header.Set("Last-Event-ID", "1-0-0")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Error string `json:"error"`
	}
	_ = json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if res.StatusCode != http.StatusGone || !strings.Contains(body.Error, "replays at most 3 blocks") ||
		!strings.Contains(body.Error, "/api/v1/retirements") || !strings.Contains(body.Error, "behind") {
		t.Fatalf("too far behind: %d %+v", res.StatusCode, body)
	}
	for _, bad := range []string{"?since=abc", "?since=0-1-2", "?since=5-1", "?since=-3"} {
		if status, b, _ := get(t, feed+bad); status != http.StatusBadRequest || !strings.Contains(string(b), "event id") {
			t.Fatalf("%s: %d %s", bad, status, b)
		}
	}
	// Ahead of the node (a client that followed another node): nothing
	// replayed, and only the events after its position come.
	st, err := nodetest.Client(t, n).Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	at := st.SyncInfo.LatestBlockHeight + 2
	ahead := openFeed(t, fmt.Sprintf("%s?since=%d", feed, at), "")
	var first string
	for i := 0; first == ""; i++ {
		res := sendTx(t, n, "meti", cancelMsg(101+5*i, 105+5*i))
		if res.Height > at {
			first = eventAttr(t, res.Events, "credits.cancel", "cancellation_id")
		}
	}
	if _, e := ahead.next(t); e.ID != first || e.Height <= at {
		t.Fatalf("ahead of the node at %d: first event %+v, want %s", at, e, first)
	}
}

// racingHistory is a node's history that, when a replay asks for the
// committed height, first has a block committed and its event delivered to
// every live client: the event reaches the reconnecting client both live
// and, its block being committed, in the replay — the switch-over must
// send it once.
type racingHistory struct {
	api.NodeHistory
	race func()
	once bool
}

func (h *racingHistory) Committed() int64 {
	if !h.once {
		h.once = true
		h.race()
	}
	return h.NodeHistory.Committed()
}

// At the switch-over from replay to live, an event that both carry comes
// once (forced: a block commits, and its event is in the client's live
// buffer, between the client's subscription and the replay's end).
func TestLiveFeedSwitchOverSendsAnEventOnce(t *testing.T) {
	n, _, _ := startNode(t)
	local := rpclocal.New(n.Comet)
	s := api.New(n.App, proof.RPCSource{Client: local})
	f := api.NewFeed(api.DefaultFeedLimits)
	if err := f.Follow(n.Comet.EventBus()); err != nil {
		t.Fatal(err)
	}
	var raceErr error
	f.SetHistory(&racingHistory{NodeHistory: api.NodeHistory{Client: local, App: n.App}, race: func() {
		watch := api.FeedTestClient(f) // Publish hands an event to every client at once
		defer f.Unsubscribe(watch)
		if raceErr = broadcast(n, "meti", cancelMsg(111, 115)); raceErr != nil {
			return
		}
		for e := range watch.Events() {
			if e.ID == "JCX-00000002" {
				return
			}
		}
	}})
	s.SetFeed(f)
	addr, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	feed := "http://" + addr + "/api/v1/events"

	res := sendTx(t, n, "meti", cancelMsg(101, 105))
	nodetest.WaitHeight(t, nodetest.Client(t, n), res.Height+1)
	st := openFeed(t, fmt.Sprintf("%s?since=%d", feed, res.Height-1), "")
	st.expect(t, []string{"cancellation JCX-00000001", "cancellation JCX-00000002"})
	if raceErr != nil {
		t.Fatal(raceErr)
	}
	sendTx(t, n, "meti", cancelMsg(106, 110))
	st.expect(t, []string{"cancellation JCX-00000003"})
}
