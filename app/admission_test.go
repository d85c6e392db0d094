package app_test

import (
	"context"
	"math/rand"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
)

// Regression tests for the admission bug found under saturation (issue
// 16): CheckTx counted a signer's admitted transactions, CometBFT then
// dropped one because the mempool had filled meanwhile, and the count
// stayed one too high: the node refused the dropped nonce when it was sent
// again, admitted the one after it, and its proposals carried transactions
// that had to fail ("nonce is ahead of the account's next nonce").

func checkTxCode(t *testing.T, c *apptest.Chain, raw []byte) *abci.CheckTxResponse {
	t.Helper()
	res, err := c.App.CheckTx(context.Background(), &abci.CheckTxRequest{Tx: raw, Type: abci.CHECK_TX_TYPE_CHECK})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func propose(t *testing.T, c *apptest.Chain, txs [][]byte) [][]byte {
	t.Helper()
	res, err := c.App.PrepareProposal(context.Background(), &abci.PrepareProposalRequest{Txs: txs, MaxTxBytes: 4 << 20, Height: c.Height + 1})
	if err != nil {
		t.Fatal(err)
	}
	return res.Txs
}

// noNonceFailures runs a proposal as the next block and checks that no
// transaction in it failed for its nonce.
func noNonceFailures(t *testing.T, c *apptest.Chain, txs [][]byte) []*abci.ExecTxResult {
	t.Helper()
	res := c.Block(txs...)
	for i, r := range res {
		if r.Codespace == app.Codespace && (r.Code == app.ErrFutureNonce.Code || r.Code == app.ErrStaleNonce.Code) {
			t.Fatalf("proposal tx %d failed for its nonce: %s", i, r.Log)
		}
	}
	return res
}

// TestAdmissionAfterMempoolDrop: a transaction CheckTx admitted and the
// mempool then dropped is admitted again when resent, and a nonce-ahead
// transaction admitted behind the hole never reaches a block until the
// hole is filled.
func TestAdmissionAfterMempoolDrop(t *testing.T) {
	c := creditChain(t, 1, 100)
	n := c.Nonce("s0")
	first := c.Sign("s0", n, transferMsg("bob", 1))
	second := c.Sign("s0", n+1, transferMsg("bob", 2))
	if r := checkTxCode(t, c, first); r.Code != 0 {
		t.Fatalf("CheckTx of nonce %d: %s", n, r.Log)
	}
	// The mempool dropped first (full); the signer sends it again.
	if r := checkTxCode(t, c, first); r.Code != 0 {
		t.Fatalf("CheckTx of nonce %d sent again after the mempool dropped it: %s", n, r.Log)
	}
	if r := checkTxCode(t, c, second); r.Code != 0 {
		t.Fatalf("CheckTx of nonce %d: %s", n+1, r.Log)
	}

	// A mempool that holds second alone: the proposal must leave it out.
	if got := propose(t, c, [][]byte{second}); len(got) != 0 {
		t.Fatalf("the proposal carries nonce %d without nonce %d", n+1, n)
	}
	// Out of order (gossip from two peers): both go in, in nonce order.
	got := propose(t, c, [][]byte{second, first})
	if len(got) != 2 || string(got[0]) != string(first) || string(got[1]) != string(second) {
		t.Fatalf("the proposal of [n+1, n] is %d txs, want [n, n+1]", len(got))
	}
	for i, r := range noNonceFailures(t, c, got) {
		if r.Code != 0 {
			t.Fatalf("tx %d: %s", i, r.Log)
		}
	}
	// Spent: refused by CheckTx and left out of proposals.
	if r := checkTxCode(t, c, first); r.Code != app.ErrStaleNonce.Code {
		t.Fatalf("CheckTx of a spent nonce: code %d %s", r.Code, r.Log)
	}
	if got := propose(t, c, [][]byte{first, second}); len(got) != 0 {
		t.Fatalf("the proposal carries %d spent transactions", len(got))
	}
}

// TestAdmissionPastAHole: a node that never saw one of a signer's
// transactions (its mempool was full when it was gossiped) still admits the
// signer's next few, up to MaxNonceGap past the highest it holds, so that it
// can propose them once the missing one is committed; beyond that it
// refuses them.
func TestAdmissionPastAHole(t *testing.T) {
	c := creditChain(t, 1, 100)
	n := c.Nonce("s0")
	for k := uint64(1); k <= app.MaxNonceGap; k++ {
		if r := checkTxCode(t, c, c.Sign("s0", n+k, transferMsg("bob", 1))); r.Code != 0 {
			t.Fatalf("CheckTx of nonce next+%d behind a hole: %s", k, r.Log)
		}
	}
	// The highest admitted is now n+MaxNonceGap: a hole of MaxNonceGap
	// nonces after it is tolerated, a larger one is not.
	after := n + app.MaxNonceGap + 1
	if r := checkTxCode(t, c, c.Sign("s0", after+app.MaxNonceGap+1, transferMsg("bob", 1))); r.Code != app.ErrFutureNonce.Code {
		t.Fatalf("CheckTx behind a hole of %d nonces: code %d %s", app.MaxNonceGap+1, r.Code, r.Log)
	}
	if r := checkTxCode(t, c, c.Sign("s0", after+app.MaxNonceGap, transferMsg("bob", 1))); r.Code != 0 {
		t.Fatalf("CheckTx behind a hole of %d nonces: %s", app.MaxNonceGap, r.Log)
	}
	// A block without the hole's transaction carries none of them.
	var mempool [][]byte
	for k := uint64(1); k <= 3; k++ {
		mempool = append(mempool, c.Sign("s0", n+k, transferMsg("bob", 1)))
	}
	if got := propose(t, c, mempool); len(got) != 0 {
		t.Fatalf("the proposal carries %d transactions behind a hole", len(got))
	}
	// Once the hole is committed (a block from the origin node), they are
	// next.
	for i, r := range noNonceFailures(t, c, [][]byte{c.Sign("s0", n, transferMsg("bob", 1))}) {
		if r.Code != 0 {
			t.Fatalf("tx %d: %s", i, r.Log)
		}
	}
	got := propose(t, c, mempool)
	if len(got) != 3 {
		t.Fatalf("the proposal carries %d of the 3 transactions now in sequence", len(got))
	}
	noNonceFailures(t, c, got)
}

// TestProposalNeverCarriesANonceFailure: mempools of several signers'
// transactions with holes, duplicates (a second transaction for a nonce),
// spent nonces and arbitrary order, as gossip and dropping produce them:
// every proposal executes without a nonce failure, and every transaction of
// an unbroken sequence from the signer's next nonce is in it.
func TestProposalNeverCarriesANonceFailure(t *testing.T) {
	const senders = 4
	c := creditChain(t, senders, 1000)
	rng := rand.New(rand.NewSource(16))
	for round := 0; round < 20; round++ {
		var mempool [][]byte
		inSequence := 0
		for s := 0; s < senders; s++ {
			name := "s" + string(rune('0'+s))
			next := c.Nonce(name)
			hole := uint64(1 + rng.Intn(8)) // the first missing nonce, past next
			if rng.Intn(3) == 0 {
				hole = 1 << 62 // no hole
			}
			for k := uint64(0); k < 8; k++ {
				if k == hole {
					continue
				}
				if k < hole {
					inSequence++
				}
				mempool = append(mempool, c.Sign(name, next+k, transferMsg("bob", 1)))
				if rng.Intn(5) == 0 { // a second transaction for the same nonce
					mempool = append(mempool, c.Sign(name, next+k, transferMsg("bob", 2)))
				}
			}
			if next > 0 && rng.Intn(2) == 0 { // a spent one, still in a stale mempool
				mempool = append(mempool, c.Sign(name, next-1, transferMsg("bob", 1)))
			}
		}
		// A stranger's transaction: no account.
		mempool = append(mempool, c.Sign("stranger", 0, transferMsg("bob", 1)))
		rng.Shuffle(len(mempool), func(i, j int) { mempool[i], mempool[j] = mempool[j], mempool[i] })
		got := propose(t, c, mempool)
		if len(got) != inSequence {
			t.Fatalf("round %d: the proposal carries %d transactions, %d are in sequence", round, len(got), inSequence)
		}
		for i, r := range noNonceFailures(t, c, got) {
			if r.Code != 0 {
				t.Fatalf("round %d: tx %d: %s", round, i, r.Log)
			}
		}
	}
}
