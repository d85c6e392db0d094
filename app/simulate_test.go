package app_test

// The dry run (simulate query) runs a transaction as a block would: the
// same admission, the gas meter, the gas it reports is the gas the block
// then uses, so that `--gas auto` can set a transaction's limit from it.

import (
	"encoding/json"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

// simulate runs the simulate query at the next block's time.
func simulate(t *testing.T, c *apptest.Chain, req app.SimulateRequest) app.SimulateAnswer {
	t.Helper()
	req.Time = c.Time.Add(60e9)
	data, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Query(app.SimulatePath, data, false)
	if res.Code != 0 {
		t.Fatalf("simulate: %s/%d %s", res.Codespace, res.Code, res.Log)
	}
	var ans app.SimulateAnswer
	if err := json.Unmarshal(res.Value, &ans); err != nil {
		t.Fatal(err)
	}
	return ans
}

// unsignedReq is a dry run of an unsigned body from name.
func unsignedReq(t *testing.T, name string, b tx.Body, msgs ...proto.Message) app.SimulateRequest {
	t.Helper()
	body, err := b.Build(msgs...)
	if err != nil {
		t.Fatal(err)
	}
	return app.SimulateRequest{Body: body, Signer: apptest.Addr(name).Hex()}
}

func wantRefused(t *testing.T, what string, ans app.SimulateAnswer, want *module.Error) {
	t.Helper()
	if ans.OK || ans.Codespace != want.Codespace || ans.Code != want.Code {
		t.Fatalf("%s: ok=%v %s/%d %q, want %s/%d", what, ans.OK, ans.Codespace, ans.Code, ans.Log, want.Codespace, want.Code)
	}
}

// TestDryRunGasIsTheBlocksGas: a dry run reports the gas its transaction
// then uses in a block, unsigned or signed.
func TestDryRunGasIsTheBlocksGas(t *testing.T) {
	c := creditChain(t, 0, 0).ReplayAtEnd()
	move := &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{serial(11), serial(13)}}
	body := tx.Body{ChainID: apptest.ChainID, Nonce: c.Nonce("alice")}
	dry := simulate(t, c, unsignedReq(t, "alice", body, move))
	if !dry.OK || dry.GasUsed == 0 || dry.GasWanted != app.DefaultTxGas {
		t.Fatalf("dry run: %+v", dry)
	}
	raw := c.Tx("alice", move)
	signed := simulate(t, c, app.SimulateRequest{Tx: raw})
	if !signed.OK || signed.GasUsed != dry.GasUsed {
		t.Fatalf("signed dry run used %d gas, unsigned %d", signed.GasUsed, dry.GasUsed)
	}
	res := c.Block(raw)[0]
	if res.Code != 0 || uint64(res.GasUsed) != dry.GasUsed || uint64(res.GasWanted) != dry.GasWanted {
		t.Fatalf("in the block: code %d gas %d of %d; the dry run said %d of %d", res.Code, res.GasUsed, res.GasWanted, dry.GasUsed, dry.GasWanted)
	}
}

// TestDryRunSetsTheGasLimit: a transaction that needs more than the
// default limit fails its dry run out of gas and says how much it needs;
// dry-run at the largest limit, then signed with 1.3 times what it used
// (what `--gas auto` does), it runs.
func TestDryRunSetsTheGasLimit(t *testing.T) {
	c := creditChain(t, 0, 0).ReplayAtEnd()
	msgs := serialTransferMsgs(1, 4)
	ans := simulate(t, c, unsignedReq(t, "alice", tx.Body{ChainID: apptest.ChainID}, msgs...))
	wantRefused(t, "at the default limit", ans, app.ErrOutOfGas)
	if ans.GasUsed <= app.DefaultTxGas {
		t.Fatalf("the dry run used %d gas, not more than the default %d", ans.GasUsed, app.DefaultTxGas)
	}
	ans = simulate(t, c, unsignedReq(t, "alice", tx.Body{ChainID: apptest.ChainID, GasLimit: app.MaxTxGas}, msgs...))
	if !ans.OK || ans.GasWanted != app.MaxTxGas {
		t.Fatalf("at the largest limit: %+v", ans)
	}
	gas := ans.GasUsed * 13 / 10
	res := c.Block(signWith(t, c, "alice", gas, msgs...))[0]
	if res.Code != 0 || res.GasUsed > int64(gas) {
		t.Fatalf("with gas %d from the dry run: %s/%d %s (used %d)", gas, res.Codespace, res.Code, res.Log, res.GasUsed)
	}
	if res.GasUsed < int64(ans.GasUsed)*9/10 {
		t.Fatalf("the block used %d gas, the dry run %d", res.GasUsed, ans.GasUsed)
	}
}

// TestDryRunAdmitsAsABlockDoes: an unsigned body skips the signature, not
// the rules: chain id, timeout, gas limit, the key, the account's status.
// A signed transaction with a spent nonce is refused too. Nothing is
// written.
func TestDryRunAdmitsAsABlockDoes(t *testing.T) {
	c := creditChain(t, 0, 0).ReplayAtEnd()
	move := &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 1}
	ok := tx.Body{ChainID: apptest.ChainID}
	if ans := simulate(t, c, unsignedReq(t, "alice", ok, move)); !ans.OK {
		t.Fatalf("a good dry run: %+v", ans)
	}
	wantRefused(t, "another chain", simulate(t, c, unsignedReq(t, "alice", tx.Body{ChainID: "other"}, move)), app.ErrWrongChainID)
	wantRefused(t, "timed out", simulate(t, c, unsignedReq(t, "alice", tx.Body{ChainID: apptest.ChainID, TimeoutHeight: uint64(c.Height)}, move)), app.ErrTimedOut)
	wantRefused(t, "gas limit too high", simulate(t, c, unsignedReq(t, "alice", tx.Body{ChainID: apptest.ChainID, GasLimit: app.MaxTxGas + 1}, move)), app.ErrGasLimit)
	wantRefused(t, "gas limit too low", simulate(t, c, unsignedReq(t, "alice", tx.Body{ChainID: apptest.ChainID, GasLimit: 10}, move)), app.ErrOutOfGas)
	wantRefused(t, "no account", simulate(t, c, unsignedReq(t, "stranger", ok, move)), accounts.ErrUnknownSigner)

	spent := c.Tx("alice", move)
	c.Block(spent)
	wantRefused(t, "a spent nonce", simulate(t, c, app.SimulateRequest{Tx: spent}), app.ErrStaleNonce)

	c.MustExec("secretariat", suspend("alice"))
	state := c.State()
	wantRefused(t, "a suspended account", simulate(t, c, unsignedReq(t, "alice", ok, move)), accounts.ErrAccountInactive)
	c.Block()
	if diff := state.Diff(c.State()); len(diff) != 0 {
		t.Fatalf("dry runs changed %q", diff)
	}
}
