package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/node"
)

// TestSettlementLockCommands: a seller locks credits for the exchange's
// settlement account, the buyer proves the lock with "proof serial" and
// "verify" before paying, the exchange settles; a second lock fails and is
// released. Locks are listed by agent and status.
func TestSettlementLockCommands(t *testing.T) {
	h, url, _ := startCLINode(t, "jcredit-cli-locks", []string{"secretariat", "meti", "kyoto", "kiwa", "buyer", "tse"}, [][]string{
		{"secretariat", "--name", "Secretariat", "--roles", "secretariat"},
		{"meti", "--name", "METI", "--kind", "government", "--roles", "ministry"},
		{"kyoto", "--name", "Kyoto Boilers K.K.", "--roles", "creator"},
		{"kiwa", "--name", "KIWA Review", "--roles", "verifier"},
		{"buyer", "--name", "Buyer K.K.", "--roles", "holder"},
		{"tse", "--name", "TSE Settlement", "--roles", "settlement"},
	})
	tx := func(module string, args ...string) string {
		t.Helper()
		return mustRun(t, append(append(append([]string{"tx", module}, args...), h...), "--node", url)...)
	}
	q := func(args ...string) string {
		t.Helper()
		return string(queryJSON(t, append(append(append([]string{"q", "credits"}, args...), h...), "--node", url)...).Value)
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
	tx("credits", "issue", "JCP-000001-R001", "--from", "meti")

	block := "JC-00000001-ES-2023-0000000001-0000000100"
	if out := tx("credits", "lock", "tse", "--serials", block, "--until", "100000", "--reference", "TSE 2026-0412-001", "--from", "kyoto"); !strings.Contains(out, "credits.lock") {
		t.Fatalf("lock printed %s", out)
	}
	// Locked: the seller cannot move them.
	if _, err := run(t, append([]string{"tx", "credits", "transfer", "buyer", "--serials", block, "--from", "kyoto", "--node", url}, h...)...); err == nil ||
		!strings.Contains(err.Error(), "credits/80") {
		t.Fatalf("transfer of locked credits: %v", err)
	}
	// The buyer proves the lock offline before paying.
	dir := t.TempDir()
	p := filepath.Join(dir, "serial.json")
	if err := os.WriteFile(p, []byte(mustRun(t, "proof", "serial", "JC-00000001-ES-2023-0000000042", "--node", url)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "verify", p, "--trust", node.GenesisFile(h[1]))
	if !strings.Contains(out, "is LOCKED at") || !strings.Contains(out, "until height 100000 (lock LK-00000001)") {
		t.Fatalf("verify a locked serial:\n%s", out)
	}
	if l := q("lock", "LK-00000001"); !strings.Contains(l, `"status":"LOCK_STATUS_OPEN"`) || !strings.Contains(l, "TSE 2026-0412-001") {
		t.Fatalf("lock: %s", l)
	}
	tx("credits", "settle", "LK-00000001", "buyer", "--from", "tse")
	if hs := q("holdings", "buyer"); !strings.Contains(hs, block) {
		t.Fatalf("buyer's holdings: %s", hs)
	}
	// A failed trade: released back to the seller.
	tx("credits", "lock", "tse", "--quantity", "10", "--until", "100000", "--from", "kyoto")
	tx("credits", "release", "LK-00000002", "--from", "tse")
	if ls := q("locks", "--agent", "tse", "--status", "released"); !strings.Contains(ls, "LK-00000002") || strings.Contains(ls, "LK-00000001") {
		t.Fatalf("released locks of tse: %s", ls)
	}
	if ls := q("locks", "--status", "settled"); !strings.Contains(ls, "LK-00000001") {
		t.Fatalf("settled locks: %s", ls)
	}
	// Credits for sale: the seller publishes an offer; the list shows what
	// it can deliver now (its 1340 remaining credits, capped at 500), as a
	// table and as JSON; a withdrawn offer disappears.
	if out := tx("credits", "publish-offer", "--quantity", "500", "--category", "energy-saving", "--vintage", "2023", "--price", "3200",
		"--contact", "sales@kyoto-boilers.example", "--from", "kyoto"); !strings.Contains(out, "credits.offer") {
		t.Fatalf("publish-offer printed %s", out)
	}
	if ls := q("offers", "--category", "energy-saving", "--vintage-year", "2023"); !strings.Contains(ls, `"id":"OF-00000001"`) || !strings.Contains(ls, `"available":"500"`) {
		t.Fatalf("offers: %s", ls)
	}
	if table := mustRun(t, append([]string{"q", "credits", "offers", "--node", url}, h...)...); !strings.Contains(table, "OF-00000001") ||
		!strings.Contains(table, "AVAILABLE") || !strings.Contains(table, "sales@kyoto-boilers.example") {
		t.Fatalf("offers table:\n%s", table)
	}
	if ls := q("offers", "--holder", "buyer"); strings.Contains(ls, "OF-00000001") {
		t.Fatalf("buyer's offers: %s", ls)
	}
	tx("credits", "withdraw-offer", "OF-00000001", "--from", "kyoto")
	if ls := q("offers", "--include-exhausted"); strings.Contains(ls, "OF-00000001") {
		t.Fatalf("withdrawn offer listed: %s", ls)
	}
	// A two-step transfer: offered, listed for the recipient, accepted; a
	// second one cancelled by the sender.
	if out := tx("credits", "offer", "buyer", "--quantity", "5", "--from", "kyoto"); !strings.Contains(out, "credits.lock") {
		t.Fatalf("offer printed %s", out)
	}
	if ls := q("locks", "--agent", "buyer", "--status", "open"); !strings.Contains(ls, "LK-00000003") || !strings.Contains(ls, `"transfer_offer":true`) {
		t.Fatalf("offered to buyer: %s", ls)
	}
	tx("credits", "accept", "LK-00000003", "--from", "buyer")
	tx("credits", "offer", "buyer", "--quantity", "5", "--until", "100000", "--from", "kyoto")
	tx("credits", "cancel-offer", "LK-00000004", "--from", "kyoto")
	if ls := q("locks", "--agent", "buyer", "--status", "settled"); !strings.Contains(ls, "LK-00000003") || strings.Contains(ls, "LK-00000004") {
		t.Fatalf("accepted transfers: %s", ls)
	}
	if _, err := run(t, append([]string{"tx", "credits", "accept", "LK-00000004", "--from", "buyer", "--node", url}, h...)...); err == nil ||
		!strings.Contains(err.Error(), "credits/82") {
		t.Fatalf("accept after cancel: %v", err)
	}
}
