package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/nodetest"
	"github.com/jcredit/jcredit/node/proof"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// proofHome is a single-validator home whose genesis migrates one batch
// with 10 serials retired as JCR-00000001.
func proofHome(t *testing.T) string {
	t.Helper()
	home := nodetest.NewHome(t, apptest.DefaultAccounts())
	doc, err := node.ReadGenesis(home)
	if err != nil {
		t.Fatal(err)
	}
	owner := apptest.Addr("meti").Hex()
	g, err := protojson.Marshal(&creditsv1.GenesisState{
		Batches: []*creditsv1.Batch{{Id: "JC-00000001", Number: 1, ProjectId: "P-1", ReportId: "R-1", Methodology: "EN-S-001",
			Category: creditsv1.Category_CATEGORY_ENERGY_SAVING, VintageStart: "2023-04-01", VintageEnd: "2024-03-31", Issued: 10}},
		Ranges: []*creditsv1.Range{{BatchId: "JC-00000001", Start: 1, End: 10, Owner: owner,
			Status: creditsv1.RangeStatus_RANGE_STATUS_RETIRED, RetirementId: "JCR-00000001"}},
		Retirements: []*creditsv1.Retirement{{Id: "JCR-00000001", Account: owner, Beneficiary: "Example KK",
			Use: creditsv1.Use_USE_ENERGY_CONSERVATION_ACT, FiscalYear: 2024, Quantity: 10,
			Blocks: []*creditsv1.SerialBlock{{BatchId: "JC-00000001", Start: 1, End: 10, Serials: "JC-00000001-ES-2023-0000000001-0000000010"}},
			Time:   timestamppb.New(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]json.RawMessage
	if err := json.Unmarshal(doc.AppState, &state); err != nil {
		t.Fatal(err)
	}
	state["credits"] = g
	if doc.AppState, err = json.Marshal(state); err != nil {
		t.Fatal(err)
	}
	if err := node.WriteGenesis(home, doc); err != nil {
		t.Fatal(err)
	}
	return home
}

func TestProofAndVerifyCommands(t *testing.T) {
	home := proofHome(t)
	n := nodetest.Start(t, home)
	nodetest.WaitHeight(t, nodetest.Client(t, n), 3)
	url := n.RPCAddress()
	dir := t.TempDir()
	genesis := node.GenesisFile(home)

	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	ret := write("retirement.json", mustRun(t, "proof", "retirement", "JCR-00000001", "--node", url))
	out := mustRun(t, "verify", ret, "--trust", genesis)
	for _, want := range []string{"VERIFIED: AS OF state ", "retirement JCR-00000001 exists: 10 credits", "Example KK",
		"trust root: the genesis validator set", "headers checked (1", "signed by the trusted set", "<- the proven block"} {
		if !strings.Contains(out, want) {
			t.Fatalf("verify output lacks %q:\n%s", want, out)
		}
	}
	serial := write("serial.json", mustRun(t, "proof", "serial", "JC-00000001-ES-2023-0000000007", "--node", url))
	if out := mustRun(t, "verify", serial, "--trust", genesis); !strings.Contains(out, "serial JC-00000001-ES-2023-0000000007 is RETIRED by retirement JCR-00000001") ||
		!strings.Contains(out, "also proven") {
		t.Fatalf("verify serial:\n%s", out)
	}
	never := write("never.json", mustRun(t, "proof", "serial", "JC-00000001-ES-2023-0000000011", "--node", url))
	if out := mustRun(t, "verify", never, "--trust", genesis); !strings.Contains(out, "never issued: batch JC-00000001 has issued 10") {
		t.Fatalf("verify a serial never issued:\n%s", out)
	}
	// -o json says the same, in the same words.
	var res proof.Result
	if err := json.Unmarshal([]byte(mustRun(t, "verify", never, "--trust", genesis, "-o", "json")), &res); err != nil {
		t.Fatal(err)
	}
	if res.Answer != proof.AnswerNeverIssued || !strings.HasPrefix(res.Statement, "AS OF state ") ||
		!strings.Contains(res.Statement, "never issued: batch JC-00000001 has issued 10") || len(res.Walk) != 1 || res.Trust.Source != proof.TrustFromGenesis {
		t.Fatalf("verify -o json: %+v", res)
	}
	// A bundle is never its own trust root.
	if _, err := run(t, "verify", ret, "--trust", ret); err == nil || !strings.Contains(err.Error(), "cannot vouch for itself") {
		t.Fatalf("a bundle as its own trust root: %v", err)
	}

	// The other trust-root forms: the validator-set hash, a validators file.
	raw, _ := os.ReadFile(ret)
	bd, err := proof.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := proof.ToValidatorSet(bd.Validators)
	if err != nil {
		t.Fatal(err)
	}
	hash := strings.ToUpper(hexOf(vs.Hash()))
	if _, err := run(t, "verify", ret, "--trust", hash); err == nil || !strings.Contains(err.Error(), "--chain-id") {
		t.Fatalf("a validator-set hash without --chain-id: %v", err)
	}
	mustRun(t, "verify", ret, "--trust", hash, "--chain-id", nodetest.ChainID)
	if _, err := run(t, "verify", ret, "--trust", hash, "--chain-id", "another-chain"); err == nil || !strings.Contains(err.Error(), "trust step failed") {
		t.Fatalf("wrong --chain-id: %v", err)
	}
	vals, _ := json.Marshal(bd.Validators)
	if _, err := run(t, "verify", ret, "--trust", write("validators.json", string(vals))); err == nil || !strings.Contains(err.Error(), "--chain-id") {
		t.Fatalf("a validators file without --chain-id: %v", err)
	}
	mustRun(t, "verify", ret, "--trust", write("validators.json", string(vals)), "--chain-id", nodetest.ChainID)

	// Failures name their step and return an error (exit code 1).
	for _, c := range []struct {
		name, trust, step string
		edit              func(b *proof.Bundle)
	}{
		{"record", genesis, "record step failed", func(b *proof.Bundle) {
			b.Record = json.RawMessage(strings.Replace(string(b.Record), "Example KK", "Other KK", 1))
		}},
		{"proof", genesis, "proof step failed", func(b *proof.Bundle) { b.Proof[len(b.Proof)/2] ^= 1 }},
		{"value", genesis, "proof step failed", func(b *proof.Bundle) { b.Value[3] ^= 1 }},
		{"validators", genesis, "validators step failed", func(b *proof.Bundle) { b.Validators[0].Power++ }},
		{"header", genesis, "header step failed", func(b *proof.Bundle) {
			b.Header = json.RawMessage(strings.Replace(string(b.Header), nodetest.ChainID, nodetest.ChainID+"x", 1))
		}},
		{"trust", write("other-genesis.json", otherGenesis(t)), "trust step failed", func(*proof.Bundle) {}},
	} {
		b, err := proof.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		c.edit(b)
		bz, _ := b.Marshal()
		p := write(c.name+".json", string(bz))
		_, err = run(t, "verify", p, "--trust", c.trust)
		if err == nil || !strings.Contains(err.Error(), c.step) {
			t.Fatalf("%s: got %v, want %q", c.name, err, c.step)
		}
	}
	if _, err := run(t, "verify", ret); err == nil || !strings.Contains(err.Error(), "--trust") {
		t.Fatalf("verify without --trust: %v", err)
	}
	// Issue 11, finding 6: a retirement id that does not exist (above the
	// last one) is proven absent.
	missing := write("missing.json", mustRun(t, "proof", "retirement", "JCR-00000099", "--node", url))
	if out := mustRun(t, "verify", missing, "--trust", genesis); !strings.Contains(out, "retirement JCR-00000099 is absent") {
		t.Fatalf("verify the absence of JCR-00000099:\n%s", out)
	}
	nocanc := write("nocanc.json", mustRun(t, "proof", "cancellation", "JCX-00000001", "--node", url))
	if out := mustRun(t, "verify", nocanc, "--trust", genesis); !strings.Contains(out, "cancellation JCX-00000001 is absent") {
		t.Fatalf("verify the absence of JCX-00000001:\n%s", out)
	}
	if _, err := run(t, "proof", "retirement", "JCR-00000099\u200b", "--node", url); err == nil {
		t.Fatal("a bundle for a subject with an invisible character")
	}
}

// otherGenesis is the genesis of another chain (other validators).
func otherGenesis(t *testing.T) string {
	t.Helper()
	other := nodetest.NewHome(t, apptest.DefaultAccounts())
	raw, err := os.ReadFile(node.GenesisFile(other))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
