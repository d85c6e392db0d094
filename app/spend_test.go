package app_test

// Issue 10 finding 1: a signed transaction is spent once. Each test here
// failed on the code before the rule (the nonce advanced only when every
// message succeeded).

import (
	"context"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
)

func transferMsg(to string, qty uint64) *creditsv1.MsgTransfer {
	return &creditsv1.MsgTransfer{Recipient: apptest.Addr(to).Hex(), Quantity: qty}
}

// activeOf is how many active credits name holds (the holdings query,
// page by page).
func activeOf(t *testing.T, c *apptest.Chain, name string) uint64 {
	t.Helper()
	req := &creditsv1.QueryHoldingsRequest{Account: apptest.Addr(name).Hex(), Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE,
		Page: &queryv1.PageRequest{Limit: module.MaxPageLimit}}
	var active uint64
	for {
		ans := &creditsv1.QueryHoldingsResponse{}
		if err := c.Read("/credits/Holdings", req, ans); err != nil {
			t.Fatal(err)
		}
		for _, h := range ans.Holdings {
			active += h.Quantity
		}
		if ans.Page.GetNextCursor() == "" {
			return active
		}
		req.Page.Cursor = ans.Page.NextCursor
	}
}

func checkTx(t *testing.T, c *apptest.Chain, raw []byte) *abci.CheckTxResponse {
	t.Helper()
	res, err := c.App.CheckTx(context.Background(), &abci.CheckTxRequest{Tx: raw, Type: abci.CHECK_TX_TYPE_CHECK})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// wantResult checks a transaction result's codespace and code.
func wantResult(t *testing.T, what string, res *abci.ExecTxResult, want *module.Error) {
	t.Helper()
	if res.Codespace != want.Codespace || res.Code != want.Code {
		t.Fatalf("%s = %s/%d %q, want %s/%d (%s)", what, res.Codespace, res.Code, res.Log, want.Codespace, want.Code, want.Desc)
	}
}

func suspend(name string) *accountsv1.MsgSuspendAccount {
	return &accountsv1.MsgSuspendAccount{Address: apptest.Addr(name).Hex(), Reason: "audit"}
}

func reactivate(name string) *accountsv1.MsgReactivateAccount {
	return &accountsv1.MsgReactivateAccount{Address: apptest.Addr(name).Hex(), Reason: "audit done"}
}

// TestFailedTransferCannotRunAfterTopUp: a holder's transfer of 150,003
// credits, refused while she held 100,003, does not execute when the same
// bytes come back after she was topped up (it used to).
func TestFailedTransferCannotRunAfterTopUp(t *testing.T) {
	c := creditChain(t, 1, 100_003)
	raw := c.Tx("s0", transferMsg("bob", 150_003))
	res := c.Block(raw)[0]
	wantResult(t, "the first attempt", res, credits.ErrInsufficient)

	c.MustExec("alice", transferMsg("s0", 50_000))
	before := c.State()
	if r := checkTx(t, c, raw); r.Code != app.ErrStaleNonce.Code {
		t.Fatalf("CheckTx of the replay = %s/%d %q, want stale nonce", r.Codespace, r.Code, r.Log)
	}
	res = c.Block(raw)[0]
	wantResult(t, "the replay", res, app.ErrStaleNonce)
	if diff := before.Diff(c.State()); len(diff) != 0 {
		t.Fatalf("the replay changed %q", diff)
	}
	if got := activeOf(t, c, "s0"); got != 150_003 {
		t.Fatalf("s0 holds %d, want 150003 (nothing moved)", got)
	}
	c.ReplayAll()
}

// TestFutureNonceRunsOnceAfterTheGap: a transaction refused for a nonce
// ahead of the key's is not spent (it never ran); once the gap is filled,
// even by a transaction that fails, it runs, once. A timeout_height bounds
// how long such a transaction stays valid.
func TestFutureNonceRunsOnceAfterTheGap(t *testing.T) {
	c := creditChain(t, 1, 100)
	n := c.Nonce("s0")
	ahead := c.Sign("s0", n+1, transferMsg("bob", 10))
	before := c.State()
	res := c.Block(ahead)[0]
	wantResult(t, "the early attempt", res, app.ErrFutureNonce)
	if diff := before.Diff(c.State()); len(diff) != 0 {
		t.Fatalf("a transaction refused for its nonce changed %q", diff)
	}

	// The gap is filled by a transaction that fails: its nonce is spent.
	res = c.Block(c.Sign("s0", n, transferMsg("bob", 1_000)))[0]
	wantResult(t, "the gap", res, credits.ErrInsufficient)
	if r := checkTx(t, c, ahead); r.Code != 0 {
		t.Fatalf("CheckTx of the now-next transaction: %s", r.Log)
	}
	if res = c.Block(ahead)[0]; res.Code != 0 {
		t.Fatalf("the transaction did not run once its nonce came: %s", res.Log)
	}
	if got := activeOf(t, c, "bob"); got != 10 {
		t.Fatalf("bob holds %d, want 10", got)
	}
	res = c.Block(ahead)[0]
	wantResult(t, "running it twice", res, app.ErrStaleNonce)

	// With a timeout_height the signer bounds its life: after that height
	// it is void, and spends nothing.
	n = c.Nonce("s0")
	body, err := tx.Body{ChainID: apptest.ChainID, Nonce: n + 1, TimeoutHeight: uint64(c.Height + 2)}.Build(transferMsg("bob", 5))
	if err != nil {
		t.Fatal(err)
	}
	bounded, err := tx.Sign(body, apptest.Key("s0"))
	if err != nil {
		t.Fatal(err)
	}
	res = c.Block(bounded)[0] // height+1: nonce n+1 is ahead
	wantResult(t, "the bounded transaction early", res, app.ErrFutureNonce)
	c.Block()                               // height+2
	c.MustExec("s0", transferMsg("bob", 1)) // height+3: nonce n, the gap is filled
	before = c.State()
	res = c.Block(bounded)[0]
	wantResult(t, "the bounded transaction after its timeout", res, app.ErrTimedOut)
	if diff := before.Diff(c.State()); len(diff) != 0 {
		t.Fatalf("a timed-out transaction changed %q", diff)
	}
	c.ReplayAll()
}

// TestRebroadcastCannotBlockItsSigner: an outsider who rebroadcasts a
// victim's failed transaction every block used to take the victim's nonce
// in every mempool (the transaction failed again, so the nonce never
// moved), and the victim's next valid transactions were refused ("nonce
// already used"). Now the failed transaction spent its nonce: the
// rebroadcast is refused at the door, and even if a proposer includes it,
// the victim's transactions run.
func TestRebroadcastCannotBlockItsSigner(t *testing.T) {
	c := creditChain(t, 1, 100)
	victimFailed := c.Tx("s0", transferMsg("bob", 1_000))
	if res := c.Block(victimFailed)[0]; res.Code == 0 {
		t.Fatal("the victim's first transaction should fail")
	}
	for i := 0; i < 11; i++ {
		if r := checkTx(t, c, victimFailed); r.Code != app.ErrStaleNonce.Code {
			t.Fatalf("block %d: the rebroadcast passed CheckTx (%s/%d %q)", i, r.Codespace, r.Code, r.Log)
		}
		mine := c.Tx("s0", transferMsg("bob", 1))
		if r := checkTx(t, c, mine); r.Code != 0 {
			t.Fatalf("block %d: the victim's transaction was refused by CheckTx: %s", i, r.Log)
		}
		// A hostile proposer puts the rebroadcast first.
		res := c.Block(victimFailed, mine)
		if res[0].Code != app.ErrStaleNonce.Code || res[1].Code != 0 {
			t.Fatalf("block %d: rebroadcast %d %q, victim %d %q", i, res[0].Code, res[0].Log, res[1].Code, res[1].Log)
		}
	}
	if got := activeOf(t, c, "bob"); got != 11 {
		t.Fatalf("bob holds %d, want 11", got)
	}
	c.ReplayAll()
}

// TestSuspendedSignerSpendsItsNonce: a transaction signed by a suspended
// account is refused and spends its nonce, so that it cannot run once the
// account is reactivated.
func TestSuspendedSignerSpendsItsNonce(t *testing.T) {
	c := creditChain(t, 1, 100)
	c.MustExec("secretariat", suspend("s0"))
	signed := c.Tx("s0", transferMsg("bob", 10))
	res := c.ExecFailsRaw(signed)
	if res.Code == 0 {
		t.Fatal("a suspended account's transfer ran")
	}
	c.MustExec("secretariat", reactivate("s0"))
	res = c.Block(signed)[0]
	wantResult(t, "the replay after reactivation", res, app.ErrStaleNonce)
	if got := activeOf(t, c, "bob"); got != 0 {
		t.Fatalf("bob holds %d", got)
	}
	c.ReplayAll()
}
