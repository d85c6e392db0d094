package node_test

import (
	"testing"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node"
)

// TestInitWritesTheAppsLimits (issue 10 finding 6 and the work meter): the
// home `jcreditd init` writes has a mempool that refuses what the app
// refuses (it admitted 1 MiB transactions while the app's limit is 64 KiB)
// and a genesis whose block.max_gas is the app's block gas limit.
func TestInitWritesTheAppsLimits(t *testing.T) {
	home := t.TempDir()
	if _, err := node.InitHome(home, "n0", "jcredit-limits-1"); err != nil {
		t.Fatal(err)
	}
	c, err := node.LoadConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	if c.Mempool.MaxTxBytes != tx.MaxTxBytes {
		t.Fatalf("mempool.max_tx_bytes = %d, the app's limit is %d", c.Mempool.MaxTxBytes, tx.MaxTxBytes)
	}
	doc, err := node.ReadGenesis(home)
	if err != nil {
		t.Fatal(err)
	}
	if doc.ConsensusParams.Block.MaxGas != app.DefaultBlockMaxGas {
		t.Fatalf("genesis block.max_gas = %d, want %d", doc.ConsensusParams.Block.MaxGas, app.DefaultBlockMaxGas)
	}
}
