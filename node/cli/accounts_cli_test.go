package cli_test

import (
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cometbft/cometbft/crypto/ed25519"
	"github.com/cometbft/cometbft/privval"
)

// TestAccountsCommands drives x/accounts' commands against one in-process
// node: roles, suspension, key rotation, and a validator proposal (one
// genesis ministry, so its quorum is 1 and the proposal applies at once).
func TestAccountsCommands(t *testing.T) {
	h, url, _ := startCLINode(t, "jcredit-cli-accounts", []string{"secretariat", "meti", "alice", "alice2"}, [][]string{
		{"secretariat", "--name", "Secretariat", "--roles", "secretariat"},
		{"meti", "--name", "METI", "--kind", "government", "--roles", "ministry"},
	})

	tx := func(args ...string) string {
		t.Helper()
		return mustRun(t, append(append(append([]string{"tx", "accounts"}, args...), h...), "--node", url)...)
	}
	q := func(args ...string) queryOut {
		t.Helper()
		return queryJSON(t, append(append(append([]string{"q", "accounts"}, args...), h...), "--node", url)...)
	}

	tx("open", "alice", "--name", "Alice K.K.", "--roles", "holder", "--from", "secretariat")
	tx("update-roles", "alice", "--roles", "holder,provider", "--from", "secretariat")
	tx("suspend", "alice", "--reason", "key reported lost", "--from", "secretariat")
	if v := string(q("account", "alice").Value); !strings.Contains(v, "ACCOUNT_STATUS_SUSPENDED") || !strings.Contains(v, "key reported lost") {
		t.Fatalf("suspended account: %s", v)
	}
	if _, err := run(t, append([]string{"tx", "accounts", "rotate-key", "alice2", "--from", "alice", "--node", url}, h...)...); err == nil ||
		!strings.Contains(err.Error(), "accounts/7") {
		t.Fatalf("a suspended account rotated its key: %v", err)
	}
	tx("reactivate", "alice", "--reason", "identity re-checked", "--from", "secretariat")

	// Rotation: the account moves to alice2, alice is retired (provably).
	tx("rotate-key", "alice2", "--from", "alice")
	moved := string(q("account", "alice2").Value)
	if !strings.Contains(moved, "Alice K.K.") || !strings.Contains(moved, "ROLE_PROVIDER") || !strings.Contains(moved, "previous_addresses") {
		t.Fatalf("rotated account: %s", moved)
	}
	if r := q("retired", "alice", "--prove"); r.Proof == nil || !r.Proof.Exists {
		t.Fatalf("retired: %+v", r)
	}
	// The CLI refuses before signing: the old address has no account now.
	if _, err := run(t, append([]string{"tx", "accounts", "update-roles", "alice", "--roles", "holder", "--from", "alice", "--node", url}, h...)...); err == nil {
		t.Fatal("the old key still signs")
	}
	if v := string(q("role", "provider").Value); !strings.Contains(v, "Alice K.K.") {
		t.Fatalf("providers: %s", v)
	}

	// The node's own validator, re-weighted by the (single) ministry.
	pv := privval.LoadFilePVEmptyState(filepath.Join(h[1], "config", "priv_validator_key.json"), "")
	key := base64.StdEncoding.EncodeToString(pv.Key.PubKey.Bytes())
	if v := string(q("validators").Value); !strings.Contains(v, key) || !strings.Contains(v, `"power":"10"`) {
		t.Fatalf("validators: %s", v)
	}
	tx("propose-validator", "set-power", key, "--power", "20", "--from", "meti")
	if p := q("proposal", "1", "--prove"); !strings.Contains(string(p.Value), "PROPOSAL_STATUS_APPLIED") || p.Proof == nil {
		t.Fatalf("proposal: %s", p.Value)
	}
	if v := string(q("validator", key, "--prove").Value); !strings.Contains(v, `"power":"20"`) {
		t.Fatalf("validator after the change: %s", v)
	}

	// A new node: the proposal carries its key's possession proof, signed
	// with the node's priv_validator_key.json. Without the file the CLI
	// refuses; with another node's file it refuses; with its own, power 4
	// of 24 (under a third) applies.
	newKeyFile := filepath.Join(t.TempDir(), "priv_validator_key.json")
	newPV := privval.NewFilePV(ed25519.GenPrivKey(), newKeyFile, filepath.Join(t.TempDir(), "state.json"))
	newPV.Save()
	newKey := base64.StdEncoding.EncodeToString(newPV.Key.PubKey.Bytes())
	add := func(args ...string) error {
		_, err := run(t, append(append([]string{"tx", "accounts", "propose-validator", "add", newKey, "--power", "4", "--operator", "meti", "--from", "meti", "--node", url}, args...), h...)...)
		return err
	}
	if err := add(); err == nil || !strings.Contains(err.Error(), "--consensus-key") {
		t.Fatalf("an addition without the key's proof: %v", err)
	}
	if err := add("--consensus-key", filepath.Join(h[1], "config", "priv_validator_key.json")); err == nil || !strings.Contains(err.Error(), "not "+newKey) {
		t.Fatalf("an addition signed by another key: %v", err)
	}
	if err := add("--consensus-key", newKeyFile); err != nil {
		t.Fatal(err)
	}
	if v := string(q("validator", newKey).Value); !strings.Contains(v, `"power":"4"`) {
		t.Fatalf("the new validator: %s", v)
	}
	// A ghost with a third of the power is refused by the chain itself.
	ghostFile := filepath.Join(t.TempDir(), "priv_validator_key.json")
	ghost := privval.NewFilePV(ed25519.GenPrivKey(), ghostFile, filepath.Join(t.TempDir(), "state.json"))
	ghost.Save()
	_, err := run(t, append([]string{"tx", "accounts", "propose-validator", "add", base64.StdEncoding.EncodeToString(ghost.Key.PubKey.Bytes()),
		"--power", "10", "--operator", "meti", "--from", "meti", "--node", url, "--consensus-key", ghostFile}, h...)...)
	if err == nil || !strings.Contains(err.Error(), "accounts/41") {
		t.Fatalf("a ghost holding a third: %v", err)
	}

	if v := string(q("params").Value); !strings.Contains(v, `"ministry_quorum":1`) {
		t.Fatalf("params: %s", v)
	}
	if v := string(q("proposals", "--pending").Value); strings.Contains(v, `"proposals"`) || !strings.Contains(v, `"page"`) {
		t.Fatalf("pending: %s", v)
	}
	if v := string(q("proposals").Value); !strings.Contains(v, `"PROPOSAL_STATUS_APPLIED"`) {
		t.Fatalf("every proposal: %s", v)
	}
}

// TestOrganisationCommands: department accounts opened with a corporate
// number are listed together; a rename keeps the old name as history; a
// wrong check digit is refused with the chain's code.
func TestOrganisationCommands(t *testing.T) {
	h, url, _ := startCLINode(t, "jcredit-cli-orgs", []string{"secretariat", "hq", "env"}, [][]string{
		{"secretariat", "--name", "Secretariat", "--roles", "secretariat"},
	})
	tx := func(args ...string) string {
		t.Helper()
		return mustRun(t, append(append(append([]string{"tx", "accounts"}, args...), h...), "--node", url)...)
	}
	q := func(args ...string) queryOut {
		t.Helper()
		return queryJSON(t, append(append(append([]string{"q", "accounts"}, args...), h...), "--node", url)...)
	}
	tx("open", "hq", "--name", "Toyota K.K.", "--roles", "holder", "--corporate-number", "1180301018771", "--postal-address", "愛知県豊田市", "--from", "secretariat")
	tx("open", "env", "--name", "Toyota K.K.", "--roles", "holder", "--corporate-number", "1180301018771", "--department", "環境部", "--from", "secretariat")
	if v := string(q("corporate", "1180301018771").Value); strings.Count(v, `"corporate_number":"1180301018771"`) != 2 || !strings.Contains(v, "環境部") {
		t.Fatalf("departments: %s", v)
	}
	if _, err := run(t, append([]string{"tx", "accounts", "open", "0x52908400098527886E0F7030069857D2E4169EE7", "--name", "X", "--roles", "holder",
		"--corporate-number", "2180301018771", "--from", "secretariat", "--node", url}, h...)...); err == nil || !strings.Contains(err.Error(), "accounts/100") {
		t.Fatalf("a wrong check digit: %v", err)
	}
	// hq lets env retire for it, then revokes.
	tx("grant-delegation", "env", "--actions", "retire,transfer", "--max-quantity", "50", "--until-height", "100000", "--from", "hq")
	if v := string(q("delegations", "hq").Value); !strings.Contains(v, "DELEGATED_ACTION_RETIRE") || !strings.Contains(v, `"max_quantity":"50"`) {
		t.Fatalf("delegations: %s", v)
	}
	tx("revoke-delegation", "env", "--from", "hq")
	if v := string(q("delegations", "hq").Value); strings.Contains(v, "DELEGATED_ACTION_RETIRE") {
		t.Fatalf("after revocation: %s", v)
	}
	// hq trusts env; the list shows when env can receive.
	tx("trusted-recipients", "--add", "env", "--restrict", "on", "--from", "hq")
	if v := string(q("trusted-recipients", "hq").Value); !strings.Contains(v, `"effective_height"`) {
		t.Fatalf("trusted recipients: %s", v)
	}
	if v := string(q("account", "hq").Value); !strings.Contains(v, `"trusted_recipients_only":true`) {
		t.Fatalf("restricted account: %s", v)
	}
	tx("update-details", "env", "--name", "Toyota K.K.", "--department", "脱炭素推進部", "--reason", "reorganisation", "--from", "secretariat")
	if v := string(q("details-history", "env").Value); !strings.Contains(v, "環境部") || !strings.Contains(v, "reorganisation") {
		t.Fatalf("history: %s", v)
	}
}
