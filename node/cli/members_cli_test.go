package cli_test

import (
	"strings"
	"testing"
)

// TestMembersCommands: an organisation gives its account member keys and a
// threshold policy; a representative's key change waits as pending action
// 1 until the approver approves it; the queries show members, policy and
// the action (provable); a viewer's transaction is refused with the
// chain's code.
func TestMembersCommands(t *testing.T) {
	h, url, _ := startCLINode(t, "jcredit-cli-members", []string{"secretariat", "company", "sato", "tanaka", "yamada"}, [][]string{
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
	tx("open", "company", "--name", "Company K.K.", "--roles", "holder", "--from", "secretariat")
	tx("members", "update", "--set", "sato:representative:経理部 佐藤", "--set", "tanaka:approver", "--set", "yamada:viewer", "--from", "company")
	if v := string(q("members", "company").Value); !strings.Contains(v, "MEMBER_ROLE_REPRESENTATIVE") || !strings.Contains(v, "経理部 佐藤") || !strings.Contains(v, "MEMBER_ROLE_VIEWER") {
		t.Fatalf("members: %s", v)
	}
	tx("policy", "set", "--rule", "keys-and-members=2", "--rule", "transfer>100=2", "--from", "company")
	if p := q("policy", "company", "--prove"); !strings.Contains(string(p.Value), "ACTION_CLASS_KEYS_AND_MEMBERS") || !strings.Contains(string(p.Value), `"above_quantity":"100"`) || p.Proof == nil {
		t.Fatalf("policy: %s", p.Value)
	}
	// sato turns on the trusted-recipient restriction: a key change, held.
	tx("trusted-recipients", "--restrict", "on", "--from", "sato")
	if v := string(q("pending", "company", "--pending").Value); !strings.Contains(v, "ACTION_STATUS_PENDING") {
		t.Fatalf("pending: %s", v)
	}
	if v := string(q("account", "company").Value); strings.Contains(v, "trusted_recipients_only") {
		t.Fatalf("a held action ran: %s", v)
	}
	if _, err := run(t, append([]string{"tx", "accounts", "approve-action", "1", "--from", "yamada", "--node", url}, h...)...); err == nil || !strings.Contains(err.Error(), "accounts/113") {
		t.Fatalf("a viewer approved: %v", err)
	}
	tx("approve-action", "1", "--from", "tanaka")
	if a := q("action", "1", "--prove"); !strings.Contains(string(a.Value), "ACTION_STATUS_EXECUTED") || a.Proof == nil || !a.Proof.Exists {
		t.Fatalf("action: %s", a.Value)
	}
	if v := string(q("account", "company").Value); !strings.Contains(v, `"trusted_recipients_only":true`) {
		t.Fatalf("the approved action did not run: %s", v)
	}
	// Removing the policy needs two approvals too; sato withdraws it.
	tx("policy", "set", "--clear", "--from", "company")
	tx("cancel-action", "2", "--reason", "kept", "--from", "sato")
	if v := string(q("pending", "company").Value); !strings.Contains(v, "ACTION_STATUS_CANCELLED") {
		t.Fatalf("pending after cancel: %s", v)
	}
}
