package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	rpclocal "github.com/cometbft/cometbft/rpc/client/local"

	"github.com/jcredit/jcredit/node/api"
	"github.com/jcredit/jcredit/node/nodetest"
	"github.com/jcredit/jcredit/node/proof"
)

// FuzzAPI sends arbitrary paths and query strings to the API of a real
// node: never a 500 (nor a panic), every /api/ answer JSON, every error
// with a message.
//
//	go test -run - -fuzz FuzzAPI ./node/api   (or make fuzz)
func FuzzAPI(f *testing.F) {
	for _, seed := range [][2]string{
		{"/api/v1/status", ""}, {"/api/v1/trust", "height=2"}, {"/api/v1/batches", "reverse=true&limit=3"},
		{"/api/v1/batches/JC-00000001", ""}, {"/api/v1/serials/" + retiredSerial, ""}, {"/api/v1/holdings/" + nodetest.Addr("meti").Hex(), ""},
		{"/api/v1/retirements", "limit=5"}, {"/api/v1/retirements", "use=re100"}, {"/api/v1/retirements", "beneficiary=" + beneficiary},
		{"/api/v1/retirements/" + retirementID, ""}, {"/api/v1/cancellations/JCX-00000001", ""}, {"/api/v1/projects", "status=registered"},
		{"/api/v1/projects/JCP-000001/reports", ""}, {"/api/v1/retirements", "format=jsonl&fiscal_year=2025"},
		{"/api/v1/query/accounts/Accounts", "role=ministry&limit=2"}, {"/api/v1/accounts/" + nodetest.Addr("meti").Hex(), ""},
		{"/api/v1/proofs/retirement/" + retirementID, "trust_height=2"}, {"/api/v1/proofs/serial/" + activeSerial + "/statement", ""},
		{"/api/v1/proofs/account/" + nodetest.Addr("stranger").Hex(), "download=1"}, {"/", ""}, {"/app.js", ""}, {"/%ff", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	n, _, _ := startNode(f)
	h := api.New(n.App, proof.RPCSource{Client: rpclocal.New(n.Comet)}).Handler()
	f.Fuzz(func(t *testing.T, path, query string) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.URL = &url.URL{Path: path, RawQuery: query}
		r.RequestURI = r.URL.RequestURI()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
			t.Fatalf("GET %s?%s: %d %s", path, query, w.Code, w.Body)
		}
		if strings.HasPrefix(path, "/api/") && w.Code == 200 && strings.HasPrefix(w.Header().Get("Content-Type"), "application/x-ndjson") {
			// An export: JSON Lines.
			for _, line := range strings.Split(strings.TrimSuffix(w.Body.String(), "\n"), "\n") {
				if !json.Valid([]byte(line)) {
					t.Fatalf("GET %s?%s: a line that is not JSON: %q", path, query, line)
				}
			}
			return
		}
		if strings.HasPrefix(path, "/api/") && w.Code == 200 && strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
			if !strings.HasPrefix(w.Body.String(), "\ufeff# jcredit export; ") {
				t.Fatalf("GET %s?%s: a CSV export without its head: %.80q", path, query, w.Body)
			}
			return
		}
		if strings.HasPrefix(path, "/api/") && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("GET %s?%s: %d, not JSON: %q", path, query, w.Code, w.Body)
		}
		if w.Code >= 400 {
			var e struct{ Error string }
			if strings.HasPrefix(path, "/api/") && (json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error == "") {
				t.Fatalf("GET %s?%s: %d without an error message: %s", path, query, w.Code, w.Body)
			}
		}
	})
}
