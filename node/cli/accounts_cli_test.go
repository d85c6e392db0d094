package cli_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/privval"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/cli"
	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/nodetest"
)

// TestAccountsCommands drives x/accounts' commands against one in-process
// node: roles, suspension, key rotation, and a validator proposal (one
// genesis ministry, so its quorum is 1 and the proposal applies at once).
func TestAccountsCommands(t *testing.T) {
	home := t.TempDir()
	h := []string{"--home", home}
	t.Setenv(cli.EnvPassphrase, "correct horse battery staple")
	mustRun(t, append([]string{"init", "accounts-node", "--chain-id", "jcredit-cli-accounts"}, h...)...)
	c, err := node.LoadConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.FastConfig(t, c)
	if err := node.WriteConfig(c); err != nil {
		t.Fatal(err)
	}
	url := node.RPCURL(c.RPC.ListenAddress)
	for _, k := range []string{"secretariat", "meti", "alice", "alice2"} {
		mustRun(t, append([]string{"keys", "add", k, "--light-kdf"}, h...)...)
	}
	mustRun(t, append([]string{"genesis", "add-account", "secretariat", "--name", "Secretariat", "--roles", "secretariat"}, h...)...)
	mustRun(t, append([]string{"genesis", "add-account", "meti", "--name", "METI", "--kind", "government", "--roles", "ministry"}, h...)...)

	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := runCtx(ctx, append([]string{"start", "--api.laddr", "127.0.0.1:0"}, h...)...)
		done <- err
	}()
	t.Cleanup(func() {
		stop()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("start did not return after cancel")
		}
	})
	cl, err := client.New(url)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.WaitHeight(t, cl, 1)

	tx := func(args ...string) string {
		t.Helper()
		return mustRun(t, append(append(append([]string{"tx", "accounts"}, args...), h...), "--node", url)...)
	}
	type queryOut struct {
		Height int64           `json:"height"`
		Value  json.RawMessage `json:"value"`
		Proof  *client.Verified
	}
	q := func(args ...string) queryOut {
		t.Helper()
		var out queryOut
		mustJSON(t, mustRun(t, append(append(append([]string{"q", "accounts"}, args...), h...), "--node", url, "-o", "json")...), &out)
		var compact bytes.Buffer
		if err := json.Compact(&compact, out.Value); err != nil {
			t.Fatal(err)
		}
		out.Value = compact.Bytes()
		return out
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
	if !strings.Contains(moved, "Alice K.K.") || !strings.Contains(moved, "ROLE_PROVIDER") || !strings.Contains(moved, "previousAddresses") {
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
	pv := privval.LoadFilePVEmptyState(filepath.Join(home, "config", "priv_validator_key.json"), "")
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
	if v := string(q("params").Value); !strings.Contains(v, `"ministryQuorum":1`) {
		t.Fatalf("params: %s", v)
	}
	if v := string(q("proposals").Value); !strings.Contains(v, `"proposals":[]`) {
		t.Fatalf("pending: %s", v)
	}
}
