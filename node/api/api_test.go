package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/api"
	"github.com/jcredit/jcredit/node/nodetest"
	"github.com/jcredit/jcredit/node/proof"
)

func TestPublicAPI(t *testing.T) {
	n, home, base := startNode(t)
	made := issueAndRetire(t, n)
	genesis, err := os.ReadFile(node.GenesisFile(home))
	if err != nil {
		t.Fatal(err)
	}
	trust, err := proof.ParseTrust(genesis)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("records", func(t *testing.T) {
		for _, c := range []struct {
			path, want string
			status     int
		}{
			{"/api/v1/status", `"chain_id"`, 200},
			{"/api/v1/retirements/" + retirementID, beneficiary, 200},
			{"/api/v1/retirements?limit=5", retirementID, 200},
			{"/api/v1/retirements?fiscal_year=2025", retirementID, 200},
			{"/api/v1/retirements?use=re100", retirementID, 200},
			{"/api/v1/retirements?beneficiary=" + beneficiary, retirementID, 200},
			{"/api/v1/retirements?account=" + nodetest.Addr("meti").Hex(), retirementID, 200},
			{"/api/v1/serials/" + retiredSerial, "RANGE_STATUS_RETIRED", 200},
			{"/api/v1/serials/" + activeSerial, "RANGE_STATUS_ACTIVE", 200},
			{"/api/v1/batches", "JC-00000001", 200},
			{"/api/v1/batches?reverse=true&limit=3", "JC-00000001", 200},
			{"/api/v1/retirements?fiscal_year=2025&use=re100&beneficiary=" + beneficiary, retirementID, 200},
			{"/api/v1/query/credits/Retirement?id=" + retirementID, beneficiary, 200},
			{"/api/v1/cancellations", `"page"`, 200},
			{"/api/v1/locks?status=open", `"page"`, 200},
			{"/api/v1/offers?category=CATEGORY_FOREST", `"page"`, 200},
			{"/api/v1/offers?batch_id=JC-1", "", 400},
			{"/api/v1/locks/LK-00000001", "no lock", 404},
			{"/api/v1/gx-operators/" + nodetest.Addr("meti").Hex(), "not a GX-ETS operator", 404},
			{"/api/v1/gx-retired/" + nodetest.Addr("meti").Hex() + "/2026", `"fiscal_year":2026`, 200},
			{"/api/v1/accounts?role=ministry", "meti", 200},
			{"/api/v1/methodologies", `"page"`, 200},
			{"/api/v1/validators", `"validators"`, 200},
			{"/api/v1/proposals", `"page"`, 200},
			{"/api/v1/reports", `"page"`, 200},
			{"/api/v1/upgrades", `"page"`, 200},
			{"/api/v1/use-table", `"current":"1"`, 200},
			{"/api/v1/use-table?version=1", `"version":"1"`, 200},
			{"/api/v1/use-tables", `"tables"`, 200},
			{"/api/v1/label-changes/JC-00000001", `"page"`, 200},
			{"/api/v1/query/upgrade/Version", `"version"`, 200},
			{"/api/v1/query/accounts/Accounts?role=ministry&limit=1&reverse=true", `"next_cursor"`, 200},
			{"/api/v1/keys/" + nodetest.Addr("meti").Hex(), `"key"`, 200},
			{"/api/v1/upgrade/plan", "no upgrade is scheduled", 404},
			{"/api/v1/batches/JC-00000001", "EN-R-002", 200},
			{"/api/v1/holdings/" + nodetest.Addr("meti").Hex(), "900", 200},
			{"/api/v1/accounts/" + nodetest.Addr("meti").Hex(), "meti", 200},
			{"/api/v1/projects", "", 200},
			{"/api/v1/trust", "validators_hash", 200},
			{"/api/v1/retirements/JCR-00000099", "no retirement", 404},
			{"/api/v1/nothing", "no such endpoint", 404},
			{"/", "J-Credit", 200},
			{"/app.js", "jcreditVerify", 200},
		} {
			status, body, hdr := get(t, base+c.path)
			if status != c.status || !strings.Contains(string(body), c.want) {
				t.Errorf("GET %s: %d %s; want %d containing %q", c.path, status, body, c.status, c.want)
			}
			if hdr.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("GET %s: no CORS header", c.path)
			}
		}
	})

	t.Run("a retirement made by transactions", func(t *testing.T) {
		status, body, _ := get(t, base+"/api/v1/retirements/"+made.ID)
		if status != 200 {
			t.Fatalf("GET retirement %s: %d %s", made.ID, status, body)
		}
		var ans struct {
			Retirement struct {
				ID          string `json:"id"`
				Beneficiary string `json:"beneficiary"`
				Quantity    string `json:"quantity"`
				Height      string `json:"height"` // protobuf JSON writes 64-bit integers as strings
				TxHash      string `json:"tx_hash"`
				Blocks      []struct {
					Serials string `json:"serials"`
				} `json:"blocks"`
			} `json:"retirement"`
		}
		if err := json.Unmarshal(body, &ans); err != nil {
			t.Fatal(err)
		}
		rec := ans.Retirement
		if rec.ID != made.ID || rec.Beneficiary != txBeneficiary || rec.Quantity != "250" ||
			len(rec.Blocks) != 1 || rec.Blocks[0].Serials != txSerials {
			t.Fatalf("retirement record %s", body)
		}
		if h, err := strconv.ParseInt(rec.Height, 10, 64); err != nil || h <= 0 || h != made.Height {
			t.Fatalf("retirement height %q, want the retiring block %d", rec.Height, made.Height)
		}
		if !sameHash(rec.TxHash, made.TxHash) {
			t.Fatalf("retirement tx hash %q, want %s", rec.TxHash, made.TxHash)
		}
		for _, c := range []struct{ path, want string }{
			{"/api/v1/retirements?beneficiary=" + txBeneficiary, made.ID},
			{"/api/v1/retirements?account=" + nodetest.Addr("kyoto").Hex(), made.ID},
			{"/api/v1/serials/JC-00000002-RE-2024-0000000250", made.ID},
			{"/api/v1/batches/" + txBatch, "EN-R-002"},
		} {
			if status, body, _ := get(t, base+c.path); status != 200 || !strings.Contains(string(body), c.want) {
				t.Errorf("GET %s: %d %s; want %q", c.path, status, body, c.want)
			}
		}

		status, body, _ = get(t, base+"/api/v1/proofs/retirement/"+made.ID)
		if status != 200 {
			t.Fatalf("proof of %s: %d %s", made.ID, status, body)
		}
		res, err := proof.VerifyJSON(body, trust)
		if err != nil {
			t.Fatalf("proof of %s: %v", made.ID, err)
		}
		if !res.Exists || res.Subject != made.ID || res.Height < made.Height {
			t.Fatalf("proof of %s: exists %v, subject %s, state height %d (retired at %d)", made.ID, res.Exists, res.Subject, res.Height, made.Height)
		}
		if !strings.Contains(strings.ToLower(string(res.Record)), strings.ToLower(made.TxHash)) {
			t.Fatalf("proven record %s lacks tx hash %s", res.Record, made.TxHash)
		}
	})

	t.Run("the verifier is served compressed", func(t *testing.T) {
		if _, err := os.Stat("web/verifier.wasm"); err != nil {
			t.Log("web/verifier.wasm not built (make wasm); checking the message instead")
			status, body, _ := get(t, base+"/verifier.wasm")
			if status != 404 || !strings.Contains(string(body), "make wasm") {
				t.Fatalf("missing verifier: %d %s", status, body)
			}
			return
		}
		req, _ := http.NewRequest(http.MethodGet, base+"/verifier.wasm", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Content-Type") != "application/wasm" {
			t.Fatalf("verifier.wasm: %d %v", res.StatusCode, res.Header)
		}
		// The page asks /api/v1/verifier for the content-hashed URL, kept
		// a year; another hash is refused; without gzip the raw module.
		status, body, _ := get(t, base+"/api/v1/verifier")
		var info api.VerifierInfo
		if status != 200 || json.Unmarshal(body, &info) != nil || !strings.HasPrefix(info.URL, "verifier-"+info.SHA256[:16]) ||
			info.GzipBytes <= 0 || info.GzipBytes >= info.Bytes {
			t.Fatalf("/api/v1/verifier: %d %s", status, body)
		}
		status, raw, h := get(t, base+"/"+info.URL) // Go's client asks gzip and decompresses itself
		sum := sha256.Sum256(raw)
		if status != 200 || hex.EncodeToString(sum[:]) != info.SHA256 || !strings.Contains(h.Get("Cache-Control"), "immutable") {
			t.Fatalf("%s: %d, %d bytes, %v", info.URL, status, len(raw), h)
		}
		req, _ = http.NewRequest(http.MethodGet, base+"/"+info.URL, nil)
		req.Header.Set("Accept-Encoding", "identity")
		res, err = http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" || res.ContentLength != int64(info.Bytes) {
			t.Fatalf("%s without gzip: %d %v", info.URL, res.StatusCode, res.Header)
		}
		if status, body, _ := get(t, base+"/verifier-00000000000000000000.wasm"); status != 404 || !strings.Contains(string(body), info.URL) {
			t.Fatalf("stale verifier hash: %d %s", status, body)
		}
	})

	t.Run("a batch's ranges", func(t *testing.T) {
		status, body, _ := get(t, base+"/api/v1/ranges/JC-00000001")
		var ans struct {
			Ranges []struct {
				Serials, Status, Quantity, RetirementID string
				OwnerAccount                            string `json:"owner_account"`
			}
			Accounts []struct {
				LegalName string `json:"legal_name"`
			}
		}
		if status != 200 || json.Unmarshal(body, &ans) != nil || len(ans.Ranges) != 2 ||
			ans.Ranges[0].Serials != "JC-00000001-RE-2024-0000000001-0000000100" || ans.Ranges[0].Status != "RANGE_STATUS_RETIRED" ||
			ans.Ranges[1].Serials != "JC-00000001-RE-2024-0000000101-0000001000" || ans.Ranges[1].Quantity != "900" ||
			len(ans.Accounts) != 1 || ans.Accounts[0].LegalName == "" {
			t.Fatalf("ranges: %d %s", status, body)
		}
		if status, body, _ := get(t, base+"/api/v1/ranges/JC-00000009"); status != 404 {
			t.Fatalf("ranges of an absent batch: %d %s", status, body)
		}
	})

	t.Run("the QR code of a proof's URL", func(t *testing.T) {
		status, body, h := get(t, base+"/api/v1/proofs/retirement/"+retirementID+"/qr")
		if status != 200 || h.Get("Content-Type") != "image/svg+xml" || !bytes.HasPrefix(body, []byte("<svg")) ||
			h.Get("X-Jcredit-Proof-Url") != base+"/api/v1/proofs/retirement/"+retirementID+"?download=1" {
			t.Fatalf("qr: %d %v %.80s", status, h, body)
		}
		if status, body, _ := get(t, base+"/api/v1/proofs/retirement/JCR-1/qr"); status != 400 || !strings.Contains(string(body), "JCR-00000001") {
			t.Fatalf("qr of a malformed id: %d %s", status, body)
		}
	})

	t.Run("read only", func(t *testing.T) {
		before, err := n.App.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		c := nodetest.Client(t, n)
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
			for _, p := range []string{"/api/v1/retirements", "/api/v1/retirements/" + retirementID, "/", "/api/v1/proofs/retirement/" + retirementID} {
				req, _ := http.NewRequest(m, base+p, bytes.NewReader([]byte(`{"id":"x"}`)))
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") == "" {
					t.Errorf("%s %s: %d, want 405 with Allow", m, p, res.StatusCode)
				}
			}
		}
		req, _ := http.NewRequest(http.MethodOptions, base+"/api/v1/status", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent || !strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "GET") {
			t.Errorf("preflight: %d %v", res.StatusCode, res.Header)
		}
		// Blocks went on; the state did not change, but for what the
		// blocks themselves record (the validator's last signed height).
		nodetest.WaitHeight(t, c, before.Version()+3)
		after, err := n.App.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if diff := apptest.StateOf(before).TxDiff(apptest.StateOf(after)); len(diff) != 0 {
			t.Fatalf("the state changed (%q) while only the API was used", diff)
		}
	})

	t.Run("proofs verify against genesis", func(t *testing.T) {
		for _, p := range []struct {
			kind, subject string
			exists        bool
		}{
			{proof.KindRetirement, retirementID, true},
			{proof.KindSerial, retiredSerial, true},
			{proof.KindSerial, activeSerial, true},
			{proof.KindSerial, absentSerial, false},
			{proof.KindSerial, "JC-00000001-RE-2024-0000001001", true}, // beyond issued: the batch proves it
			{proof.KindAccount, nodetest.Addr("meti").Hex(), true},
			{proof.KindAccount, nodetest.Addr("stranger").Hex(), false},
			{proof.KindBatch, "JC-00000001", true},
			{proof.KindBatch, "JC-00000042", false},
			{proof.KindCancellation, "JCX-00000001", false},
			{proof.KindRetirement, "JCR-00000042", false},
		} {
			status, body, _ := get(t, base+"/api/v1/proofs/"+p.kind+"/"+p.subject)
			if status != 200 {
				t.Fatalf("proof %s %s: %d %s", p.kind, p.subject, status, body)
			}
			res, err := proof.VerifyJSON(body, trust)
			if err != nil {
				t.Fatalf("proof %s %s: %v", p.kind, p.subject, err)
			}
			if res.Exists != p.exists {
				t.Fatalf("proof %s %s: exists %v", p.kind, p.subject, res.Exists)
			}
		}
		status, body, _ := get(t, base+"/api/v1/proofs/retirement/"+retirementID)
		if status != 200 || !strings.Contains(string(body), beneficiary) {
			t.Fatalf("retirement proof: %d", status)
		}
		var bd proof.Bundle
		if err := json.Unmarshal(body, &bd); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(bd.Record), `"USE_RE100"`) {
			t.Fatalf("record %s", bd.Record)
		}
		status, body, _ = get(t, base+"/api/v1/proofs/retirement/"+retirementID+"?trust_height=2")
		if status != 200 {
			t.Fatalf("trust_height=2: %d %s", status, body)
		}
		if _, err := proof.VerifyJSON(body, trust); err != nil {
			t.Fatalf("trust_height=2: %v", err)
		}
		if status, _, _ := get(t, base+"/api/v1/proofs/retirement/"+retirementID+"?trust_height=x"); status != 400 {
			t.Fatalf("bad trust_height: %d", status)
		}
		// A retirement id that does not exist is proven absent (issue 11,
		// finding 6).
		status, body, _ = get(t, base+"/api/v1/proofs/retirement/JCR-00000077")
		if status != 200 {
			t.Fatalf("absence of a retirement: %d %s", status, body)
		}
		if res, err := proof.VerifyJSON(body, trust); err != nil || res.Exists || res.Answer != proof.AnswerAbsent {
			t.Fatalf("absence of JCR-00000077: %v %+v", err, res)
		}
		status, _, hdr := get(t, base+"/api/v1/proofs/retirement/"+retirementID+"?download=1")
		if status != 200 || !strings.Contains(hdr.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %d %v", status, hdr)
		}
	})

	t.Run("statements and published trust roots", func(t *testing.T) {
		// The API says what a proof proves in the verifier's own words.
		status, body, hdr := get(t, base+"/api/v1/proofs/serial/"+activeSerial+"/statement")
		if status != 200 || hdr.Get("X-Jcredit-Verified-By") == "" {
			t.Fatalf("statement: %d %s", status, body)
		}
		var res proof.Result
		if err := json.Unmarshal(body, &res); err != nil {
			t.Fatal(err)
		}
		if res.Answer != proof.AnswerActive || !strings.HasPrefix(res.Statement, "AS OF state ") || !strings.Contains(res.Statement, "says nothing about later heights") {
			t.Fatalf("statement of an active serial: %+v", res)
		}
		// The same bundle verified here says the same words.
		_, raw, _ := get(t, base+"/api/v1/proofs/serial/"+activeSerial)
		mine, err := proof.VerifyJSON(raw, trust)
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimPrefix(mine.Statement, "AS OF state ") == "" || mine.Answer != res.Answer {
			t.Fatalf("here %q, API %q", mine.Statement, res.Statement)
		}
		// /api/v1/trust names the chain and can publish the set of a later
		// block; it is read as a trust root as it is.
		status, body, _ = get(t, base+"/api/v1/trust?height=2")
		if status != 200 {
			t.Fatalf("trust?height=2: %d %s", status, body)
		}
		root, err := proof.ParseTrust(body)
		if err != nil || root.ChainID != nodetest.ChainID || root.Height != 2 {
			t.Fatalf("the API's trust answer as a root: %+v %v", root, err)
		}
		_, raw, _ = get(t, base+"/api/v1/proofs/retirement/"+retirementID+"?trust_height=2")
		if _, err := proof.VerifyJSON(raw, root); err != nil {
			t.Fatalf("a bundle for the root of block 2: %v", err)
		}
		if status, _, _ := get(t, base+"/api/v1/trust?height=999999"); status != 404 {
			t.Fatalf("trust of a future block: %d", status)
		}
	})

	t.Run("the CLI path: over CometBFT's HTTP RPC", func(t *testing.T) {
		c := nodetest.Client(t, n)
		b := &proof.Builder{Source: proof.RPCSource{Client: c.RPC}}
		bd, err := b.Retirement(context.Background(), retirementID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := proof.Verify(bd, trust); err != nil {
			t.Fatal(err)
		}
		// A trust root of another chain's validators refuses it.
		other := nodetest.NewHome(t, apptest.DefaultAccounts())
		og, err := os.ReadFile(node.GenesisFile(other))
		if err != nil {
			t.Fatal(err)
		}
		ot, err := proof.ParseTrust(og)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := proof.Verify(bd, ot); proof.StepOf(err) != proof.StepTrust {
			t.Fatalf("foreign trust root: %v", err)
		}
	})
}
