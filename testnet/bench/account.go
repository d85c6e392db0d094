package bench

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jcredit/jcredit/testnet/harness"
)

// Accounting is the fate of every transaction a segment built. An
// accepted transaction (CheckTx OK at broadcast_tx_sync) is committed, or
// still in a mempool, or was evicted: in CometBFT v1.0 a transaction leaves
// the mempool of the node that accepted it only in a block or when CheckTx
// refuses it at recheck (there is no TTL here, and no node restarts), so an
// accepted transaction that is in no block and no mempool was evicted at
// recheck on its node, and that node's mempool_evicted_txs counter must
// have counted it. Anything beyond the counter is silently missing: the
// bench fails.
type Accounting struct {
	Built    int // transactions built (each version of a nonce counts)
	Accepted int // CheckTx OK at least once

	CommittedOK     int
	CommittedFailed map[string]int // by codespace/code and reason
	// AheadCauses explains each transaction a block failed with "nonce
	// ahead": where the lane's transaction for the nonce before it was.
	AheadCauses map[string]int
	// FailedInDrain: failed in a block after the lanes of the phase that
	// built the transaction had stopped (no lane left to resync).
	FailedInDrain int
	// EvictedLanes counts the evicted transactions by lane.
	EvictedLanes map[int]int
	// CommittedUnacked: in a block though no broadcast of it returned OK
	// (e.g. a call that timed out on the client after reaching the node).
	CommittedUnacked int

	// Pending: accepted, not in a block, still in a mempool at the end.
	Pending int
	// Evicted: accepted, in no block and no mempool: evicted at recheck on
	// the node that accepted it; ByNode per validator, beside that node's
	// evicted counter over the segment.
	Evicted        int
	EvictedByNode  []int
	EvictedCounter []float64
	// Revived: accepted again after an eviction (the lane's resync sent
	// the same bytes), and counted once in the lines above.
	Revived int
	// Missing: evicted transactions beyond what the nodes counted.
	Missing int

	// Not accepted.
	Rejected        map[string]int // CheckTx refused, by codespace/code and reason
	UnsentAtStop    int            // still being retried (mempool full) when the phase stopped
	RPCErrorAtStop  int            // the last try failed at the RPC level
	SampleDropped   []string       // a few dropped hashes, for the log
	SampleFailed    []string       // a few transactions failed in blocks
	SampleUnchained []string
}

func reason(space string, code uint32, log string) string {
	head := log
	if i := strings.Index(head, ":"); i > 0 {
		head = head[:i]
	}
	if len(head) > 60 {
		head = head[:60]
	}
	if space == "" {
		return fmt.Sprintf("%d %s", code, head)
	}
	return fmt.Sprintf("%s/%d %s", space, code, head)
}

// account reconciles the lanes' records with every block of the segment
// and the mempools at the end.
func (s *segment) account(ctx context.Context, m0, m1 []metrics) Accounting {
	a := Accounting{CommittedFailed: map[string]int{}, Rejected: map[string]int{}, AheadCauses: map[string]int{}, EvictedLanes: map[int]int{}}
	vals := s.net.Validators()
	a.EvictedByNode = make([]int, len(vals))
	a.EvictedCounter = make([]float64, len(vals))
	for i := range vals {
		if m0[i] != nil && m1[i] != nil {
			a.EvictedCounter[i] = delta(m0[i], m1[i], mEvicted)
		}
	}

	top := s.net.Height(ctx)
	if err := s.fetchBlocks(ctx, 1, top); err != nil {
		s.fail("accounting: read blocks: %v", err)
		return a
	}
	inChain := map[string]where{}
	for h, b := range s.blocks {
		for i, hash := range b.hashes {
			if prev, dup := inChain[hash]; dup {
				s.fail("tx %s is in blocks %d and %d", hash, prev.h, h)
			}
			inChain[hash] = where{h, i, b.codes[i], b.spaces[i], b.logs[i]}
		}
	}
	pending := s.pendingAtEnd(ctx)
	if s.opts.KeepLogs {
		if err := s.dumpTxs(inChain, pending); err != nil {
			s.logf("dump txs: %v", err)
		}
	}

	ours := map[string]bool{}
	for _, ln := range s.lanes {
		for _, t := range ln.txs {
			a.Built++
			ours[t.hash] = true
			w, committed := inChain[t.hash]
			if !t.accepted.IsZero() {
				a.Accepted++
				if t.revived > 0 {
					a.Revived++
				}
			}
			switch {
			case committed && w.code == 0:
				a.CommittedOK++
			case committed:
				a.CommittedFailed[reason(w.space, w.code, w.log)]++
				if w.space == futureSpace && w.code == futureCode {
					a.AheadCauses[s.aheadCause(ln, t, w, inChain)]++
				}
				if t.phase < len(s.phases) && w.h > s.phases[t.phase].stopHeight {
					a.FailedInDrain++
				}
				if len(a.SampleFailed) < 5 {
					a.SampleFailed = append(a.SampleFailed, fmt.Sprintf("lane %d nonce %d phase %d at height %d[%d]: %s", t.lane, t.nonce, t.phase, w.h, w.index, w.log))
				}
			}
			if committed && t.accepted.IsZero() {
				a.CommittedUnacked++
			}
			if committed {
				continue
			}
			switch {
			case !t.accepted.IsZero() && pending[t.hash]:
				a.Pending++
			case !t.accepted.IsZero():
				a.Evicted++
				a.EvictedByNode[t.node]++
				a.EvictedLanes[t.lane]++
				if len(a.SampleDropped) < 5 {
					a.SampleDropped = append(a.SampleDropped, fmt.Sprintf("%s (lane %d nonce %d, node %s)", t.hash, t.lane, t.nonce, vals[t.node].Name))
				}
			case t.rejCode != 0:
				a.Rejected[reason(t.rejSpace, t.rejCode, t.rejLog)]++
			case t.rpcErr != "":
				a.RPCErrorAtStop++
			default:
				a.UnsentAtStop++
			}
		}
	}
	for hash := range inChain {
		if !ours[hash] && len(a.SampleUnchained) < 5 {
			a.SampleUnchained = append(a.SampleUnchained, hash)
		}
	}
	for i, n := range a.EvictedByNode {
		if excess := n - int(a.EvictedCounter[i]); excess > 0 {
			a.Missing += excess
		}
	}
	if a.Missing > 0 {
		s.fail("%d accepted transactions are in no block and no mempool beyond what the nodes counted as evicted (by node %v, counters %v), e.g. %v",
			a.Missing, a.EvictedByNode, a.EvictedCounter, a.SampleDropped)
	}
	if len(a.SampleUnchained) > 0 {
		s.fail("the chain carries transactions the bench did not send, e.g. %v", a.SampleUnchained)
	}
	return a
}

// dumpTxs writes every transaction's record (and where the chain has it)
// to OutDir/logs/<segment>/txs.tsv, for tracing one lane through the node
// logs.
func (s *segment) dumpTxs(inChain map[string]where, pending map[string]bool) error {
	dir := filepath.Join(s.opts.OutDir, "logs", fmt.Sprintf("round%d-%s", s.round, s.wl))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("lane\tnode\tnonce\tphase\thash\tfirst_try\taccepted\ttries\trevived\trefused\theight\tindex\tcode\tpending\trpc_error\n")
	for _, ln := range s.lanes {
		for _, t := range ln.txs {
			w, ok := inChain[t.hash]
			h, idx, code := int64(-1), -1, ""
			if ok {
				h, idx, code = w.h, w.index, reason(w.space, w.code, w.log)
			}
			fmt.Fprintf(&b, "%d\t%d\t%d\t%d\t%s\t%s\t%s\t%d\t%d\t%s\t%d\t%d\t%s\t%v\t%s\n", t.lane, t.node, t.nonce, t.phase, t.hash,
				stamp(t.firstTry), stamp(t.accepted), t.tries, t.revived, reason(t.rejSpace, t.rejCode, t.rejLog), h, idx, code, pending[t.hash], t.rpcErr)
		}
	}
	return os.WriteFile(filepath.Join(dir, "txs.tsv"), []byte(b.String()), 0o644)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("15:04:05.000")
}

// where a transaction is in the chain.
type where struct {
	h     int64
	index int
	code  uint32
	space string
	log   string
}

// aheadCause says where the lane's transaction for the nonce before t's
// was, when a block failed t as "nonce ahead".
func (s *segment) aheadCause(ln *lane, t *txRec, w where, inChain map[string]where) string {
	if t.nonce == 0 {
		return "first nonce"
	}
	var ok []where
	for _, o := range ln.txs {
		if o.nonce != t.nonce-1 {
			continue
		}
		pw, in := inChain[o.hash]
		switch {
		case !in:
		case pw.code != 0 && pw.h == w.h && pw.index < w.index:
			return "cascade: the nonce before it had failed earlier in the same block"
		case pw.code == 0:
			ok = append(ok, pw)
		}
	}
	if len(ok) == 0 {
		return "the nonce before it was in no block (dropped from the proposer's mempool)"
	}
	p := ok[0]
	switch {
	case p.h == w.h && p.index > w.index:
		return "root: the nonce before it came later in the same block (the proposer's mempool held them out of nonce order)"
	case p.h > w.h:
		return "root: the nonce before it came in a later block (the proposer's mempool lacked it)"
	default:
		return "the nonce before it had already succeeded (a second transaction for a nonce)"
	}
}

// pendingAtEnd lists what the validators' mempools still hold (up to the
// RPC's page of 100 each; a mempool that did not drain beyond that is a
// failure of its own).
func (s *segment) pendingAtEnd(ctx context.Context) map[string]bool {
	out := map[string]bool{}
	limit := 100
	for _, nd := range s.net.Validators() {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		r, err := nd.Client().UnconfirmedTxs(cctx, &limit)
		cancel()
		if err != nil {
			s.fail("%s: unconfirmed txs: %v", nd.Name, err)
			continue
		}
		if r.Total > r.Count {
			s.fail("%s still holds %d transactions after the drain; the accounting lists only %d", nd.Name, r.Total, r.Count)
		}
		for _, tx := range r.Txs {
			out[strings.ToUpper(hex.EncodeToString(tx.Hash()))] = true
		}
	}
	return out
}

// NodeCounters are one validator's CometBFT counters over a segment.
type NodeCounters struct {
	Name string
	// Mempool: CheckTx refusals of new txs (failed), refusals because the
	// mempool was full (rejected, incl. gossip), evictions at recheck,
	// rechecks, duplicates received.
	Failed, Rejected, Evicted, Rechecks, Already float64
	// Seconds in each ABCI method (CheckTx counts new and recheck).
	FinalizeBlock, Commit, CheckTx, PrepareProposal, ProcessProposal float64
	// Blocks processed and their total processing time (FinalizeBlock as
	// CometBFT's state package times it).
	Blocks, BlockSeconds float64
}

func nodeCounters(vals []*harness.Node, m0, m1 []metrics) []NodeCounters {
	var out []NodeCounters
	for i, nd := range vals {
		c := NodeCounters{Name: nd.Name}
		if m0[i] != nil && m1[i] != nil {
			a, b := m0[i], m1[i]
			c.Failed = delta(a, b, mFailed)
			c.Rejected = delta(a, b, mRejected)
			c.Evicted = delta(a, b, mEvicted)
			c.Rechecks = delta(a, b, mRecheck)
			c.Already = delta(a, b, mAlready)
			c.FinalizeBlock = delta(a, b, mABCITime, `method="finalize_block"`)
			c.Commit = delta(a, b, mABCITime, `method="commit"`)
			c.CheckTx = delta(a, b, mABCITime, `method="check_tx"`)
			c.PrepareProposal = delta(a, b, mABCITime, `method="prepare_proposal"`)
			c.ProcessProposal = delta(a, b, mABCITime, `method="process_proposal"`)
			c.Blocks = delta(a, b, mBlockCnt)
			c.BlockSeconds = delta(a, b, mBlockSum)
		}
		out = append(out, c)
	}
	return out
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]int) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
