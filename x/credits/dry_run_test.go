package credits_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/module"
)

// A dry run (the app's simulate query) executes a retirement against the
// committed state and says which serial blocks it would take, the record
// it would write and every rule that would fail — signed or not — and
// changes nothing: no record, no nonce, the same app hash.
func TestDryRunShowsTheRecordAndEveryFailingRule(t *testing.T) {
	c := newChain(t, holders("alice", "bob"),
		genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 100}}},
		genBatch{category: forest, vintageStart: "2023-04-01", alloc: []alloc{{"alice", 50}}})
	simulate := func(req app.SimulateRequest) app.SimulateAnswer {
		t.Helper()
		req.Time = c.Time.Add(60e9)
		data, _ := json.Marshal(req)
		res := c.Query(app.SimulatePath, data, false)
		if res.Code != 0 {
			t.Fatalf("simulate: %s", res.Log)
		}
		var ans app.SimulateAnswer
		if err := json.Unmarshal(res.Value, &ans); err != nil {
			t.Fatal(err)
		}
		return ans
	}
	unsigned := func(signer string, msg *creditsv1.MsgRetire) app.SimulateRequest {
		body, err := tx.Build(apptest.ChainID, 0, "", msg)
		if err != nil {
			t.Fatal(err)
		}
		return app.SimulateRequest{Body: body, Signer: apptest.Addr(signer).Hex()}
	}
	hash, nonce := c.LastHash, c.Nonce("alice")

	ok := &creditsv1.MsgRetire{Quantity: 120, Beneficiary: "Alice K.K.", Use: creditsv1.Use_USE_GLOBAL_WARMING_ACT, FiscalYear: 2025}
	ans := simulate(unsigned("alice", ok))
	var preview struct {
		Retirements []json.RawMessage `json:"retirements"`
	}
	if !ans.OK || json.Unmarshal(ans.Previews["credits"], &preview) != nil || len(preview.Retirements) != 1 {
		t.Fatalf("dry run: %+v", ans)
	}
	rec := &creditsv1.Retirement{}
	if err := module.UnmarshalJSON(preview.Retirements[0], rec); err != nil {
		t.Fatal(err)
	}
	// Oldest vintage first: the forest batch's 50, then 70 of the RE batch.
	if rec.Quantity != 120 || len(rec.Blocks) != 2 || rec.Blocks[0].Serials != ser(2, forest, 2023, 1, 50) ||
		rec.Blocks[1].Serials != ser(1, re, 2024, 1, 70) || rec.RuleVersion != 1 || rec.AccountLegalName != "alice" {
		t.Fatalf("previewed record %v", rec)
	}
	// Signed, it is the same (but for the transaction hash).
	signed := simulate(app.SimulateRequest{Tx: c.Tx("alice", ok)})
	if !signed.OK || !strings.Contains(string(signed.Previews["credits"]), rec.Blocks[1].Serials) || signed.Account != c.AccountNumber("alice") {
		t.Fatalf("signed dry run: %+v", signed)
	}

	bad := &creditsv1.MsgRetire{Serials: []string{ser(2, forest, 2023, 1, 5)}, Beneficiary: "Alice K.K.",
		Uses: []creditsv1.Use{creditsv1.Use_USE_RE100, creditsv1.Use_USE_CDP}, FiscalYear: 2022}
	ans = simulate(unsigned("alice", bad))
	if ans.OK || ans.Codespace != "credits" || len(ans.Failures) != 3 || !strings.Contains(ans.Failures[2], "allowed: 2023, 2024, 2025, 2026") {
		t.Fatalf("failing dry run: %+v", ans)
	}
	// Somebody else's credits: the holder is named.
	if ans = simulate(unsigned("bob", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 1, 5)}, Beneficiary: "Bob", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025})); ans.OK || !strings.Contains(ans.Log, "held by") {
		t.Fatalf("%+v", ans)
	}

	c.Block() // nothing of the dry runs was written
	if !bytes.Equal(c.LastHash, hash) || c.Nonce("alice") != nonce {
		t.Fatal("a dry run changed the state")
	}
	if q := c.Ask("/credits/Retirement", &creditsv1.QueryRetirementRequest{Id: "JCR-00000001"}, false); q.Code == 0 {
		t.Fatal("a dry run's record exists")
	}
}
