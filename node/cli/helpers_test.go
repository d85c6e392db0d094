package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/cli"
	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/nodetest"
)

// startCLINode makes a single-validator chain the way a user would, through
// the CLI (init, keys add, genesis add-account), starts it in-process with
// test block times and a free API port, and waits for block 1. accounts
// are "genesis add-account" argument lists, the key name first. It returns
// the --home flag pair, the RPC URL and a client.
func startCLINode(t *testing.T, chainID string, keys []string, accounts [][]string) (h []string, url string, cl *client.Client) {
	t.Helper()
	home := t.TempDir()
	h = []string{"--home", home}
	t.Setenv(cli.EnvPassphrase, "correct horse battery staple")
	mustRun(t, append([]string{"init", chainID + "-node", "--chain-id", chainID}, h...)...)
	c, err := node.LoadConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.FastConfig(t, c)
	if err := node.WriteConfig(c); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		mustRun(t, append([]string{"keys", "add", k, "--light-kdf"}, h...)...)
	}
	for _, a := range accounts {
		mustRun(t, append(append([]string{"genesis", "add-account"}, a...), h...)...)
	}
	url, cl = runStart(t, home, 1, false)
	return h, url, cl
}

// runStart runs "jcreditd start" over home in the background until the
// test ends, and waits until the node has committed height. If a port in
// config.toml was taken after FastConfig found it free (by another process,
// before the node bound it), it writes fresh ones and starts again. With
// cleanStop, the test fails unless start returns nil when stopped. It
// returns the RPC URL and a client.
func runStart(t *testing.T, home string, height int64, cleanStop bool) (string, *client.Client) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		c, err := node.LoadConfig(home)
		if err != nil {
			t.Fatal(err)
		}
		url := node.RPCURL(c.RPC.ListenAddress)
		cl, err := client.New(url)
		if err != nil {
			t.Fatal(err)
		}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := runCtx(ctx, "start", "--api.laddr", "127.0.0.1:0", "--home", home)
			done <- err
		}()
		err = waitStarted(cl, height, done)
		if err == nil {
			t.Cleanup(func() {
				stop()
				select {
				case err := <-done:
					if cleanStop && err != nil {
						t.Errorf("start returned %v", err)
					}
				case <-time.After(30 * time.Second):
					t.Error("start did not return after cancel")
				}
			})
			return url, cl
		}
		stop()
		if !nodetest.AddrInUse(err) || attempt == nodetest.StartAttempts {
			t.Fatalf("start: %v", err)
		}
		t.Logf("start attempt %d: %v; retrying on fresh ports", attempt, err)
		nodetest.FreshPorts(t, c)
		if err := node.WriteConfig(c); err != nil {
			t.Fatal(err)
		}
	}
}

// waitStarted waits (up to 30 s) until the node behind cl has committed
// height, or start has returned (done) before that.
func waitStarted(cl *client.Client, height int64, done <-chan error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		// A short timeout per call: whoever holds a taken port may accept
		// and never answer, while start has already failed.
		callCtx, callCancel := context.WithTimeout(ctx, time.Second)
		st, err := cl.Status(callCtx)
		callCancel()
		if err == nil && st.SyncInfo.LatestBlockHeight >= height {
			return nil
		}
		select {
		case err := <-done:
			return fmt.Errorf("start returned before height %d: %w", height, err)
		case <-ctx.Done():
			return fmt.Errorf("node did not reach height %d: %v (last error %v)", height, ctx.Err(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// queryOut is a query command's -o json output: the answer (the bytes the
// node and the public API give, compacted) and, with --prove, the proof
// and height around it.
type queryOut struct {
	Height int64           `json:"height"`
	Value  json.RawMessage `json:"value"`
	Proof  *client.Verified
}

// queryJSON runs a query command with -o json.
func queryJSON(t *testing.T, args ...string) queryOut {
	t.Helper()
	raw := mustRun(t, append(args, "-o", "json")...)
	var out queryOut
	prove := false
	for _, a := range args {
		prove = prove || a == "--prove"
	}
	if prove {
		mustJSON(t, raw, &out)
	} else {
		out.Value = json.RawMessage(raw)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, out.Value); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, raw)
	}
	out.Value = compact.Bytes()
	return out
}

// httpGet fetches url and returns its body (an error for a status other
// than 200).
func httpGet(url string) ([]byte, error) {
	res, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %s", url, res.StatusCode, body)
	}
	return body, nil
}

// TestStartRetriesOnTakenPort occupies the RPC port a CLI home is
// configured with and checks that the test start moves the node to fresh
// ports, and that it commits blocks there.
func TestStartRetriesOnTakenPort(t *testing.T) {
	home := t.TempDir()
	h := []string{"--home", home}
	t.Setenv(cli.EnvPassphrase, "correct horse battery staple")
	mustRun(t, append([]string{"init", "taken-node", "--chain-id", "jcredit-cli-taken"}, h...)...)
	mustRun(t, append([]string{"keys", "add", "secretariat", "--light-kdf"}, h...)...)
	mustRun(t, append([]string{"genesis", "add-account", "secretariat", "--name", "Secretariat", "--kind", "corporation",
		"--country", "JP", "--roles", "secretariat"}, h...)...)
	c, err := node.LoadConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.FastConfig(t, c)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	c.RPC.ListenAddress = "tcp://" + taken.Addr().String()
	if err := node.WriteConfig(c); err != nil {
		t.Fatal(err)
	}

	url, cl := runStart(t, home, 2, true)

	if url == node.RPCURL(c.RPC.ListenAddress) {
		t.Fatalf("the node was started on the taken address %s", url)
	}
	after, err := node.LoadConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	if url != node.RPCURL(after.RPC.ListenAddress) {
		t.Fatalf("node RPC %s, config.toml %s", url, after.RPC.ListenAddress)
	}
	nodetest.WaitHeight(t, cl, 3)
}
