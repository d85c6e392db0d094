package api_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/api"
	"github.com/jcredit/jcredit/node/proof"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	id, event string
	data      string
}

// readSSE sends the events of an event stream to out until it ends.
func readSSE(body *bufio.Reader, out chan<- sseEvent) {
	defer close(out)
	var e sseEvent
	for {
		line, err := body.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if e.event != "" || e.data != "" {
				out <- e
			}
			e = sseEvent{}
		case strings.HasPrefix(line, "id: "):
			e.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			e.event = line[7:]
		case strings.HasPrefix(line, "data: "):
			e.data = line[6:]
		}
	}
}

// A retirement made by signed transactions on a real node appears on the
// live feed, after the issuance of the batch it retires, with the URL of
// its record and of its proof — which answers once the next block is
// committed and verifies against the genesis validators.
func TestLiveFeedShowsARetirement(t *testing.T) {
	n, home, base := startNode(t)
	res, err := http.Get(base + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("GET /api/v1/events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	events := make(chan sseEvent, 64)
	go readSSE(bufio.NewReader(res.Body), events)

	made := issueAndRetire(t, n)
	var issued bool
	timeout := time.After(60 * time.Second)
	for {
		var e sseEvent
		select {
		case e = <-events:
		case <-timeout:
			t.Fatal("no retirement on the feed within 60 s")
		}
		var fe api.FeedEvent
		if err := json.Unmarshal([]byte(e.data), &fe); err != nil {
			t.Fatalf("event %q: %v", e.data, err)
		}
		if fe.Type != e.event || e.id == "" {
			t.Fatalf("event %q with id %q carries %+v", e.event, e.id, fe)
		}
		if fe.Type == "issuance" && fe.ID == txBatch {
			issued = true
			if fe.Quantity != "250" || fe.ProofURL != "/api/v1/proofs/batch/"+txBatch {
				t.Fatalf("issuance: %+v", fe)
			}
		}
		if fe.Type != "retirement" {
			continue
		}
		if !issued {
			t.Fatal("the retirement came before the issuance of its batch")
		}
		if fe.ID != made.ID || fe.Height != made.Height || !sameHash(fe.TxHash, made.TxHash) || fe.Quantity != "250" ||
			fe.Attributes["beneficiary"] != txBeneficiary || fe.Attributes["use"] != "USE_RE100" || fe.Attributes["fiscal_year"] != "2025" {
			t.Fatalf("retirement on the feed: %+v, made %+v", fe, made)
		}
		if fe.RecordURL != "/api/v1/retirements/"+made.ID || fe.ProofURL != "/api/v1/proofs/retirement/"+made.ID || fe.ProvableFromHeight != made.Height+1 {
			t.Fatalf("URLs: %+v", fe)
		}
		break
	}
	// issueAndRetire waited for the next block: the proof answers.
	status, bundle, _ := get(t, base+"/api/v1/proofs/retirement/"+made.ID)
	if status != 200 {
		t.Fatalf("proof: %d %s", status, bundle)
	}
	genesis, err := os.ReadFile(node.GenesisFile(home))
	if err != nil {
		t.Fatal(err)
	}
	trust, err := proof.ParseTrust(genesis)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := proof.VerifyJSON(bundle, trust); err != nil || !strings.Contains(v.Statement, made.ID) {
		t.Fatalf("the feed's proof: %v %+v", err, v)
	}
}

// The feed is bounded: a client whose buffer fills is dropped (never
// waited for), a newcomer beyond the client cap gets 503, and a client
// whose stream ends is told so.
func TestLiveFeedIsBounded(t *testing.T) {
	f := api.NewFeed(api.FeedLimits{MaxClients: 1, Buffer: 2, Heartbeat: time.Hour})
	s := api.New(nil, nil)
	s.SetFeed(f)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	res, err := http.Get(ts.URL + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	events := make(chan sseEvent, 64)
	go readSSE(bufio.NewReader(res.Body), events)
	for i := 0; f.Clients() != 1; i++ {
		if i > 500 {
			t.Fatal("the client never subscribed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The cap: a second client is refused while the first streams.
	if status, body, hdr := get(t, ts.URL+"/api/v1/events"); status != http.StatusServiceUnavailable || hdr.Get("Retry-After") == "" || !strings.Contains(string(body), "clients") {
		t.Fatalf("second client: %d %s", status, body)
	}
	f.Publish(api.FeedEvent{Type: "retirement", ID: "JCR-00000001", Height: 5})
	if e := <-events; e.event != "retirement" || !strings.Contains(e.data, "JCR-00000001") {
		t.Fatalf("first event: %+v", e)
	}
	// The stream ends (the server closes): the client is told why.
	f.Close()
	for e := range events {
		if e.event == "dropped" {
			if !strings.Contains(e.data, "reconnect") {
				t.Fatalf("dropped: %q", e.data)
			}
			return
		}
	}
	t.Fatal("the stream ended without saying it dropped the client")
}

// A slow reader is dropped rather than waited for, and the others go on.
func TestLiveFeedDropsASlowReader(t *testing.T) {
	f := api.NewFeed(api.FeedLimits{MaxClients: 4, Buffer: 2})
	slow, fast := api.FeedTestClient(f), api.FeedTestClient(f)
	done := make(chan int)
	go func() {
		got := 0
		for range fast.Events() {
			got++
			if got == 10 {
				break
			}
		}
		done <- got
	}()
	for i := 0; i < 10; i++ {
		f.Publish(api.FeedEvent{Type: "issuance", ID: "JC-00000001"})
		time.Sleep(5 * time.Millisecond) // the fast reader keeps up
	}
	if got := <-done; got != 10 {
		t.Fatalf("the fast reader got %d events", got)
	}
	if !slow.Dropped() || fast.Dropped() || f.Clients() != 1 {
		t.Fatalf("slow dropped %v, fast dropped %v, %d clients", slow.Dropped(), fast.Dropped(), f.Clients())
	}
}
