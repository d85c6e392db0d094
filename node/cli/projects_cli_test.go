package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProjectsCommands walks a project through jcreditd's commands against
// one in-process node: adopt a methodology, submit (hashing the plan file
// locally), validate, register, report, verify, certify; then read it back
// with proofs.
func TestProjectsCommands(t *testing.T) {
	h, url, _ := startCLINode(t, "jcredit-cli-projects", []string{"secretariat", "meti", "kyoto", "kiwa"}, [][]string{
		{"secretariat", "--name", "Secretariat", "--roles", "secretariat"},
		{"meti", "--name", "METI", "--kind", "government", "--roles", "ministry"},
		{"kyoto", "--name", "Kyoto Boilers K.K.", "--roles", "creator"},
		{"kiwa", "--name", "KIWA Review", "--roles", "verifier"},
	})

	tx := func(args ...string) string {
		t.Helper()
		return mustRun(t, append(append(append([]string{"tx", "projects"}, args...), h...), "--node", url)...)
	}
	q := func(args ...string) queryOut {
		t.Helper()
		return queryJSON(t, append(append(append([]string{"q", "projects"}, args...), h...), "--node", url)...)
	}

	plan := filepath.Join(t.TempDir(), "plan.txt")
	if err := os.WriteFile(plan, []byte("test"), 0o600); err != nil {
		t.Fatal(err)
	}
	tx("adopt-methodology", "EN-S-001", "--title", "Boiler replacement", "--category", "energy-saving", "--from", "meti")
	out := tx("submit", "--name", "Kyoto plant boilers", "--methodology", "EN-S-001", "--prefecture", "JP-26",
		"--crediting-start", "2023-04-01", "--crediting-end", "2031-03-31", "--expected", "12000",
		"--plan-file", plan, "--from", "kyoto")
	if !strings.Contains(out, "project=JCP-000001") {
		t.Fatalf("submit printed %s", out)
	}
	// An action the rules refuse (the operator validating its own plan) is
	// reported with its code, and the command fails.
	if _, err := run(t, append([]string{"tx", "projects", "validate", "JCP-000001", "--from", "kyoto", "--node", url}, h...)...); err == nil ||
		!strings.Contains(err.Error(), "projects/6") {
		t.Fatalf("the operator validated its own project: %v", err)
	}
	tx("validate", "JCP-000001", "--from", "kiwa")
	tx("register", "JCP-000001", "--from", "meti")
	tx("submit-report", "JCP-000001", "--start", "2023-04-01", "--end", "2024-03-31", "--claimed", "1500",
		"--doc-hash", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", "--from", "kyoto")
	tx("verify-report", "JCP-000001-R001", "--amount", "1450", "--from", "kiwa")
	if out := tx("certify-report", "JCP-000001-R001", "--corsia", "--from", "meti"); !strings.Contains(out, "credits.batch") {
		t.Fatalf("certification issued no batch: %s", out)
	}

	p := q("project", "JCP-000001", "--prove")
	// sha256("test"), computed by the CLI from the file.
	if v := string(p.Value); !strings.Contains(v, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") ||
		!strings.Contains(v, "PROJECT_STATUS_REGISTERED") || p.Proof == nil || !p.Proof.Exists {
		t.Fatalf("project: %s proof %+v", v, p.Proof)
	}
	if r := q("report", "JCP-000001-R001", "--prove"); !strings.Contains(string(r.Value), "REPORT_STATUS_CERTIFIED") || r.Proof == nil {
		t.Fatalf("report: %s", r.Value)
	}
	if l := string(q("list", "--status", "registered", "--operator", "kyoto").Value); !strings.Contains(l, "JCP-000001") {
		t.Fatalf("list: %s", l)
	}
	if l := string(q("list", "--status", "rejected").Value); strings.Contains(l, "JCP-000001") {
		t.Fatalf("list of rejected: %s", l)
	}
	if r := string(q("reports", "JCP-000001").Value); !strings.Contains(r, `"verified_t_co2":"1450"`) {
		t.Fatalf("reports: %s", r)
	}
	if m := string(q("methodologies").Value); !strings.Contains(m, "EN-S-001") {
		t.Fatalf("methodologies: %s", m)
	}
	if p := q("params", "--prove"); !strings.Contains(string(p.Value), "2031-03-31") || p.Proof == nil {
		t.Fatalf("params: %s", p.Value)
	}
	// Projects by status, proven: the bundle verifies against the genesis
	// validators and counts the one registered project.
	bundle := filepath.Join(t.TempDir(), "projects.json")
	if err := os.WriteFile(bundle, []byte(mustRun(t, append(append([]string{"proof", "total", "projects", "--status", "registered"}, h...), "--node", url)...)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "verify", bundle, "--trust", filepath.Join(h[1], "config", "genesis.json")); !strings.Contains(out, "projects REGISTERED = 1") {
		t.Fatalf("verify the project total:\n%s", out)
	}
	if _, err := run(t, append(append([]string{"proof", "total", "projects", "--use", "re100"}, h...), "--node", url)...); err == nil || !strings.Contains(err.Error(), "--status only") {
		t.Fatalf("projects counted by use: %v", err)
	}
}
