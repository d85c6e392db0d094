package cli_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestCreditsCommands issues credits through certification with "tx
// credits issue", transfers and retires them with the CLI, and reads
// serials, holdings and the retirement record back, with proofs.
func TestCreditsCommands(t *testing.T) {
	h, url, _ := startCLINode(t, "jcredit-cli-credits", []string{"secretariat", "meti", "kyoto", "kiwa", "buyer"}, [][]string{
		{"secretariat", "--name", "Secretariat", "--roles", "secretariat"},
		{"meti", "--name", "METI", "--kind", "government", "--roles", "ministry"},
		{"kyoto", "--name", "Kyoto Boilers K.K.", "--roles", "creator"},
		{"kiwa", "--name", "KIWA Review", "--roles", "verifier"},
		{"buyer", "--name", "Buyer K.K.", "--roles", "holder"},
	})

	tx := func(module string, args ...string) string {
		t.Helper()
		return mustRun(t, append(append(append([]string{"tx", module}, args...), h...), "--node", url)...)
	}
	q := func(args ...string) queryOut {
		t.Helper()
		return queryJSON(t, append(append(append([]string{"q", "credits"}, args...), h...), "--node", url)...)
	}

	tx("projects", "adopt-methodology", "EN-S-001", "--title", "Boiler replacement", "--category", "energy-saving", "--from", "meti")
	tx("projects", "submit", "--name", "Kyoto plant boilers", "--methodology", "EN-S-001", "--prefecture", "京都府", "--municipality", "亀岡市",
		"--crediting-start", "2023-04-01", "--crediting-end", "2031-03-31", "--expected", "12000",
		"--plan-hash", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "--from", "kyoto")
	tx("projects", "validate", "JCP-000001", "--from", "kiwa")
	tx("projects", "register", "JCP-000001", "--from", "meti")
	tx("projects", "submit-report", "JCP-000001", "--start", "2023-04-01", "--end", "2024-03-31", "--claimed", "1500",
		"--doc-hash", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", "--from", "kyoto")
	tx("projects", "verify-report", "JCP-000001-R001", "--amount", "1450", "--from", "kiwa")
	if out := tx("credits", "issue", "JCP-000001-R001", "--certification-number", "0007-2024", "--label", "ccp", "--from", "meti"); !strings.Contains(out, "credits.batch") {
		t.Fatalf("issue printed %s", out)
	}

	tx("credits", "transfer", "buyer", "--quantity", "100", "--from", "kyoto")
	block := "JC-00000001-ES-2023-0000000001-0000000040"
	// RE100 takes renewable electricity only: refused with its own code.
	if _, err := run(t, append([]string{"tx", "credits", "retire", "--serials", block, "--use", "re100",
		"--beneficiary", "Buyer K.K.", "--fiscal-year", "2025", "--from", "buyer", "--node", url}, h...)...); err == nil ||
		!strings.Contains(err.Error(), "credits/10") {
		t.Fatalf("RE100 retirement of energy-saving credits: %v", err)
	}
	// A dry run says what would happen, signing nothing: the blocks and the
	// record, or every rule that would fail.
	dry := tx("credits", "retire", "--quantity", "40", "--use", "energy-conservation-act,shift-asset", "--beneficiary", "Buyer K.K.",
		"--fiscal-year", "2025", "--from", "buyer", "--dry-run")
	if !strings.Contains(dry, "would succeed") || !strings.Contains(dry, block) || !strings.Contains(dry, "JC/ER no. 0007-2024") ||
		!strings.Contains(dry, "京都府 (Kyoto) 亀岡市") || !strings.Contains(dry, "nothing was signed") {
		t.Fatalf("dry run printed %s", dry)
	}
	out, err := run(t, append([]string{"tx", "credits", "retire", "--serials", block, "--use", "re100", "--use", "cdp",
		"--beneficiary", "Buyer K.K.", "--fiscal-year", "2031", "--from", "buyer", "--node", url, "--dry-run"}, h...)...)
	if err == nil || !strings.Contains(out, "would be REFUSED") || !strings.Contains(out, "3. ") || !strings.Contains(out, "fiscal year 2031") {
		t.Fatalf("refused dry run: %v\n%s", err, out)
	}
	tx("credits", "retire", "--serials", block, "--use", "energy-conservation-act", "--beneficiary", "Buyer K.K.",
		"--details", "FY2025 periodic report", "--fiscal-year", "2025", "--from", "buyer", "--yes")
	if r := string(q("retirement", "JCR-00000001").Value); !strings.Contains(r, `"certification_number":"0007-2024"`) ||
		!strings.Contains(r, `"account_legal_name":"Buyer K.K."`) || !strings.Contains(r, `"rule_version":"1"`) ||
		!strings.Contains(r, `"municipality":"亀岡市"`) || !strings.Contains(r, "LABEL_KIND_ICVCM_CCP") {
		t.Fatalf("retirement record: %s", r)
	}
	if out := tx("credits", "transfer", "buyer", "--quantity", "5", "--from", "kyoto", "--dry-run"); !strings.Contains(out, "would transfer JC-00000001-ES-2023-0000000101-0000000105") {
		t.Fatalf("transfer dry run: %s", out)
	}
	if out := tx("credits", "cancel", "JC-00000001-ES-2023-0000000200", "--reason", "audit", "--from", "meti", "--dry-run"); !strings.Contains(out, "would cancel 1 credits") {
		t.Fatalf("cancel dry run: %s", out)
	}
	// Labels after issuance, with history; the use table, provable.
	tx("credits", "label", "add", "JC-00000001", "corsia:first", "--reason", "ICAO TAB decision", "--from", "meti")
	if hist := string(q("label-history", "JC-00000001").Value); !strings.Contains(hist, "ICAO TAB decision") || !strings.Contains(hist, "CORSIA_PHASE_FIRST") {
		t.Fatalf("label history: %s", hist)
	}
	if u := q("use-table", "--prove"); !strings.Contains(string(u.Value), "USE_KEIDANREN") || u.Proof == nil || !u.Proof.Exists {
		t.Fatalf("use table: %s", u.Value)
	}

	s := q("serial", "JC-00000001-ES-2023-0000000007", "--prove")
	if v := string(s.Value); !strings.Contains(v, "RANGE_STATUS_RETIRED") || !strings.Contains(v, "JCR-00000001") || s.Proof == nil || !s.Proof.Exists {
		t.Fatalf("serial: %s proof %+v", v, s.Proof)
	}
	if r := q("retirement", "JCR-00000001", "--prove"); !strings.Contains(string(r.Value), "Buyer K.K.") || r.Proof == nil || !r.Proof.Exists {
		t.Fatalf("retirement: %s", r.Value)
	}
	if b := q("batch", "JC-00000001", "--prove"); !strings.Contains(string(b.Value), `"retired":"40"`) || b.Proof == nil {
		t.Fatalf("batch: %s", b.Value)
	}
	if hs := string(q("holdings", "buyer").Value); !strings.Contains(hs, `"quantity":"60","status":"RANGE_STATUS_ACTIVE"`) ||
		!strings.Contains(hs, `"quantity":"40","status":"RANGE_STATUS_RETIRED"`) {
		t.Fatalf("holdings: %s", hs)
	}
	if hs := string(q("holdings", "buyer", "--status", "retired").Value); strings.Contains(hs, "RANGE_STATUS_ACTIVE") {
		t.Fatalf("retired holdings: %s", hs)
	}
	if l := string(q("retirements", "--beneficiary", "Buyer K.K.").Value); !strings.Contains(l, "JCR-00000001") {
		t.Fatalf("retirements by beneficiary: %s", l)
	}
	if l := string(q("retirements", "--fiscal-year", "2025").Value); !strings.Contains(l, "JCR-00000001") {
		t.Fatalf("retirements by fiscal year: %s", l)
	}

	// --gas auto: a dry run sets the limit (1.3 times what it used); a
	// transaction the dry run refuses is not sent, so it spends nothing.
	if out := tx("credits", "transfer", "buyer", "--serials", "JC-00000001-ES-2023-0000000101", "--serials", "JC-00000001-ES-2023-0000000103", "--from", "kyoto", "--gas", "auto"); !strings.Contains(out, "code:    0") || !gasAuto(out) {
		t.Fatalf("transfer with --gas auto: %s", out)
	}
	if out, err := run(t, append([]string{"tx", "credits", "transfer", "buyer", "--quantity", "100000", "--from", "kyoto", "--gas", "auto", "--node", url}, h...)...); err == nil ||
		!strings.Contains(err.Error(), "not sent") || !strings.Contains(out, "would be REFUSED") {
		t.Fatalf("a refused transfer with --gas auto: %v\n%s", err, out)
	}
}

// gasAuto reports whether a transaction's printed result used at most the
// limit --gas auto set, and that limit is about 1.3 times what it used.
func gasAuto(out string) bool {
	for _, line := range strings.Split(out, "\n") {
		var used, limit uint64
		if _, err := fmt.Sscanf(line, "gas:     %d used of %d", &used, &limit); err == nil {
			return used > 0 && used <= limit && limit >= used*12/10 && limit <= used*14/10
		}
	}
	return false
}
