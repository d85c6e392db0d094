package app_test

// Issue 10 finding 6: CheckTx without panic recovery; results whose
// codespace is not in what the header commits to; error messages that
// repeat their prefix.

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmttypes "github.com/cometbft/cometbft/types"
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/app/tx"
	txv1 "github.com/jcredit/jcredit/proto/jcredit/tx/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
)

// panickyAuth is the accounts keeper with a bug: looking up a nonce
// panics.
type panickyAuth struct{ *accounts.Keeper }

func (panickyAuth) NextNonce(module.Context, common.Address) (uint64, uint64, error) {
	panic("index out of range [3] with length 3")
}

func (panickyAuth) CheckSigner(module.Context, common.Address, []proto.Message) (uint64, uint64, error, error) {
	panic("index out of range [3] with length 3")
}

// TestCheckTxRecoversFromPanic: a bug in a check makes CheckTx refuse the
// transaction with an internal error instead of killing the node (CometBFT's
// local client has no recover); FinalizeBlock refuses it alike.
func TestCheckTxRecoversFromPanic(t *testing.T) {
	tree, err := store.NewMemTree()
	if err != nil {
		t.Fatal(err)
	}
	acc := accounts.NewKeeper()
	a, err := app.New(tree, panickyAuth{acc}, acc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	gen, _ := json.Marshal(app.GenesisState{"accounts": apptest.AccountsGenesis(apptest.DefaultAccounts())})
	if _, err := a.InitChain(ctx, &abci.InitChainRequest{ChainId: apptest.ChainID, Time: apptest.GenesisTime, InitialHeight: 1, AppStateBytes: gen}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.FinalizeBlock(ctx, &abci.FinalizeBlockRequest{Height: 1, Time: apptest.GenesisTime}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Commit(ctx, &abci.CommitRequest{}); err != nil {
		t.Fatal(err)
	}
	body, _ := tx.Build(apptest.ChainID, 0, "", openMsg("x"))
	raw, _ := tx.Sign(body, apptest.Key("secretariat"))

	var res *abci.CheckTxResponse
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("CheckTx panicked: %v", r)
			}
		}()
		res, err = a.CheckTx(ctx, &abci.CheckTxRequest{Tx: raw, Type: abci.CHECK_TX_TYPE_CHECK})
	}()
	if err != nil || res.Codespace != module.ErrInternal.Codespace || res.Code != module.ErrInternal.Code || !strings.Contains(res.Log, "index out of range") {
		t.Fatalf("CheckTx = %v %+v", err, res)
	}
	fin, err := a.FinalizeBlock(ctx, &abci.FinalizeBlockRequest{Height: 2, Time: apptest.GenesisTime, Txs: [][]byte{raw}})
	if err != nil || fin.TxResults[0].Code != module.ErrInternal.Code {
		t.Fatalf("FinalizeBlock = %v %+v", err, fin)
	}
}

// TestResultsCarryTheirCodespace: code 8 is a stale nonce in "tx" and
// something else in every module; a failed result carries its codespace
// in data, which (unlike the codespace field) CometBFT hashes into the
// next header's last_results_hash, so a proven result says who refused.
func TestResultsCarryTheirCodespace(t *testing.T) {
	c := creditChain(t, 1, 100)
	results := c.Block(
		c.Sign("s0", 0, transferMsg("bob", 1_000)), // credits: insufficient
		c.Sign("s0", 0, transferMsg("bob", 1)),     // tx: stale nonce
		c.Sign("s1", 0, transferMsg("bob", 1)),     // accounts: unknown signer
		c.Sign("s0", 1, transferMsg("bob", 1)),     // ok
	)
	want := []string{credits.ModuleName, app.Codespace, accounts.ModuleName, ""}
	for i, r := range results {
		var d txv1.ResultData
		if err := proto.Unmarshal(r.Data, &d); err != nil {
			t.Fatalf("result %d data: %v", i, err)
		}
		if d.Codespace != want[i] || r.Codespace != want[i] {
			t.Fatalf("result %d (code %d %q): data says codespace %q, field %q; want %q", i, r.Code, r.Log, d.Codespace, r.Codespace, want[i])
		}
	}
	// Same code, another codespace: another results hash.
	a := &abci.ExecTxResult{Code: 8, Codespace: "tx"}
	b := &abci.ExecTxResult{Code: 8, Codespace: "credits"}
	if string(cmttypes.NewResults([]*abci.ExecTxResult{a}).Hash()) != string(cmttypes.NewResults([]*abci.ExecTxResult{b}).Hash()) {
		t.Fatal("CometBFT now hashes the codespace field; the data copy may be redundant")
	}
	da, db := withData(a), withData(b)
	if string(cmttypes.NewResults([]*abci.ExecTxResult{da}).Hash()) == string(cmttypes.NewResults([]*abci.ExecTxResult{db}).Hash()) {
		t.Fatal("the codespace in data does not reach the results hash")
	}
}

func withData(r *abci.ExecTxResult) *abci.ExecTxResult {
	out := *r
	out.Data, _ = proto.Marshal(&txv1.ResultData{Codespace: r.Codespace})
	return &out
}

// TestErrorsSayTheirDescriptionOnce: "cannot decode transaction: cannot
// decode transaction: ..." used to be the log of a garbled transaction.
func TestErrorsSayTheirDescriptionOnce(t *testing.T) {
	c := apptest.New(t, nil)
	good := c.Tx("secretariat", openMsg("a"))
	var env txv1.Tx
	proto.Unmarshal(good, &env)
	for name, raw := range map[string][]byte{
		"garbage":       []byte("not a transaction"),
		"empty body":    resign(t, nil, env.Signature),
		"non-canonical": append(good, 0x48, 0x01),
		"oversized":     make([]byte, tx.MaxTxBytes+1),
		"short sig":     resign(t, env.Body, env.Signature[:10]),
		"high S":        resign(t, env.Body, highS(env.Signature)),
	} {
		res := checkTx(t, c, raw)
		if res.Code == 0 {
			t.Fatalf("%s: accepted", name)
		}
		for _, e := range app.AllErrors() {
			if n := strings.Count(res.Log, e.Desc); n > 1 {
				t.Fatalf("%s: %q says %q %d times", name, res.Log, e.Desc, n)
			}
		}
		if strings.Count(res.Log, "cannot decode") > 1 || strings.Count(res.Log, "signature") > 2 {
			t.Fatalf("%s: %q repeats itself", name, res.Log)
		}
	}
}
