package credits_test

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
)

func (e *keeperEnv) as(name string) module.Context {
	ctx := e.ctx
	ctx.Signer, ctx.Account = apptest.Addr(name), e.num(name)
	return ctx
}

// query answers a credits query (/credits/<rpc>) over the keeper's state.
func (e *keeperEnv) query(path string, req, out proto.Message) {
	e.t.Helper()
	r := module.NewQueryRouter()
	e.cred.RegisterQueries(r)
	res, err := r.Query(module.QueryContext{Store: e.cache, Height: 1}, path, req)
	if err != nil {
		e.t.Fatalf("query %s: %v", path, err)
	}
	if err := module.UnmarshalJSON(res.Value, out); err != nil {
		e.t.Fatal(err)
	}
}

// holdings reads every page of account's holdings (address or number).
func (e *keeperEnv) holdings(account string) holdings {
	e.t.Helper()
	return readHoldings(e.t, account, func(req *creditsv1.QueryHoldingsRequest) *creditsv1.QueryHoldingsResponse {
		ans := &creditsv1.QueryHoldingsResponse{}
		e.query("/credits/Holdings", req, ans)
		return ans
	})
}

func TestKeyRotationKeepsEveryRangeAndRetirementsFindable(t *testing.T) {
	e := newKeeperEnv(t, "alice", "bob")
	if _, err := e.cred.IssueBatch(e.ctx, e.request("R-1", re, "alice", 100, "bob", 10)); err != nil {
		t.Fatal(err)
	}
	if err := e.cred.Retire(e.as("alice"), &creditsv1.MsgRetire{Quantity: 30, Beneficiary: "Alice", Use: creditsv1.Use_USE_RE100, FiscalYear: 2025}); err != nil {
		t.Fatal(err)
	}
	e.rotate("alice", "alice2")
	if err := credits.CheckInvariants(e.cache); err != nil {
		t.Fatal(err)
	}
	old, moved := e.holdings(apptest.Addr("alice").Hex()), e.holdings(apptest.Addr("alice2").Hex())
	if len(old.Ranges) != 0 || moved.Active != 70 || moved.Retired != 30 || moved.Account != apptest.Addr("alice2").Hex() {
		t.Fatalf("after rotation: old %+v, new %+v", old, moved)
	}
	list := &creditsv1.QueryRetirementsResponse{}
	e.query("/credits/Retirements", &creditsv1.QueryRetirementsRequest{Account: apptest.Addr("alice2").Hex()}, list)
	if len(list.Retirements) != 1 {
		t.Fatalf("retirements under the new key: %d", len(list.Retirements))
	}
	// The new key can use the credits at once.
	if err := e.cred.Transfer(e.as("alice2"), &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 70}); err != nil {
		t.Fatal(err)
	}
}

func TestAnAccountHoldingActiveCreditsCannotClose(t *testing.T) {
	e := newKeeperEnv(t, "alice", "bob")
	if _, err := e.cred.IssueBatch(e.ctx, e.request("R-1", re, "alice", 10)); err != nil {
		t.Fatal(err)
	}
	if err := e.cred.CanClose(e.ctx, e.num("alice")); !errors.Is(err, credits.ErrHoldsCredits) {
		t.Fatalf("alice holds 10: %v", err)
	}
	if err := e.cred.CanClose(e.ctx, e.num("bob")); err != nil {
		t.Fatalf("bob holds none: %v", err)
	}
	// Retired credits do not tie an account to the registry.
	if err := e.cred.Retire(e.as("alice"), &creditsv1.MsgRetire{Quantity: 10, Beneficiary: "Alice", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025}); err != nil {
		t.Fatal(err)
	}
	if err := e.cred.CanClose(e.ctx, e.num("alice")); err != nil {
		t.Fatalf("alice retired everything: %v", err)
	}
}

// On a real chain: a key rotation carries every credit and retirement to
// the new key, and the secretariat cannot close an account that still
// holds active credits.
func TestCreditsFollowAKeyRotationAndBlockClosing(t *testing.T) {
	c := oneBatch(t)
	c.MustExec("alice", &creditsv1.MsgRetire{Quantity: 10, Beneficiary: "Alice", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025})
	sig, err := accounts.SignRotation(apptest.ChainID, apptest.Addr("alice"), apptest.Key("alice-new"))
	if err != nil {
		t.Fatal(err)
	}
	c.MustExec("alice", &accountsv1.MsgRotateKey{NewAddress: apptest.Addr("alice-new").Hex(), NewKeySignature: sig})
	if h := holdingsOf(t, c, "alice"); len(h.Ranges) != 0 {
		t.Fatalf("the old key still holds %+v", h)
	}
	if h := holdingsOf(t, c, "alice-new"); h.Active != 90 || h.Retired != 10 {
		t.Fatalf("the new key holds %+v", h)
	}
	c.MustExec("alice-new", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 90})
	// x/accounts refuses with its own code; its log carries credits' reason.
	rejects(t, c, accounts.ErrCannotClose, "secretariat", &accountsv1.MsgCloseAccount{Address: apptest.Addr("bob").Hex(), Reason: "left the scheme"})
	c.MustExec("secretariat", &accountsv1.MsgCloseAccount{Address: apptest.Addr("alice-new").Hex(), Reason: "merged into Bob"})
}

// rotate moves from's account to the key of to, through x/accounts'
// handler with a real possession proof (credits is not involved: it keeps
// accounts by number).
func (e *keeperEnv) rotate(from, to string) {
	e.t.Helper()
	sig, err := accounts.SignRotation(e.ctx.ChainID, apptest.Addr(from), apptest.Key(to))
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.acc.RotateKey(e.as(from), &accountsv1.MsgRotateKey{NewAddress: apptest.Addr(to).Hex(), NewKeySignature: sig}); err != nil {
		e.t.Fatal(err)
	}
}
