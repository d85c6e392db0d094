package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/node"
)

// TestGXETSCommands: a ministry marks an operator and records its verified
// emissions; the operator retires for GX-ETS within its cap, is refused
// over it (credits/87, the cap, used and requested said), and an auditor
// proves the year's use offline with "proof gx-ets" and "verify".
func TestGXETSCommands(t *testing.T) {
	h, url, _ := startCLINode(t, "jcredit-cli-gx", []string{"secretariat", "meti", "kyoto", "kiwa"}, [][]string{
		{"secretariat", "--name", "Secretariat", "--roles", "secretariat"},
		{"meti", "--name", "METI", "--kind", "government", "--roles", "ministry"},
		{"kyoto", "--name", "Kyoto Steel K.K.", "--roles", "creator"},
		{"kiwa", "--name", "KIWA Review", "--roles", "verifier"},
	})
	tx := func(module string, args ...string) string {
		t.Helper()
		return mustRun(t, append(append(append([]string{"tx", module}, args...), h...), "--node", url)...)
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

	tx("accounts", "gx-operator", "kyoto", "--corporate-number", "1180301018771", "--fiscal-year", "2026", "--verified", "5005",
		"--doc-hash", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", "--from", "meti")
	tx("credits", "retire", "--quantity", "400", "--use", "gx-ets", "--beneficiary", "Kyoto Steel K.K.", "--fiscal-year", "2026", "--from", "kyoto")
	_, err := run(t, append([]string{"tx", "credits", "retire", "--quantity", "101", "--use", "gx-ets", "--beneficiary", "Kyoto Steel K.K.",
		"--fiscal-year", "2026", "--from", "kyoto", "--node", url}, h...)...)
	if err == nil || !strings.Contains(err.Error(), "credits/87") || !strings.Contains(err.Error(), "cap 500 t-CO2") ||
		!strings.Contains(err.Error(), "used 400, requested 101") {
		t.Fatalf("over the cap: %v", err)
	}
	q := string(queryJSON(t, append([]string{"q", "accounts", "gx-operator", "kyoto", "--fiscal-year", "2026", "--node", url}, h...)...).Value)
	if !strings.Contains(q, `"cap_t_co2":"500"`) || !strings.Contains(q, "1180301018771") {
		t.Fatalf("gx-operator: %s", q)
	}
	p := filepath.Join(t.TempDir(), "gx.json")
	if err := os.WriteFile(p, []byte(mustRun(t, append([]string{"proof", "gx-ets", "kyoto", "--fiscal-year", "2026", "--node", url}, h...)...)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "verify", p, "--trust", node.GenesisFile(h[1]))
	if !strings.Contains(out, "verified emissions 5005 t-CO2; cap 500 t-CO2 (10%); J-Credits retired for GX-ETS 400 t-CO2 in 1 retirements: JCR-00000001 (400)") {
		t.Fatalf("verify gx-ets:\n%s", out)
	}
}
