package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	rpclocal "github.com/cometbft/cometbft/rpc/client/local"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/node/api"
	"github.com/jcredit/jcredit/node/proof"
)

// TestPublicHoldings: one node, two public APIs over it — [api]
// public_holdings on and off. Off, holdings are refused (route, named
// query, export), account records are cut to number, address and legal
// name (record, list, export), account proofs are refused; the registry's
// records (retirements, cancellations, batches, projects) are the same
// either way.
func TestPublicHoldings(t *testing.T) {
	n, _, onURL := startNode(t) // StartForNode(…, true)
	off := api.New(n.App, proof.RPCSource{Client: rpclocal.New(n.Comet)})
	addr, err := off.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { off.Close() })
	offURL := "http://" + addr
	meti := apptest.Addr("meti").Hex()

	// Holdings: served on, refused off.
	for _, path := range []string{
		"/api/v1/holdings/" + meti,
		"/api/v1/holdings/1?status=active",
		"/api/v1/holdings/" + meti + "?format=jsonl",
		"/api/v1/query/credits/Holdings?account=" + meti,
		"/api/v1/delegations/" + meti,
		"/api/v1/trusted-recipients/" + meti,
		"/api/v1/members/" + meti,
		"/api/v1/pending-actions/" + meti + "?pending=true",
	} {
		if code, body, _ := get(t, onURL+path); code != http.StatusOK {
			t.Errorf("on: %s: %d %s", path, code, body)
		}
		code, body, _ := get(t, offURL+path)
		if code != http.StatusForbidden || !strings.Contains(string(body), "public_holdings") || strings.Contains(string(body), "RANGE_STATUS") {
			t.Errorf("off: %s: %d %s", path, code, body)
		}
	}

	// Account details: everything on; number, address and legal name off.
	for _, path := range []string{
		"/api/v1/accounts/" + meti,
		"/api/v1/accounts/1",
		"/api/v1/accounts",
		"/api/v1/accounts?role=ministry",
		"/api/v1/accounts?format=jsonl",
		"/api/v1/query/accounts/Account?account=1",
	} {
		_, on, _ := get(t, onURL+path)
		code, offBody, _ := get(t, offURL+path)
		if code != http.StatusOK {
			t.Fatalf("off: %s: %d %s", path, code, offBody)
		}
		for _, private := range []string{`"roles"`, `"country"`, `"entity_kind"`, `"status"`, `"opened_height"`} {
			if !strings.Contains(string(on), private) {
				t.Errorf("on: %s lacks %s: %s", path, private, on)
			}
			if strings.Contains(string(offBody), private) {
				t.Errorf("off: %s shows %s: %s", path, private, offBody)
			}
		}
		for _, public := range []string{`"legal_name":"meti"`, meti, `"number":"1"`} {
			if !strings.Contains(string(offBody), public) {
				t.Errorf("off: %s lacks %s: %s", path, public, offBody)
			}
		}
	}
	// The answer stays the module's JSON style: it parses, page and all.
	_, body, _ := get(t, offURL+"/api/v1/accounts?limit=2")
	var list struct {
		Accounts []map[string]any `json:"accounts"`
		Page     map[string]any   `json:"page"`
	}
	if err := json.Unmarshal(body, &list); err != nil || len(list.Accounts) != 2 || list.Page["next_cursor"] == nil {
		t.Fatalf("off: accounts page: %v %s", err, body)
	}

	// Account proofs carry the whole record: refused off.
	if code, body, _ := get(t, offURL+"/api/v1/proofs/account/"+meti); code != http.StatusForbidden {
		t.Errorf("off: account proof: %d %s", code, body)
	}
	if code, body, _ := get(t, onURL+"/api/v1/proofs/account/"+meti); code != http.StatusOK {
		t.Errorf("on: account proof: %d %s", code, body)
	}

	// The registry's records are public either way, answer for answer.
	for _, path := range []string{
		"/api/v1/retirements/" + retirementID,
		"/api/v1/retirements",
		"/api/v1/retirements?format=csv",
		"/api/v1/batches/JC-00000001",
		"/api/v1/batches",
		"/api/v1/cancellations",
		"/api/v1/projects",
		"/api/v1/serials/" + retiredSerial,
		"/api/v1/proofs/retirement/" + retirementID + "/statement",
	} {
		c1, b1, _ := get(t, onURL+path)
		c2, b2, _ := get(t, offURL+path)
		if c1 != http.StatusOK || c2 != http.StatusOK || string(b1) != string(b2) {
			t.Errorf("%s: on %d, off %d; the answers differ:\n%s\n%s", path, c1, c2, b1, b2)
		}
	}
}
