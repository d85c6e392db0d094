package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
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
	url = node.RPCURL(c.RPC.ListenAddress)
	for _, k := range keys {
		mustRun(t, append([]string{"keys", "add", k, "--light-kdf"}, h...)...)
	}
	for _, a := range accounts {
		mustRun(t, append(append([]string{"genesis", "add-account"}, a...), h...)...)
	}

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
	cl, err = client.New(url)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.WaitHeight(t, cl, 1)
	return h, url, cl
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
