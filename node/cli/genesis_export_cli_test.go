package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cometbft/cometbft/types"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/node/nodetest"
)

// TestGenesisExportCommand: `jcreditd genesis export` refuses a running
// node's home, then writes a stopped node's state as a genesis.json that
// CometBFT reads, starting at the next height; stdout and --out give the
// same bytes.
func TestGenesisExportCommand(t *testing.T) {
	home := nodetest.NewHome(t, apptest.DefaultAccounts())
	n := nodetest.Start(t, home)
	if _, err := run(t, "genesis", "export", "--home", home); err == nil || !strings.Contains(err.Error(), "stop the node") {
		t.Fatalf("export of a running node: %v, want a refusal naming the lock", err)
	}
	if err := n.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, "genesis", "export", "--home", home, "--height", "100000"); err == nil || !strings.Contains(err.Error(), "not committed") {
		t.Fatalf("export above the latest height: %v", err)
	}
	out := filepath.Join(t.TempDir(), "genesis.json")
	mustRun(t, "genesis", "export", "--home", home, "--height", "1", "--out", out)
	doc, err := types.GenesisDocFromFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if doc.InitialHeight != 2 || doc.ChainID != nodetest.ChainID || len(doc.Validators) != 1 {
		t.Fatalf("exported genesis: initial height %d, chain %q, %d validators", doc.InitialHeight, doc.ChainID, len(doc.Validators))
	}
	stdout := mustRun(t, "genesis", "export", "--home", home, "--height", "1")
	file, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(file) {
		t.Fatal("stdout and --out differ")
	}
}
