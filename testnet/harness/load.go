package harness

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

// Workload decides what the load's transactions carry.
type Workload interface {
	// Msgs returns the messages of signer's next transaction. seq counts
	// the signer's transactions from 0. It is called from the signer's own
	// goroutine only.
	Msgs(signer string, seq int, rnd *rand.Rand) []proto.Message
	// Verify checks the workload's effects on one node, given the
	// transactions that committed successfully.
	Verify(ctx context.Context, nd *Node, ok []*TrackedTx) error
}

// TrackedTx is one transaction the load sent, and what became of it as the
// load saw it. The chain is the judge: CheckLoad compares these records
// with the blocks.
type TrackedTx struct {
	Hash   string // upper-case hex, as CometBFT prints it
	Raw    []byte
	Signer string
	Nonce  uint64
	Msgs   []proto.Message
	SentAt time.Time

	// CheckTx verdict of the first node that answered.
	Accepted  bool
	CheckCode uint32
	CheckLog  string
	// Unknown: the RPC call failed, so the tx may or may not have reached
	// a mempool.
	Unknown bool
	// Resends counts re-broadcasts of the same bytes after a wait.
	Resends int
	// Seen is set when the load found the tx in a block (Height, ExecCode).
	Seen     bool
	Height   int64
	ExecCode uint32
	ExecLog  string
	// GaveUp: the signer stopped waiting for it (it may still commit).
	GaveUp bool
}

// Load drives transactions from several signers concurrently until
// stopped. Each signer has at most one transaction in flight, so its
// nonces stay in order whichever node it talks to; throughput comes from
// the number of signers.
type Load struct {
	net      *Network
	wl       Workload
	signers  []string
	chainID  string
	wait     time.Duration
	interval time.Duration

	mu    sync.Mutex
	txs   []*TrackedTx
	holds map[string]*signerHold

	stopSending atomic.Bool
	ctx         context.Context
	cancel      context.CancelFunc
	wg          sync.WaitGroup
}

// LoadOptions tune a load.
type LoadOptions struct {
	// Wait is how long a signer waits for its transaction before sending
	// the same bytes again to another node (default 8 s); after 4 tries it
	// gives up on it (the final check still looks for it in the chain).
	Wait time.Duration
	// Interval is a pause between a signer's transactions (default none).
	Interval time.Duration
}

// StartLoad starts one goroutine per signer (genesis account names with
// keys in dev-keys.json).
func (n *Network) StartLoad(wl Workload, signers []string, o LoadOptions) *Load {
	if o.Wait == 0 {
		o.Wait = 8 * time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &Load{net: n, wl: wl, signers: signers, chainID: n.Manifest.ChainID, wait: o.Wait, interval: o.Interval, ctx: ctx, cancel: cancel}
	for i, s := range signers {
		if n.Keys[s] == nil {
			n.T.Fatalf("load: no key for signer %q", s)
		}
		l.wg.Add(1)
		go l.signer(s, rand.New(rand.NewSource(time.Now().UnixNano()+int64(i))))
	}
	n.T.Cleanup(func() { cancel(); l.wg.Wait() })
	return l
}

// Stop stops sending new transactions and waits (at most d) for those in
// flight to be seen committed or given up.
func (l *Load) Stop(d time.Duration) {
	l.stopSending.Store(true)
	done := make(chan struct{})
	go func() { l.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		l.cancel()
		<-done
	}
	l.cancel()
}

// Txs returns a copy of the tracked transactions.
func (l *Load) Txs() []*TrackedTx {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*TrackedTx(nil), l.txs...)
}

// Stats counts what the load has seen so far.
type Stats struct{ Sent, Accepted, Rejected, Unknown, Committed, CommittedOK, GaveUp int }

// Stats returns the load's counters.
func (l *Load) Stats() Stats {
	var s Stats
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, t := range l.txs {
		s.Sent++
		switch {
		case t.Accepted:
			s.Accepted++
		case t.Unknown:
			s.Unknown++
		default:
			s.Rejected++
		}
		if t.Seen {
			s.Committed++
			if t.ExecCode == 0 {
				s.CommittedOK++
			}
		}
		if t.GaveUp && !t.Seen {
			s.GaveUp++
		}
	}
	return s
}

func (s Stats) String() string {
	return fmt.Sprintf("sent %d, CheckTx accepted %d, rejected %d, unknown %d; seen committed %d (%d succeeded); given up %d",
		s.Sent, s.Accepted, s.Rejected, s.Unknown, s.Committed, s.CommittedOK, s.GaveUp)
}

func (l *Load) track(t *TrackedTx) {
	l.mu.Lock()
	l.txs = append(l.txs, t)
	l.mu.Unlock()
}

// update applies f to t under the load's lock.
func (l *Load) update(f func()) {
	l.mu.Lock()
	f()
	l.mu.Unlock()
}

func (l *Load) signer(name string, rnd *rand.Rand) {
	defer l.wg.Done()
	key := l.net.Keys[name]
	addr := crypto.PubkeyToAddress(key.PublicKey).Hex()
	nonce, ok := l.resync(addr)
	for !ok && l.ctx.Err() == nil {
		time.Sleep(200 * time.Millisecond)
		nonce, ok = l.resync(addr)
	}
	hold := l.holdOf(name)
	for seq := 0; l.ctx.Err() == nil && !l.stopSending.Load(); seq++ {
		hold.Lock()
		if hold.held {
			// Someone signed with this key meanwhile (Hold).
			hold.held = false
			if n, ok := l.resync(addr); ok {
				nonce = n
			}
		}
		nonce = l.step(name, seq, nonce, addr, key, rnd)
		hold.Unlock()
		if nonce == stopSigner {
			return // the workload has nothing more for this signer
		}
	}
}

// stopSigner is step's answer when the workload has nothing more.
const stopSigner = ^uint64(0)

// signerHold serialises a signer's transactions with Hold.
type signerHold struct {
	sync.Mutex
	held bool
}

func (l *Load) holdOf(name string) *signerHold {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.holds == nil {
		l.holds = map[string]*signerHold{}
	}
	h := l.holds[name]
	if h == nil {
		h = &signerHold{}
		l.holds[name] = h
	}
	return h
}

// Hold stops signer's goroutine between two transactions (waiting for the
// one in flight to be settled), so that the caller can sign with the same
// key without racing it for the nonce; call the returned function to let
// it go on (it reads its nonce again).
func (l *Load) Hold(signer string) (release func()) {
	h := l.holdOf(signer)
	h.Lock()
	return func() { h.held = true; h.Unlock() }
}

// step sends the signer's transaction number seq with nonce and waits for
// its fate; it returns the nonce to use next, or stopSigner.
func (l *Load) step(name string, seq int, nonce uint64, addr string, key *ecdsa.PrivateKey, rnd *rand.Rand) uint64 {
	{
		msgs := l.wl.Msgs(name, seq, rnd)
		if len(msgs) == 0 {
			return stopSigner
		}
		body, err := tx.Build(l.chainID, nonce, fmt.Sprintf("load %s #%d", name, seq), msgs...)
		if err != nil {
			panic(err)
		}
		raw, err := tx.Sign(body, key)
		if err != nil {
			panic(err)
		}
		t := &TrackedTx{Hash: strings.ToUpper(hex.EncodeToString(tx.Hash(raw))), Raw: raw, Signer: name, Nonce: nonce, Msgs: msgs, SentAt: time.Now()}
		l.track(t)
		l.send(t, true)
		if !t.Accepted && !t.Unknown {
			// Rejected at the door (e.g. a nonce taken by an earlier
			// transaction that committed late): learn the nonce again.
			if n, ok := l.resync(addr); ok {
				nonce = n
			}
			l.pause(500 * time.Millisecond)
			return nonce
		}
		l.await(t)
		if t.Seen && t.ExecCode == 0 {
			nonce++
		} else if n, ok := l.resync(addr); ok {
			nonce = n
		}
		if l.interval > 0 {
			l.pause(l.interval)
		}
		return nonce
	}
}

func (l *Load) pause(d time.Duration) {
	select {
	case <-l.ctx.Done():
	case <-time.After(d):
	}
}

// send broadcasts t's bytes to a usable node and records CheckTx's verdict
// (first only: a re-send of accepted bytes is usually refused as already
// in the cache, which says nothing new).
func (l *Load) send(t *TrackedTx, first bool) {
	nd := l.net.AnyLive()
	if nd == nil {
		if first {
			l.update(func() { t.Unknown = true })
		}
		return
	}
	ctx, cancel := context.WithTimeout(l.ctx, 5*time.Second)
	defer cancel()
	res, err := nd.Client().BroadcastTxSync(ctx, t.Raw)
	l.update(func() {
		if !first {
			t.Resends++
			if err == nil && res.Code == 0 && !t.Accepted {
				t.Accepted, t.Unknown = true, false
			}
			return
		}
		switch {
		case err != nil:
			t.Unknown = true
		case res.Code == 0:
			t.Accepted = true
		default:
			t.CheckCode, t.CheckLog = res.Code, res.Log
		}
	})
}

// await polls for t in the chain; after each wait period it sends the same
// bytes again (harmless: a committed tx is refused by nonce, a pending one
// by the mempool cache), and gives up after four periods.
func (l *Load) await(t *TrackedTx) {
	for try := 0; try < 4; try++ {
		deadline := time.Now().Add(l.wait)
		for time.Now().Before(deadline) {
			if l.ctx.Err() != nil {
				return
			}
			if l.lookup(t) {
				return
			}
			l.pause(200 * time.Millisecond)
		}
		l.send(t, false)
	}
	l.update(func() { t.GaveUp = true })
}

func (l *Load) lookup(t *TrackedTx) bool {
	nd := l.net.AnyLive()
	if nd == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(l.ctx, 3*time.Second)
	defer cancel()
	hash, _ := hex.DecodeString(t.Hash)
	res, err := nd.Client().Tx(ctx, hash, false)
	if err != nil {
		return false
	}
	l.update(func() {
		t.Seen, t.Height, t.ExecCode, t.ExecLog = true, res.Height, res.TxResult.Code, res.TxResult.Log
	})
	return true
}

// resync reads the signer's next nonce from committed state.
func (l *Load) resync(addr string) (uint64, bool) {
	nd := l.net.AnyLive()
	if nd == nil {
		return 0, false
	}
	n, ok, err := QueryNonce(l.ctx, nd, addr)
	if err != nil || !ok {
		return 0, false
	}
	return n, true
}

// QueryAccount reads an account from a node (nil if it does not exist).
func QueryAccount(ctx context.Context, nd *Node, addr string) (*accountsv1.Account, error) {
	ans := &accountsv1.QueryAccountResponse{}
	ok, err := queryRecord(ctx, nd, "/accounts/Account", &accountsv1.QueryAccountRequest{Account: addr}, ans)
	if !ok {
		return nil, err
	}
	return ans.Account, err
}

// QueryNonce reads the nonce the next transaction signed by addr's key must
// carry; ok is false if addr is no account's key. The rule depends on the
// state version the chain runs (Info's app version): from version 2 a
// nonce belongs to the signing key (/accounts/Key); state version 1
// (release v0.2.0) kept it in the account, keyed by address, and answered
// /accounts/account/<address>. The signature itself is made alike by both
// (tx.Sign; a body without gas limit or timeout encodes alike), so a load
// that reads its nonces this way signs correctly on either side of an
// upgrade.
func QueryNonce(ctx context.Context, nd *Node, addr string) (nonce uint64, ok bool, err error) {
	ans := &accountsv1.QueryKeyResponse{}
	if ok, err = queryRecord(ctx, nd, "/accounts/Key", &accountsv1.QueryKeyRequest{Address: addr}, ans); ok {
		return ans.Key.GetNonce(), true, err
	}
	if v, verr := AppVersion(ctx, nd); verr != nil || v != 1 {
		return 0, false, err
	}
	return queryNonceV1(ctx, nd, addr)
}

// AppVersion is the state version the node's app reports in Info.
func AppVersion(ctx context.Context, nd *Node) (uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	res, err := nd.Client().ABCIInfo(ctx)
	if err != nil {
		return 0, err
	}
	return res.Response.AppVersion, nil
}

// queryNonceV1 reads an account's nonce from a state-version-1 node: the
// account record (protojson, uint64 as a string) at /accounts/account/<addr>.
func queryNonceV1(ctx context.Context, nd *Node, addr string) (uint64, bool, error) {
	bz, ok, err := QueryRaw(ctx, nd, "/accounts/account/"+addr, nil)
	if !ok {
		return 0, false, err
	}
	var acc struct {
		Nonce json.Number `json:"nonce"`
	}
	if err := json.Unmarshal(bz, &acc); err != nil {
		return 0, true, fmt.Errorf("%s: v1 account %s: %w", nd.Name, addr, err)
	}
	if acc.Nonce == "" {
		return 0, true, nil // protojson omits a zero nonce
	}
	n, err := strconv.ParseUint(string(acc.Nonce), 10, 64)
	return n, true, err
}

// QueryRaw runs an ABCI query and returns the answer's bytes; ok is false
// if the node refused it (not found, unknown path).
func QueryRaw(ctx context.Context, nd *Node, path string, data []byte) ([]byte, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	res, err := nd.Client().ABCIQuery(ctx, path, data)
	if err != nil {
		return nil, false, err
	}
	if res.Response.Code != 0 {
		return nil, false, fmt.Errorf("%s: query %s: %s", nd.Name, path, res.Response.Log)
	}
	return res.Response.Value, true, nil
}

// queryRecord runs a module query whose answer is one record; ok is false
// if the node answers not found (or with any refusal).
func queryRecord(ctx context.Context, nd *Node, path string, req, resp proto.Message) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	data, err := module.MarshalJSON(req)
	if err != nil {
		return false, err
	}
	res, err := nd.Client().ABCIQuery(ctx, path, data)
	if err != nil {
		return false, err
	}
	if res.Response.Code != 0 {
		return false, nil
	}
	if err := module.UnmarshalJSON(res.Response.Value, resp); err != nil {
		return true, fmt.Errorf("%s: %w", path, err)
	}
	return true, nil
}

// MsgCounts counts the messages of the transactions that succeeded in the
// chain, by message type ("jcredit.credits.v1.MsgTransfer": 40, …).
func (l *Load) MsgCounts(c *Chain) map[string]int {
	out := map[string]int{}
	for _, t := range l.OK(c) {
		for _, m := range t.Msgs {
			out[string(m.ProtoReflect().Descriptor().FullName())]++
		}
	}
	return out
}
