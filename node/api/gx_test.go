package api_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/nodetest"
	"github.com/jcredit/jcredit/node/proof"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// An auditor fetches a GX-ETS operator's compliance bundle from the API
// (/api/v1/proofs/gx-ets/{operator}/{fiscal_year}) and verifies it
// offline; a malformed fiscal year is 400.
func TestGXETSProofRoute(t *testing.T) {
	n, home, base := startNode(t)
	genesis, err := os.ReadFile(node.GenesisFile(home))
	if err != nil {
		t.Fatal(err)
	}
	trust, err := proof.ParseTrust(genesis)
	if err != nil {
		t.Fatal(err)
	}
	meti := nodetest.Addr("meti").Hex()
	sendTx(t, n, "meti", &accountsv1.MsgSetGxOperator{Address: meti, CorporateNumber: "1180301018771", FiscalYear: 2026, VerifiedTCo2: 1000,
		DocumentHash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"})
	res := sendTx(t, n, "meti", &creditsv1.MsgRetire{Quantity: 30, Beneficiary: "経済産業省", Use: creditsv1.Use_USE_GX_ETS, FiscalYear: 2026})
	nodetest.WaitHeight(t, nodetest.Client(t, n), res.Height+1)

	_, body, _ := get(t, base+"/api/v1/gx-operators/"+meti)
	var op struct {
		Operator struct {
			Account string `json:"account"`
		} `json:"operator"`
	}
	if err := json.Unmarshal(body, &op); err != nil || op.Operator.Account == "" {
		t.Fatalf("operator: %v %s", err, body)
	}
	number := op.Operator.Account
	want := []string{"GX-ETS operator account #" + number + " (corporate number 1180301018771), fiscal year 2026",
		"verified emissions 1000 t-CO2; cap 100 t-CO2 (10%)", "retired for GX-ETS 30 t-CO2 in 1 retirement"}
	// The operator by address or by number; the escaped subject of the
	// generic route is the same bundle.
	for _, path := range []string{"/api/v1/proofs/gx-ets/" + meti + "/2026", "/api/v1/proofs/gx-ets/" + number + "/2026",
		"/api/v1/proofs/gx-ets/" + number + "%2F2026"} {
		status, body, _ := get(t, base+path)
		if status != 200 {
			t.Fatalf("%s: %d %s", path, status, body)
		}
		r, err := proof.VerifyJSON(body, trust)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, w := range want {
			if !strings.Contains(r.Statement, w) {
				t.Fatalf("%s: statement %q lacks %q", path, r.Statement, w)
			}
		}
		var bd proof.Bundle
		if err := json.Unmarshal(body, &bd); err != nil || bd.Kind != proof.KindGxEts || bd.Subject != number+"/2026" {
			t.Fatalf("%s: bundle %s %s (%v)", path, bd.Kind, bd.Subject, err)
		}
	}
	// The node's own statement says the same.
	status, body, _ := get(t, base+"/api/v1/proofs/gx-ets/"+number+"/2026/statement")
	var st proof.Result
	if status != 200 || json.Unmarshal(body, &st) != nil || !strings.Contains(st.Statement, want[2]) {
		t.Fatalf("statement: %d %s", status, body)
	}
	// A year with nothing recorded still proves (no emissions, nothing
	// retired); an account that is no operator is not found.
	if status, body, _ := get(t, base+"/api/v1/proofs/gx-ets/"+number+"/2027"); status != 200 {
		t.Fatalf("2027: %d %s", status, body)
	} else if _, err := proof.VerifyJSON(body, trust); err != nil {
		t.Fatalf("2027: %v", err)
	}
	if status, body, _ := get(t, base+"/api/v1/proofs/gx-ets/"+nodetest.Addr("kyoto").Hex()+"/2026"); status != 404 {
		t.Fatalf("not an operator: %d %s", status, body)
	}
	for _, bad := range []string{number + "/26", number + "/20x6", number + "/3000", number + "/02026", "0xzz/2026", number + "/qr"} {
		status, body, _ := get(t, base+"/api/v1/proofs/gx-ets/"+bad)
		if status != 400 || !strings.Contains(string(body), "error") {
			t.Fatalf("%s: %d %s, want 400", bad, status, body)
		}
	}
	if status, _, _ := get(t, base+"/api/v1/proofs/gx-ets/"+number+"/2026/other"); status != 404 {
		t.Fatalf("unknown view: %d", status)
	}
}
