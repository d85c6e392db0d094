package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/node/api"
	"github.com/jcredit/jcredit/node/nodetest"
)

// offlineServer is the API over a real app on disk, without a node: enough
// for everything but proofs.
func offlineServer(t *testing.T) *httptest.Server {
	t.Helper()
	c := apptest.New(t, nil)
	c.Block()
	srv := httptest.NewServer(api.New(c.App, nil).Handler())
	t.Cleanup(srv.Close)
	return srv
}

// Issue 11, finding 8: every malformed id or path is 400 with a message,
// on every route alike (/batches/garbage was 404, a non-UTF-8 path 500).
func TestMalformedRequestsAre400OnEveryRoute(t *testing.T) {
	srv := offlineServer(t)
	for _, p := range []string{
		"/api/v1/batches/garbage", "/api/v1/batches/JC-1", "/api/v1/batches/%ff",
		"/api/v1/serials/garbage", "/api/v1/serials/%ff",
		"/api/v1/holdings/garbage", "/api/v1/accounts/0x12", "/api/v1/accounts/%ff",
		"/api/v1/retirements/garbage", "/api/v1/retirements/JCR-1", "/api/v1/retirements/JCR-00000001%E2%80%8B",
		"/api/v1/retirements/JCR-00000001%20", "/api/v1/retirements/%ff",
		"/api/v1/cancellations/garbage", "/api/v1/cancellations/JCR-00000001",
		"/api/v1/projects/garbage", "/api/v1/projects/garbage/reports",
		"/api/v1/proofs/retirement/garbage", "/api/v1/proofs/serial/JC-00000001-RE-2024-0000000001-0000000002",
		"/api/v1/proofs/nothing/JCR-00000001", "/api/v1/proofs/account/0xzz",
		"/api/v1/proofs/retirement/JCR-00000001?trust_height=x", "/api/v1/proofs/retirement/JCR-00000001?trust_height=0",
		"/api/v1/retirements?limit=abc", "/api/v1/retirements?fiscal_year=twenty", "/api/v1/retirements?account=0x1",
		"/api/v1/retirements?colour=red", "/api/v1/batches?recent=-3", "/api/v1/batches?limit=1&limit=2",
		"/api/v1/batches?limit=1001", "/api/v1/batches?cursor=garbage", "/api/v1/batches?reverse=sideways",
		"/api/v1/retirements?from_date=2025-13-01", "/api/v1/retirements?use=re200", "/api/v1/retirements?format=xls",
		"/api/v1/retirements?format=csv&limit=5", "/api/v1/retirements/JCR-00000001?format=csv", "/api/v1/batches/JC-00000001?limit=2",
		"/api/v1/holdings/garbage?format=csv", "/api/v1/retirements?height=0", "/api/v1/accounts?role=admiral",
		"/api/v1/trust?height=x", "/api/v1/status?x=1",
		"/%ff", "/api/v1/%ff", "/app.js?%zz", "/api/v1/retirements?beneficiary=%ff",
	} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var e struct{ Error string }
		if res.StatusCode != http.StatusBadRequest || json.Unmarshal(body, &e) != nil || e.Error == "" {
			t.Errorf("GET %s: %d %s; want 400 with an error message", p, res.StatusCode, body)
		}
	}
	// Well-formed ids of things that do not exist are 404.
	for _, p := range []string{"/api/v1/batches/JC-00000009", "/api/v1/retirements/JCR-00000009", "/api/v1/cancellations/JCX-00000009", "/api/v1/nothing",
		"/api/v1/query/credits/Nothing", "/api/v1/query/nothing/Retirements", "/api/v1/retirements?height=99999"} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
	}
}

// The page may run only its own scripts (and compile the verifier) and may
// not be framed.
func TestSecurityHeaders(t *testing.T) {
	srv := offlineServer(t)
	for _, p := range []string{"/", "/app.js", "/api/v1/status", "/api/v1/batches/garbage"} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		csp := res.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: CSP %q lacks %q", p, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "'unsafe-eval'") {
			t.Errorf("GET %s: CSP %q allows inline code or eval", p, csp)
		}
		if res.Header.Get("X-Frame-Options") != "DENY" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: frame options %q, nosniff %q", p, res.Header.Get("X-Frame-Options"), res.Header.Get("X-Content-Type-Options"))
		}
	}
	// The page has no inline script or style for the policy to block.
	res, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, bad := range []string{"<script>", "style=", "onclick=", "onload="} {
		if strings.Contains(string(page), bad) {
			t.Errorf("the page has inline %q, which the CSP blocks", bad)
		}
	}
}

// holdIdle opens a connection, makes one keep-alive request on it and
// leaves it open and idle.
func holdIdle(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, "GET /api/v1/status HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("first request on a held connection: %v", err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return c
}

// closed reports whether the server has closed c (a read ends at once).
func closed(c net.Conn) bool {
	_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	_, err := c.Read(make([]byte, 1))
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false
	}
	return err != nil
}

// Issue 11, finding 8: 300 clients holding idle keep-alive connections
// made the API hold 300 descriptors and never close one. With the limit,
// the longest-idle connections make room, the API keeps answering, and the
// node keeps committing blocks.
func TestIdleClientsDoNotStarveTheAPIOrTheNode(t *testing.T) {
	n, _, base := startNode(t)
	addr := strings.TrimPrefix(base, "http://")
	c := nodetest.Client(t, n)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := c.RPC.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := st.SyncInfo.LatestBlockHeight

	held := make([]net.Conn, 0, 300)
	defer func() {
		for _, h := range held {
			h.Close()
		}
	}()
	for i := 0; i < 300; i++ {
		held = append(held, holdIdle(t, addr))
	}
	// A new client is answered at once.
	client := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for i := 0; i < 5; i++ {
		start := time.Now()
		res, err := client.Get(base + "/api/v1/status")
		if err != nil {
			t.Fatalf("with 300 idle clients, a new request failed: %v", err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || time.Since(start) > 2*time.Second {
			t.Fatalf("with 300 idle clients: %d after %s", res.StatusCode, time.Since(start))
		}
	}
	evicted := 0
	for _, h := range held {
		if closed(h) {
			evicted++
		}
	}
	if evicted < 300-api.DefaultLimits.MaxConns {
		t.Fatalf("%d of the 300 idle connections were closed; with a limit of %d at least %d must be", evicted, api.DefaultLimits.MaxConns, 300-api.DefaultLimits.MaxConns)
	}
	// The node kept committing.
	nodetest.WaitHeight(t, c, before+3)
	t.Logf("300 idle clients held: %d closed by the limit (%d), new requests answered, node went from block %d on", evicted, api.DefaultLimits.MaxConns, before)
}

// Idle keep-alive connections are closed after IdleTimeout; a client that
// never finishes its request headers after ReadHeaderTimeout.
func TestIdleAndSlowConnectionsAreClosed(t *testing.T) {
	c := apptest.New(t, nil)
	c.Block()
	s := api.New(c.App, nil)
	s.Limits = api.DefaultLimits
	s.Limits.IdleTimeout = 300 * time.Millisecond
	s.Limits.ReadHeaderTimeout = 300 * time.Millisecond
	s.Limits.MaxConns = 3
	addr, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	idle := holdIdle(t, addr)
	defer idle.Close()
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	fmt.Fprintf(slow, "GET /api/v1/status HTTP/1.1\r\nHost: x\r\n") // never ends its headers
	time.Sleep(time.Second)
	if !closed(idle) {
		t.Error("an idle keep-alive connection outlived the idle timeout")
	}
	_ = slow.SetReadDeadline(time.Now().Add(2 * time.Second))
	if b, err := io.ReadAll(slow); err != nil && !strings.Contains(err.Error(), "reset") {
		t.Errorf("a client that never finished its headers was not cut off: %v %q", err, b)
	}

	// With every slot busy in a request, a newcomer gets 503, not a hang.
	var busy []net.Conn
	for i := 0; i < 3; i++ {
		b, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		fmt.Fprintf(b, "GET /api/v1/status HTTP/1.1\r\nHost: x\r\n") // in a request, not idle
		busy = append(busy, b)
	}
	time.Sleep(50 * time.Millisecond)
	res, err := http.Get("http://" + addr + "/api/v1/status")
	if err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("all slots busy: %d, want 503", res.StatusCode)
		}
	}
	if st := s.ConnStats(); st.MaxOpen > 3 || st.Refused == 0 {
		t.Errorf("limiter: %+v", st)
	}
}

// Exports read whole lists: a node streams a bounded number at once, and
// refuses a newcomer beyond it (503) rather than queueing it.
func TestExportsAreBoundedAtOnce(t *testing.T) {
	reg := apptest.NewRegistry(100, 10_000)
	credits, err := protojson.Marshal(reg.Genesis())
	if err != nil {
		t.Fatal(err)
	}
	c := apptest.New(t, app.GenesisState{"accounts": apptest.AccountsGenesis(apptest.DefaultAccounts()), "credits": json.RawMessage(credits)})
	s := api.New(c.App, nil)
	s.Limits.MaxExports = 1
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	// The first export's reader reads nothing yet: the server blocks
	// writing it (5 MB do not fit the socket's buffers).
	first, err := http.Get(srv.URL + "/api/v1/retirements?format=jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer first.Body.Close()
	res, err := http.Get(srv.URL + "/api/v1/retirements?format=csv")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "at most 1 exports at once") || res.Header.Get("Retry-After") == "" {
		t.Fatalf("a second export: %d %s", res.StatusCode, body)
	}
	// Lists still answer; and once the first export is read, exports again.
	if res, err := http.Get(srv.URL + "/api/v1/retirements?limit=1"); err != nil || res.StatusCode != 200 {
		t.Fatalf("a list during an export: %v %v", res, err)
	}
	raw, err := io.ReadAll(first.Body)
	if err != nil || bytes.Count(raw, []byte("\n")) != 10_001 {
		t.Fatalf("the first export: %d lines, %v", bytes.Count(raw, []byte("\n")), err)
	}
	for i := 0; ; i++ {
		res, err := http.Get(srv.URL + "/api/v1/batches?format=csv")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode == 200 {
			break
		}
		if i == 100 {
			t.Fatalf("exports still refused after the first ended: %d", res.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
