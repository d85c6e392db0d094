package bench

import (
	"context"
	"encoding/hex"
	"errors"
	"math/rand"
	"strings"
	"sync/atomic"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/testnet/harness"
	"github.com/jcredit/jcredit/x/module"
)

// txRec is one transaction the bench built, and what became of it. A lane
// owns its records while a phase runs; the accounting reads them after.
type txRec struct {
	hash  string // upper-case hex, as CometBFT prints it
	raw   []byte
	lane  int
	node  int    // index of the node the lane sends to (the tx's origin)
	nonce uint64 // jcredit only
	kind  string // transfer, retire or kv
	phase int    // index of the phase that built it

	firstTry time.Time
	// accepted is the start of the first broadcast_tx_sync call whose
	// CheckTx answered OK: the submit time latencies count from.
	accepted time.Time
	tries    int
	// revived counts later broadcasts of the same bytes that CheckTx
	// accepted again: the node had evicted the transaction at recheck and
	// the lane put it back.
	revived int
	// Not accepted: CheckTx's code and log, or the last RPC error.
	rejCode  uint32
	rejSpace string
	rejLog   string
	rpcErr   string
}

// phase is one load level of a segment: saturation (rate 0) or a fixed
// total rate.
type phase struct {
	idx  int
	name string
	rate float64 // offered tx/s over all lanes; 0: as fast as the nodes take them

	stop atomic.Bool
	// stopHeight is the chain's height when the lanes had stopped; later
	// blocks drain the mempools.
	stopHeight int64

	// Counters the lanes bump.
	mempoolFull  atomic.Int64 // broadcasts refused: mempool full (retried)
	rpcErrors    atomic.Int64 // other RPC errors (retried)
	nonceRejects atomic.Int64 // CheckTx refused a nonce (the lane resynced)
	rejected     atomic.Int64 // CheckTx refused for another reason
	resyncs      atomic.Int64
	resent       atomic.Int64 // broadcasts of bytes sent before (resync)
	lagged       atomic.Int64 // a rate-limited lane fell >1 s behind its schedule
}

func (p *phase) stopped() bool { return p.stop.Load() }

// lane is one concurrent sender: one account (jcredit) or one key prefix
// (kvstore), one node, one RPC connection, one transaction in flight. Its
// nonces stay in order because each broadcast_tx_sync returns CheckTx's
// verdict before the next transaction is sent.
type lane struct {
	idx    int
	seg    *segment
	node   *harness.Node
	nodeIx int
	client *client.Client
	rnd    *rand.Rand

	signer signer
	// next is the nonce of the lane's next new transaction; byNonce holds
	// the latest admitted transaction for each nonce.
	next    uint64
	byNonce map[uint64]*txRec
	// versions counts the transactions built for each nonce.
	versions map[uint64]int
	seq      int
	txs      []*txRec
}

// Codes CheckTx uses for a nonce that is not the signer's next.
var (
	staleSpace, staleCode   = module.CodeOf(app.ErrStaleNonce)
	futureSpace, futureCode = module.CodeOf(app.ErrFutureNonce)
)

func isStale(res *coretypes.ResultBroadcastTx) bool {
	return res.Codespace == staleSpace && res.Code == staleCode
}

func isFuture(res *coretypes.ResultBroadcastTx) bool {
	return res.Codespace == futureSpace && res.Code == futureCode
}

// CometBFT's mempool errors reach the client as JSON-RPC error text.
func isMempoolFull(err error) bool {
	s := err.Error()
	return strings.Contains(s, "mempool is full") || strings.Contains(s, "considered as full")
}

func isInCache(err error) bool { return strings.Contains(err.Error(), "tx already exists in cache") }

// verdict turns node/client's answer into CheckTx's verdict: a result
// (with a code if CheckTx refused; CometBFT v1.0 reports a refusal as an RPC
// error, which the client parses into a *client.TxError), or the RPC error
// when there is none.
func verdict(res *client.Result, err error) (*coretypes.ResultBroadcastTx, error) {
	var txErr *client.TxError
	switch {
	case err == nil:
		return &coretypes.ResultBroadcastTx{Code: res.Code, Codespace: res.Codespace, Log: res.Log}, nil
	case errors.As(err, &txErr):
		r := txErr.Result
		return &coretypes.ResultBroadcastTx{Code: r.Code, Codespace: r.Codespace, Log: r.Log}, nil
	default:
		return nil, err
	}
}

// run sends until the phase stops: back to back, or on a fixed schedule
// when the phase has a rate.
func (ln *lane) run(ctx context.Context, p *phase, lanes int) {
	var interval time.Duration
	if p.rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(lanes) / p.rate)
	}
	// Spread the lanes' first sends over one interval.
	due := time.Now().Add(time.Duration(ln.rnd.Int63n(int64(interval) + 1)))
	for !p.stopped() && ctx.Err() == nil {
		if interval > 0 {
			now := time.Now()
			if d := due.Sub(now); d > 0 {
				ln.sleep(ctx, p, d)
				if p.stopped() {
					return
				}
			} else if -d > time.Second {
				p.lagged.Add(1)
				due = now
			}
			due = due.Add(interval)
		}
		t, err := ln.build(p)
		if err != nil {
			ln.seg.fail("lane %d: build: %v", ln.idx, err)
			return
		}
		ln.submit(ctx, p, t)
	}
}

func (ln *lane) sleep(ctx context.Context, p *phase, d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) && !p.stopped() && ctx.Err() == nil {
		time.Sleep(min(time.Until(end), 50*time.Millisecond))
	}
}

// build makes the lane's next new transaction.
func (ln *lane) build(p *phase) (*txRec, error) {
	t := &txRec{lane: ln.idx, node: ln.nodeIx, phase: p.idx}
	if ln.seg.wl == KVStore {
		t.raw, t.kind = ln.seg.maker.kv(ln.idx, ln.seq, ln.rnd), "kv"
	} else {
		version := ln.versions[ln.next]
		ln.versions[ln.next]++
		raw, kind, err := ln.seg.maker.jc(ln.signer, ln.idx, ln.next, version, ln.rnd)
		if err != nil {
			return nil, err
		}
		t.raw, t.kind, t.nonce = raw, kind, ln.next
	}
	ln.seq++
	t.hash = strings.ToUpper(hex.EncodeToString(tx.Hash(t.raw)))
	ln.txs = append(ln.txs, t)
	return t, nil
}

// broadcast sends raw with broadcast_tx_sync and returns CheckTx's verdict
// (a refusal as a result with its code), or the RPC error.
func (ln *lane) broadcast(ctx context.Context, raw []byte) (*coretypes.ResultBroadcastTx, error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return verdict(ln.client.BroadcastAsync(cctx, raw))
}

// submit broadcasts t until CheckTx accepts or refuses it, or the phase
// stops. "Mempool full" is back-pressure, not a verdict: the same bytes go
// again after a pause.
func (ln *lane) submit(ctx context.Context, p *phase, t *txRec) {
	for !p.stopped() && ctx.Err() == nil {
		at := time.Now()
		if t.firstTry.IsZero() {
			t.firstTry = at
		}
		t.tries++
		res, err := ln.broadcast(ctx, t.raw)
		switch {
		case err == nil && res.Code == abci.CodeTypeOK:
			ln.accepted(t, at)
			return
		case err != nil && isMempoolFull(err):
			p.mempoolFull.Add(1)
			ln.sleep(ctx, p, ln.seg.opts.Backoff)
		case err != nil && isInCache(err):
			// An earlier try that timed out on our side reached the
			// mempool after all.
			ln.accepted(t, at)
			return
		case err != nil:
			p.rpcErrors.Add(1)
			t.rpcErr = err.Error()
			ln.sleep(ctx, p, ln.seg.opts.Backoff)
		case ln.seg.wl != KVStore && (isStale(res) || isFuture(res)):
			p.nonceRejects.Add(1)
			t.rejCode, t.rejSpace, t.rejLog = res.Code, res.Codespace, res.Log
			ln.resync(ctx, p)
			return
		default:
			p.rejected.Add(1)
			t.rejCode, t.rejSpace, t.rejLog = res.Code, res.Codespace, res.Log
			return
		}
	}
}

func (ln *lane) accepted(t *txRec, at time.Time) {
	if !t.accepted.IsZero() {
		t.revived++
		return
	}
	t.accepted = at
	if ln.seg.wl != KVStore {
		ln.byNonce[t.nonce] = t
		if t.nonce == ln.next {
			ln.next++
		}
	}
}

// resync brings a jcredit lane back in step with the chain after CheckTx
// refused its nonce. That happens when the node no longer holds one of the
// lane's earlier transactions (evicted at recheck, or dropped by a full
// mempool after CheckTx admitted it) and the lane's next nonce is past the
// hole that CheckTx tolerates (app.MaxNonceGap). The lane waits for the next block (a commit resets the
// node's counts and rechecks its mempool), reads the signer's next nonce c
// from committed state, and sends its admitted transactions from c upwards
// again: the same bytes (a live one is refused as already in the cache, an
// evicted one comes back), or, if a block already carried those bytes and
// failed them, a new transaction for that nonce.
func (ln *lane) resync(ctx context.Context, p *phase) {
	p.resyncs.Add(1)
	h := ln.seg.poller.height()
	for ln.seg.poller.height() <= h && !p.stopped() && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
	}
	var c uint64
	for {
		if p.stopped() || ctx.Err() != nil {
			return
		}
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		n, ok, err := harness.QueryNonce(qctx, ln.node, ln.signer.addr)
		cancel()
		if err == nil && ok {
			c = n
			break
		}
		ln.sleep(ctx, p, time.Second)
	}
	k := c
	for !p.stopped() && ctx.Err() == nil {
		t := ln.byNonce[k]
		if t == nil || ln.inChain(ctx, t) {
			break // new transactions go on from k
		}
		p.resent.Add(1)
		res, err := ln.broadcast(ctx, t.raw)
		switch {
		case err == nil && res.Code == abci.CodeTypeOK:
			t.revived++
		case err != nil && isInCache(err):
		case err == nil && isStale(res):
			// A block committed k meanwhile.
		case err != nil && isMempoolFull(err):
			p.mempoolFull.Add(1)
			ln.sleep(ctx, p, ln.seg.opts.Backoff)
			continue
		default:
			// A gap below k on this node, or an RPC error: send new
			// transactions from k; a refusal brings us back here after
			// the next block.
			ln.next = k
			return
		}
		k++
	}
	ln.next = k
}

// inChain reports whether a block already carries t (the node's tx index).
func (ln *lane) inChain(ctx context.Context, t *txRec) bool {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	hash, _ := hex.DecodeString(t.hash)
	_, err := ln.client.RPC.Tx(cctx, hash, false)
	return err == nil
}
