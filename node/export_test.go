package node_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/nodetest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

// TestGenesisExportStartsANewChain runs a real node, makes transactions,
// refuses to export while the node runs, stops it, exports its state and
// starts a new chain (same validator key, fresh data) from the export: the
// new chain starts at H+1 with every key and value of state H, answers the
// same records, and carries on (the accounts' nonces continue).
func TestGenesisExportStartsANewChain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	home := nodetest.NewHome(t, apptest.DefaultAccounts())
	n := nodetest.Start(t, home)
	c := nodetest.Client(t, n)
	send := func(signer string, nonce uint64, msgs ...proto.Message) int64 {
		t.Helper()
		res, err := c.Broadcast(ctx, signed(t, signer, nonce, msgs...))
		if err != nil || !res.OK() {
			t.Fatalf("%s's transaction: %v %+v", signer, err, res)
		}
		return res.Height
	}
	send("secretariat", 0, openAccount("alice"), openAccount("bob"))
	send("meti", 0, &projectsv1.MsgAdoptMethodology{Code: "EN-S-001", Title: "Boiler replacement", Category: creditsv1.Category_CATEGORY_ENERGY_SAVING})
	send("alice", 0, &accountsv1.MsgRotateKey{NewAddress: nodetest.Addr("alice-2").Hex(), NewKeySignature: rotationSig(t)})
	send("meti", 1, &accountsv1.MsgProposeMinistryRole{Change: &accountsv1.MinistryRoleChange{Address: nodetest.Addr("bob").Hex(), Grant: true}})
	last := send("secretariat", 1, &accountsv1.MsgSuspendAccount{Address: nodetest.Addr("bob").Hex(), Reason: "identity check lapsed"})
	nodetest.WaitHeight(t, c, last+1)
	before, err := c.Query(ctx, "/accounts/Account", []byte(`{"account":"`+nodetest.Addr("alice-2").Hex()+`"}`), 0, false)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := node.ExportGenesis(home, 0); err == nil || !strings.Contains(err.Error(), "stop the node") {
		t.Fatalf("export while the node runs: %v, want a refusal saying to stop the node", err)
	}
	if err := n.Stop(); err != nil {
		t.Fatal(err)
	}

	old, err := openReadOnly(home)
	if err != nil {
		t.Fatal(err)
	}
	h := old.LastHeight()
	old.Close() // the export opens the state itself
	if _, err := node.ExportGenesis(home, h+1); err == nil || !strings.Contains(err.Error(), "not committed") {
		t.Fatalf("export above the latest height: %v", err)
	}
	e, err := node.ExportGenesis(home, h)
	if err != nil {
		t.Fatal(err)
	}
	again, err := node.ExportGenesis(home, h)
	if err != nil {
		t.Fatal(err)
	}
	bz1, _ := cmtjson.Marshal(e.Doc)
	bz2, _ := cmtjson.Marshal(again.Doc)
	if !bytes.Equal(bz1, bz2) {
		t.Fatal("two exports of the same height differ")
	}
	if e.Doc.InitialHeight != h+1 || e.Doc.ChainID != nodetest.ChainID || len(e.Doc.Validators) != 1 || e.Doc.ConsensusParams.Block.MaxGas != app.DefaultBlockMaxGas {
		t.Fatalf("exported genesis: initial height %d chain %q validators %d max_gas %d", e.Doc.InitialHeight, e.Doc.ChainID, len(e.Doc.Validators), e.Doc.ConsensusParams.Block.MaxGas)
	}

	// The new chain: the same validator key and config, fresh data.
	home2 := newHomeFrom(t, home)
	if err := node.WriteGenesis(home2, e.Doc); err != nil {
		t.Fatal(err)
	}
	n2 := nodetest.Start(t, home2)
	c2 := nodetest.Client(t, n2)
	nodetest.WaitHeight(t, c2, h+2)
	fresh, err := n2.App.SnapshotAt(h + 1)
	if err != nil {
		t.Fatal(err)
	}
	old, err = openReadOnly(home)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	exported, err := old.SnapshotAt(h)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffStores(exported, fresh); d != "" {
		t.Fatalf("the new chain's first state differs from the exported one:\n%s", d)
	}
	after, err := c2.Query(ctx, "/accounts/Account", []byte(`{"account":"`+nodetest.Addr("alice-2").Hex()+`"}`), h+1, false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Value, after.Value) {
		t.Fatalf("alice's account on the new chain:\n%s\nwas\n%s", after.Value, before.Value)
	}
	// Nonces carry over: the secretariat's next transaction takes nonce 2.
	res, err := c2.Broadcast(ctx, signed(t, "secretariat", 2, openAccount("carol")))
	if err != nil || !res.OK() || res.Height <= h+1 {
		t.Fatalf("the new chain's first transaction: %v %+v", err, res)
	}
}

// rotationSig is alice-2's consent to become alice's key.
func rotationSig(t *testing.T) []byte {
	t.Helper()
	sig, err := accounts.SignRotation(nodetest.ChainID, nodetest.Addr("alice"), apptest.Key("alice-2"))
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// openReadOnly opens a stopped node's app state for reading.
func openReadOnly(home string) (*app.App, error) {
	tree, err := store.OpenDirReadOnly("state", node.AppDataDir(home))
	if err != nil {
		return nil, err
	}
	a, err := app.NewWithTree(tree)
	if err != nil {
		tree.Close()
	}
	return a, err
}

// newHomeFrom copies home's config (keys, config.toml) into a new home with
// fresh data and new ports.
func newHomeFrom(t *testing.T, home string) string {
	t.Helper()
	home2 := t.TempDir()
	for _, f := range []string{"config/config.toml", "config/node_key.json", "config/priv_validator_key.json"} {
		bz, err := os.ReadFile(filepath.Join(home, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(home2, f)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home2, f), bz, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(home2, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home2, "data", "priv_validator_state.json"), []byte(`{"height":"0","round":0,"step":0}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := node.LoadConfig(home2)
	if err != nil {
		t.Fatal(err)
	}
	nodetest.FastConfig(t, c)
	if err := node.WriteConfig(c); err != nil {
		t.Fatal(err)
	}
	return home2
}

// diffStores describes the keys whose values differ between two states.
func diffStores(a, b *store.Snapshot) string {
	read := func(s *store.Snapshot) map[string]string {
		out := map[string]string{}
		it := s.Iterator(nil, nil)
		defer it.Close()
		for ; it.Valid(); it.Next() {
			out[string(it.Key())] = string(it.Value())
		}
		return out
	}
	ma, mb := read(a), read(b)
	var d []string
	for k, v := range ma {
		if w, ok := mb[k]; !ok || w != v {
			d = append(d, "  "+strings.ToValidUTF8(k, "?")+" differs or is missing")
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			d = append(d, "  "+strings.ToValidUTF8(k, "?")+" is only in the new chain")
		}
	}
	return strings.Join(d, "\n")
}
