package cli_test

import (
	"context"
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
