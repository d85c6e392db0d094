package app_test

// Issue 10 finding 3: every transaction's work is metered and bounded, per
// transaction and per block.

import (
	"bytes"
	"context"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// signWith signs msgs from name with its next nonce and gas limit gas.
func signWith(t testing.TB, c *apptest.Chain, name string, gas uint64, msgs ...proto.Message) []byte {
	t.Helper()
	body, err := txBody(c, name, gas).Build(msgs...)
	if err != nil {
		t.Fatal(err)
	}
	return signBody(t, name, body)
}

// TestSerialTransferStallIsBounded: the 62 KB transaction of 1,900
// transfers by serial that stalled every validator for 59 s (and, eight to
// a block, for 276 s) runs out of gas at the default limit, spending its
// nonce and nothing else; with the largest limit it runs, and a block can
// carry only as many as block.max_gas allows.
func TestSerialTransferStallIsBounded(t *testing.T) {
	c := creditChain(t, 0, 0)
	msgs := serialTransferMsgs(1, 19)
	stall := c.Tx("alice", msgs...)
	if len(stall) < 60_000 || len(stall) > tx.MaxTxBytes {
		t.Fatalf("the transaction is %d bytes; the finding's was 62,829", len(stall))
	}
	start := time.Now()
	res := c.ExecFailsRaw(stall)
	wantResult(t, "the stall at the default limit", res, app.ErrOutOfGas)
	if res.GasWanted != int64(app.DefaultTxGas) || res.GasUsed != int64(app.DefaultTxGas) {
		t.Fatalf("gas wanted %d used %d, want both %d", res.GasWanted, res.GasUsed, app.DefaultTxGas)
	}
	t.Logf("out of gas after %v", time.Since(start))

	big := signWith(t, c, "alice", app.MaxTxGas, serialTransferMsgs(4001, 19)...)
	res = c.Block(big)[0]
	if res.Code != 0 {
		t.Fatalf("the largest serial transfer with the largest limit: %s", res.Log)
	}
	if res.GasUsed <= int64(app.DefaultTxGas) || res.GasUsed > int64(app.MaxTxGas) || res.GasWanted != int64(app.MaxTxGas) {
		t.Fatalf("gas wanted %d used %d", res.GasWanted, res.GasUsed)
	}
	for s, want := range map[uint64]string{4001: "bob", 4002: "alice", 7799: "bob", 7800: "alice"} {
		if got := ownerOf(t, c, s); got != apptest.Addr(want).Hex() {
			t.Fatalf("serial %d is held by %s, want %s", s, got, want)
		}
	}

	// A proposal of more such transactions than max_gas allows is refused;
	// the proposer's PrepareProposal stops at the limit.
	fit := int(app.DefaultBlockMaxGas / int64(app.MaxTxGas))
	var txs [][]byte
	n := c.Nonce("alice")
	for i := 0; i <= fit; i++ {
		body, err := tx.Body{ChainID: apptest.ChainID, Nonce: n + uint64(i), GasLimit: app.MaxTxGas}.Build(&creditsv1.MsgTransfer{
			Recipient: apptest.Addr("bob").Hex(), Quantity: 1})
		if err != nil {
			t.Fatal(err)
		}
		txs = append(txs, signBody(t, "alice", body))
	}
	ctx := context.Background()
	proc, _ := c.App.ProcessProposal(ctx, &abci.ProcessProposalRequest{Txs: txs, Height: c.Height + 1})
	if proc.Status != abci.PROCESS_PROPOSAL_STATUS_REJECT {
		t.Fatalf("a proposal reserving %d gas (max_gas %d) was accepted", int64(len(txs))*int64(app.MaxTxGas), app.DefaultBlockMaxGas)
	}
	prep, _ := c.App.PrepareProposal(ctx, &abci.PrepareProposalRequest{Txs: txs, MaxTxBytes: 4 << 20, Height: c.Height + 1})
	if len(prep.Txs) != fit {
		t.Fatalf("PrepareProposal kept %d transactions, want the %d that fit", len(prep.Txs), fit)
	}
	proc, _ = c.App.ProcessProposal(ctx, &abci.ProcessProposalRequest{Txs: prep.Txs, Height: c.Height + 1})
	if proc.Status != abci.PROCESS_PROPOSAL_STATUS_ACCEPT {
		t.Fatal("the prepared proposal was refused")
	}
	// A proposer that ignores ProcessProposal's verdict still cannot make
	// FinalizeBlock run more than max_gas: the transaction that does not
	// fit is refused and spends nothing.
	res2 := c.Block(txs...)
	last := res2[len(res2)-1]
	wantResult(t, "the transaction beyond max_gas", last, app.ErrBlockGasFull)
	if c.Nonce("alice") != n+uint64(fit) {
		t.Fatalf("alice's nonce is %d, want %d", c.Nonce("alice"), n+uint64(fit))
	}
	c.ReplayAll()
}

// ownerOf is the owner of credit s of batch 1.
func ownerOf(t *testing.T, c *apptest.Chain, s uint64) string {
	t.Helper()
	ans := &creditsv1.QuerySerialResponse{}
	if err := c.Read("/credits/Serial", &creditsv1.QuerySerialRequest{Serial: serial(s)}, ans); err != nil {
		t.Fatal(err)
	}
	for _, a := range ans.Accounts {
		if a.Number == ans.Range.GetOwnerAccount() {
			return a.Address
		}
	}
	t.Fatalf("serial %d: no address for owner account %d in %v", s, ans.Range.GetOwnerAccount(), ans.Accounts)
	return ""
}

// TestFailingWideTransferCostsItsSender: a transfer by serial across a
// batch split into many ranges, refused at the last range, used to cost
// the chain its whole walk and its sender nothing. Now the walk is
// metered: at the default limit it runs out of gas, and either way the
// sender's nonce pays for it.
func TestFailingWideTransferCostsItsSender(t *testing.T) {
	c := creditChain(t, 0, 0)
	// Split alice's credits 1..4001 into 2,001 ranges: bob gets every
	// other credit.
	for base := uint64(2); base < 4000; base += 1000 {
		var msgs []proto.Message
		s := base
		for i := 0; i < 5; i++ {
			m := &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex()}
			for j := 0; j < 100; j++ {
				m.Serials = append(m.Serials, serial(s))
				s += 2
			}
			msgs = append(msgs, m)
		}
		if r := c.Block(signWith(t, c, "alice", app.MaxTxGas, msgs...))[0]; r.Code != 0 {
			t.Fatalf("setup: %s", r.Log)
		}
	}
	wide := &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{
		creditstypes.FormatSerial(creditstypes.Serial{Batch: 1, Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageYear: 2024, Start: 1, End: 4001}),
	}}
	res := c.ExecFails("alice", wide)
	wantResult(t, "the wide transfer at the default limit", res, app.ErrOutOfGas)
	res = c.ExecFailsRaw(signWith(t, c, "alice", app.MaxTxGas, wide))
	wantResult(t, "the wide transfer with room", res, credits.ErrNotHolder)
	if res.GasUsed < 2*int64(app.DefaultTxGas) {
		t.Fatalf("walking 4,001 ranges cost %d gas", res.GasUsed)
	}
}

// TestResultsReportGas: CheckTx reports the gas a transaction reserves,
// FinalizeBlock what it reserved and used; the same transaction on the
// same state uses the same gas on every node (two chains here).
func TestResultsReportGas(t *testing.T) {
	a, b, c := creditChain(t, 1, 100), creditChain(t, 1, 100), creditChain(t, 1, 100)
	raw := a.Tx("s0", transferMsg("bob", 3))
	if r := checkTx(t, a, raw); r.Code != 0 || r.GasWanted != int64(app.DefaultTxGas) {
		t.Fatalf("CheckTx gas wanted %d (code %d)", r.GasWanted, r.Code)
	}
	ra, rb := a.Block(raw)[0], b.Block(raw)[0]
	if ra.Code != 0 || ra.GasWanted != int64(app.DefaultTxGas) || ra.GasUsed <= 0 || ra.GasUsed > ra.GasWanted {
		t.Fatalf("result gas wanted %d used %d (code %d %s)", ra.GasWanted, ra.GasUsed, ra.Code, ra.Log)
	}
	if ra.GasUsed != rb.GasUsed || !bytes.Equal(a.LastHash, b.LastHash) {
		t.Fatalf("two nodes charged %d and %d", ra.GasUsed, rb.GasUsed)
	}
	// On the same state, with the same body but its limit (which the
	// gas does not depend on: the limit is a fixed-width field away from
	// the messages... it is a varint, so pick one of the same size) one
	// short of what it needs, it runs out of gas and spends the nonce; with
	// the exact amount it succeeds.
	// The body with a limit is a few bytes longer than raw (no limit),
	// and bytes cost gas.
	withLimit := signWith(t, c, "s0", uint64(ra.GasUsed), transferMsg("bob", 3))
	exact := uint64(ra.GasUsed) + module.Costs.TxPerByte*uint64(len(withLimit)-len(raw))
	short := signWith(t, c, "s0", exact-1, transferMsg("bob", 3))
	wantResult(t, "one gas short", c.ExecFailsRaw(short), app.ErrOutOfGas)
	d := creditChain(t, 1, 100)
	exactTx := signWith(t, d, "s0", exact, transferMsg("bob", 3))
	if r := d.Block(exactTx)[0]; r.Code != 0 || r.GasUsed != int64(exact) {
		t.Fatalf("with the exact limit: gas used %d, code %d %s", r.GasUsed, r.Code, r.Log)
	}
}

// TestHandlersMayCharge: the context's meter is the one the result
// reports, and charging it past the limit is out of gas.
func TestHandlersMayCharge(t *testing.T) {
	m := module.NewGasMeter(100)
	m.Charge(60, "parse")
	if m.Used() != 60 || m.Remaining() != 40 {
		t.Fatalf("used %d remaining %d", m.Used(), m.Remaining())
	}
	defer func() {
		r, ok := recover().(module.OutOfGas)
		if !ok || r.Limit != 100 || r.Wanted != 110 || m.Used() != 100 {
			t.Fatalf("recovered %#v, meter at %d", r, m.Used())
		}
	}()
	m.Charge(50, "hash")
	t.Fatal("no panic past the limit")
}
