package cli_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/cli"
	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/nodetest"
)

// syncBuffer is a bytes.Buffer safe for the node's logging goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run executes one jcreditd command in-process and returns its stdout.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runCtx(context.Background(), args...)
}

func runCtx(ctx context.Context, args ...string) (string, error) {
	var out, errOut syncBuffer
	cmd := cli.NewRootCmd()
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(""))
	err := cmd.ExecuteContext(ctx)
	return out.String(), err
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := run(t, args...)
	if err != nil {
		t.Fatalf("jcreditd %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func mustJSON(t *testing.T, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
}

// TestWalkthrough is the README's walkthrough, command by command, in one
// process: init, keys, genesis account, start, a signed tx, a proven query,
// status, and a clean stop.
func TestWalkthrough(t *testing.T) {
	home := t.TempDir()
	h := []string{"--home", home}
	t.Setenv(cli.EnvPassphrase, "correct horse battery staple")

	mustRun(t, append([]string{"init", "walkthrough-node", "--chain-id", "jcredit-cli-test"}, h...)...)
	if _, err := run(t, append([]string{"init", "again", "--chain-id", "jcredit-cli-test"}, h...)...); err == nil {
		t.Fatal("a second init over the same home succeeded")
	}
	// Test ports and block times instead of the defaults.
	c, err := node.LoadConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.FastConfig(t, c)
	if err := node.WriteConfig(c); err != nil {
		t.Fatal(err)
	}

	var sec, alice struct {
		Name    string `json:"name"`
		Address string `json:"address"`
	}
	mustJSON(t, mustRun(t, append([]string{"keys", "add", "secretariat", "--light-kdf", "-o", "json"}, h...)...), &sec)
	mustJSON(t, mustRun(t, append([]string{"keys", "add", "alice", "--light-kdf", "-o", "json"}, h...)...), &alice)
	if sec.Name != "secretariat" || !strings.HasPrefix(alice.Address, "0x") {
		t.Fatalf("keys add: %+v %+v", sec, alice)
	}
	if _, err := run(t, append([]string{"keys", "add", "alice", "--light-kdf"}, h...)...); err == nil {
		t.Fatal("a second key named alice was accepted")
	}
	var list []struct{ Name string }
	mustJSON(t, mustRun(t, append([]string{"keys", "list", "-o", "json"}, h...)...), &list)
	if len(list) != 2 || list[0].Name != "alice" || list[1].Name != "secretariat" {
		t.Fatalf("keys list: %+v", list)
	}
	if got := strings.TrimSpace(mustRun(t, append([]string{"keys", "show", "alice", "--address"}, h...)...)); !strings.EqualFold(got, alice.Address) {
		t.Fatalf("keys show --address: %q, want %s", got, alice.Address)
	}

	out := mustRun(t, append([]string{"genesis", "add-account", "secretariat", "--name", "J-Credit System Secretariat",
		"--kind", "corporation", "--country", "JP", "--roles", "secretariat"}, h...)...)
	if !strings.Contains(out, "operates this node's validator") {
		t.Fatalf("the secretariat did not become the validator's operator:\n%s", out)
	}

	url, cl := runStart(t, home, 2, true) // at height 2 block 1 is committed by the app
	n := []string{"--node", url}

	var status struct {
		NodeInfo struct {
			Network string `json:"network"`
		} `json:"node_info"`
	}
	mustJSON(t, mustRun(t, append([]string{"status", "-o", "json"}, n...)...), &status)
	if status.NodeInfo.Network != "jcredit-cli-test" {
		t.Fatalf("status: chain %q", status.NodeInfo.Network)
	}

	// A signed tx from the CLI commits.
	var res client.Result
	mustJSON(t, mustRun(t, append(append([]string{"tx", "accounts", "open", "alice", "--name", "Alice Trading K.K.",
		"--kind", "corporation", "--country", "JP", "--roles", "holder", "--from", "secretariat", "-o", "json"}, h...), n...)...), &res)
	if res.Code != 0 || res.Height < 1 || len(res.Hash) != 64 {
		t.Fatalf("tx result %+v", res)
	}

	// Its result is queryable with a proof against header H+1.
	var q struct {
		Height int64 `json:"height"`
		Value  struct {
			Account struct {
				Address   string `json:"address"`
				LegalName string `json:"legal_name"`
			} `json:"account"`
		} `json:"value"`
		Proof *client.Verified `json:"proof"`
	}
	mustJSON(t, mustRun(t, append(append([]string{"q", "accounts", "account", "alice", "--prove", "-o", "json"}, h...), n...)...), &q)
	if q.Value.Account.LegalName != "Alice Trading K.K." || q.Proof == nil || !q.Proof.Exists || q.Proof.HeaderHeight != q.Height+1 {
		t.Fatalf("query: %+v", q)
	}
	text := mustRun(t, append(append([]string{"query", "accounts", "account", alice.Address, "--prove"}, h...), n...)...)
	if !strings.Contains(text, "proof verified against app hash") || !strings.Contains(text, "Alice Trading K.K.") {
		t.Fatalf("text query:\n%s", text)
	}

	mustRun(t, append([]string{"keys", "add", "zed", "--light-kdf"}, h...)...) // a key with no account
	t.Run("rejections exit non-zero with the reason", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			args []string
			want string
		}{
			{"no such key", []string{"tx", "accounts", "open", "0x00000000000000000000000000000000000000aa",
				"--name", "X", "--roles", "holder", "--from", "nobody"}, "no such key"},
			{"signer without an account", []string{"tx", "accounts", "open", "0x00000000000000000000000000000000000000aa",
				"--name", "X", "--roles", "holder", "--from", "zed"}, "only accounts the secretariat has opened can sign"},
			{"wrong chain id", []string{"tx", "accounts", "open", "alice", "--name", "X", "--roles", "holder",
				"--from", "secretariat", "--chain-id", "other-chain"}, "runs jcredit-cli-test"},
			{"already open", []string{"tx", "accounts", "open", "alice", "--name", "X", "--roles", "holder",
				"--from", "secretariat"}, "accounts/"},
			{"not the secretariat", []string{"tx", "accounts", "open", "0x00000000000000000000000000000000000000aa",
				"--name", "X", "--roles", "holder", "--from", "alice"}, "secretariat role"},
			{"unknown role", []string{"tx", "accounts", "open", "alice", "--name", "X", "--roles", "king",
				"--from", "secretariat"}, "is not a role"},
			{"bad output", []string{"status", "-o", "yaml"}, "use text or json"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := run(t, append(append(tc.args, h...), n...)...)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want one mentioning %q", err, tc.want)
				}
			})
		}
	})

	t.Run("several transactions queued with --no-wait and --nonce", func(t *testing.T) {
		// The next nonce: the transactions above that failed in a block
		// ("already open") spent theirs.
		next, err := cl.Nonce(context.Background(), common.HexToAddress(sec.Address))
		if err != nil {
			t.Fatal(err)
		}
		for i, who := range []string{"0x00000000000000000000000000000000000000d1", "0x00000000000000000000000000000000000000d2"} {
			var r client.Result
			mustJSON(t, mustRun(t, append(append([]string{"tx", "accounts", "open", who, "--name", "Queued", "--roles", "holder",
				"--from", "secretariat", "--no-wait", "--nonce", fmt.Sprint(next + uint64(i)), "-o", "json"}, h...), n...)...), &r)
			if r.Code != 0 || r.Height != 0 {
				t.Fatalf("--no-wait result %+v", r)
			}
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, err := cl.Account(context.Background(), common.HexToAddress("0x00000000000000000000000000000000000000d2"))
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the second queued transaction never committed: %v", err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})

	t.Run("keys import", func(t *testing.T) {
		key, _ := crypto.GenerateKey()
		addr := crypto.PubkeyToAddress(key.PublicKey).Hex()
		out := mustRun(t, append([]string{"keys", "import", "bob", "0x" + hex.EncodeToString(crypto.FromECDSA(key)), "--light-kdf", "-o", "json"}, h...)...)
		if !strings.Contains(strings.ToLower(out), strings.ToLower(addr)) {
			t.Fatalf("import hex: %s", out)
		}
		// An existing keystore file, imported with its own passphrase.
		ks := keystore.NewKeyStore(t.TempDir(), keystore.LightScryptN, keystore.LightScryptP)
		carol, err := ks.NewAccount("carol's pass")
		if err != nil {
			t.Fatal(err)
		}
		pf := filepath.Join(t.TempDir(), "pass")
		if err := os.WriteFile(pf, []byte("carol's pass\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		out = mustRun(t, append([]string{"keys", "import", "carol", carol.URL.Path, "--passphrase-file", pf, "-o", "json"}, h...)...)
		if !strings.Contains(strings.ToLower(out), strings.ToLower(carol.Address.Hex())) {
			t.Fatalf("import keystore: %s", out)
		}
		if _, err := run(t, append([]string{"keys", "import", "carol2", carol.URL.Path}, h...)...); err == nil {
			t.Fatal("a keystore file imported with the wrong passphrase")
		}
		// Any go-ethereum keystore directory can be used in place, keys
		// found by address.
		out = mustRun(t, "keys", "show", carol.Address.Hex(), "--keystore", filepath.Dir(carol.URL.Path), "--address")
		if !strings.EqualFold(strings.TrimSpace(out), carol.Address.Hex()) {
			t.Fatalf("keys show --keystore: %q", out)
		}
	})
}
