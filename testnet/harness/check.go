package harness

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/jcredit/jcredit/app/tx"
)

// BlockInfo is what every node must agree on at a height.
type BlockInfo struct {
	Hash    []byte
	AppHash []byte // the app hash after height-1, carried in this header
	NumTxs  int
}

// Chain is the agreed chain as the check saw it.
type Chain struct {
	// Height is the highest height every checked node had.
	Height int64
	Blocks map[int64]BlockInfo
	// Nodes lists the nodes compared and, for each, the range checked.
	Nodes []string
	// TxHeights maps every transaction hash in the chain to the heights of
	// the blocks that contain it (more than one is a violation).
	TxHeights map[string][]int64
	// TxCodes maps a transaction hash to its execution result code.
	TxCodes map[string]uint32
	// Applied maps signer/nonce to the hashes applied successfully with it
	// (more than one is a violation).
	Applied map[string][]string
}

// CheckChain compares, on every running usable node, the block hash and
// the app hash at every height the node has (a node restored by state sync
// starts at its snapshot), up to the lowest latest height among them; then
// reads every transaction of the chain and its result from a node with the
// full history. It fails on any disagreement, on a transaction included
// twice, and on a signer's nonce applied twice.
func (n *Network) CheckChain(ctx context.Context) (*Chain, error) {
	return CheckNodes(ctx, n.Live())
}

// CheckNodes is CheckChain over the given nodes, which need only answer
// RPC: nodes this harness did not start (the docker compose network's
// containers, as &Node{Node: spec}) are checked the same way.
func CheckNodes(ctx context.Context, nodes []*Node) (*Chain, error) {
	if len(nodes) == 0 {
		return nil, fmt.Errorf("no usable node to check")
	}
	type span struct{ base, top int64 }
	spans := map[*Node]span{}
	top := int64(-1)
	for _, nd := range nodes {
		st, err := nd.Client().Status(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: status: %w", nd.Name, err)
		}
		s := span{base: st.SyncInfo.EarliestBlockHeight, top: st.SyncInfo.LatestBlockHeight}
		spans[nd] = s
		if top < 0 || s.top < top {
			top = s.top
		}
	}
	c := &Chain{Height: top, Blocks: map[int64]BlockInfo{}, TxHeights: map[string][]int64{}, TxCodes: map[string]uint32{}, Applied: map[string][]string{}}
	owner := map[int64]string{}
	var full *Node
	for _, nd := range nodes {
		s := spans[nd]
		if s.base <= 1 && full == nil {
			full = nd
		}
		c.Nodes = append(c.Nodes, fmt.Sprintf("%s[%d..%d]", nd.Name, s.base, top))
		for lo := s.base; lo <= top; lo += 20 {
			hi := min(lo+19, top)
			res, err := nd.Client().BlockchainInfo(ctx, lo, hi)
			if err != nil {
				return nil, fmt.Errorf("%s: blockchain %d..%d: %w", nd.Name, lo, hi, err)
			}
			for _, meta := range res.BlockMetas {
				h := meta.Header.Height
				got := BlockInfo{Hash: meta.BlockID.Hash, AppHash: meta.Header.AppHash, NumTxs: meta.NumTxs}
				want, ok := c.Blocks[h]
				if !ok {
					c.Blocks[h], owner[h] = got, nd.Name
					continue
				}
				if !bytes.Equal(want.Hash, got.Hash) || !bytes.Equal(want.AppHash, got.AppHash) {
					return nil, fmt.Errorf("FORK at height %d: %s has block %X (app hash %X), %s has block %X (app hash %X)",
						h, owner[h], want.Hash, want.AppHash, nd.Name, got.Hash, got.AppHash)
				}
			}
		}
	}
	for h := int64(1); h <= top; h++ {
		if _, ok := c.Blocks[h]; !ok && full != nil {
			return nil, fmt.Errorf("height %d missing from %s's answer", h, full.Name)
		}
	}
	if full == nil {
		return c, fmt.Errorf("no usable node has the full history to read transactions from")
	}
	for h := int64(1); h <= top; h++ {
		if c.Blocks[h].NumTxs == 0 {
			continue
		}
		hh := h
		blk, err := full.Client().Block(ctx, &hh)
		if err != nil {
			return nil, fmt.Errorf("%s: block %d: %w", full.Name, h, err)
		}
		results, err := full.Client().BlockResults(ctx, &hh)
		if err != nil {
			return nil, fmt.Errorf("%s: block results %d: %w", full.Name, h, err)
		}
		if len(results.TxResults) != len(blk.Block.Txs) {
			return nil, fmt.Errorf("height %d: %d txs but %d results", h, len(blk.Block.Txs), len(results.TxResults))
		}
		for i, raw := range blk.Block.Txs {
			hash := strings.ToUpper(hex.EncodeToString(tx.Hash(raw)))
			c.TxHeights[hash] = append(c.TxHeights[hash], h)
			code := results.TxResults[i].Code
			c.TxCodes[hash] = code
			if code != 0 {
				continue
			}
			d, err := tx.Decode(raw)
			if err != nil {
				return nil, fmt.Errorf("height %d: tx %s succeeded but does not decode: %v", h, hash, err)
			}
			k := fmt.Sprintf("%s/%d", d.Signer.Hex(), d.Body.Nonce)
			c.Applied[k] = append(c.Applied[k], hash)
		}
	}
	for hash, hs := range c.TxHeights {
		if len(hs) > 1 {
			return nil, fmt.Errorf("tx %s is in the chain %d times (heights %v)", hash, len(hs), hs)
		}
	}
	for k, hashes := range c.Applied {
		if len(hashes) > 1 {
			return nil, fmt.Errorf("signer/nonce %s applied %d times: %v", k, len(hashes), hashes)
		}
	}
	return c, nil
}

// TxTotals sums the chain's transactions.
func (c *Chain) TxTotals() (total, ok int) {
	for h, code := range c.TxCodes {
		total += len(c.TxHeights[h])
		if code == 0 {
			ok++
		}
	}
	return total, ok
}

// Report is the outcome of a load against the chain.
type Report struct {
	Stats
	// InChain counts sent transactions found in the chain.
	InChain   int
	InChainOK int
	// Dropped lists transactions CheckTx accepted that are not in the
	// chain: none may be silently lost, so each is named here.
	Dropped []*TrackedTx
	// LateOrUnseen counts accepted transactions in the chain that the load
	// itself had not seen (it gave up waiting, or stopped).
	LateOrUnseen int
}

func (r Report) String() string {
	return fmt.Sprintf("%s | in chain %d (%d succeeded), accepted-but-dropped %d, committed after the load stopped watching %d",
		r.Stats, r.InChain, r.InChainOK, len(r.Dropped), r.LateOrUnseen)
}

// Account reconciles the load's records with the chain: every transaction
// CheckTx accepted (or whose fate the load could not learn) is looked up
// in the chain; what the load saw committed must be there, at the height
// it saw.
func (l *Load) Account(c *Chain) (Report, error) {
	r := Report{Stats: l.Stats()}
	for _, t := range l.Txs() {
		hs := c.TxHeights[t.Hash]
		if len(hs) == 1 {
			r.InChain++
			if c.TxCodes[t.Hash] == 0 {
				r.InChainOK++
			}
			if !t.Seen {
				r.LateOrUnseen++
			} else if t.Height != hs[0] || t.ExecCode != c.TxCodes[t.Hash] {
				return r, fmt.Errorf("tx %s: the load saw it at height %d code %d, the chain has it at %d code %d",
					t.Hash, t.Height, t.ExecCode, hs[0], c.TxCodes[t.Hash])
			}
			continue
		}
		if t.Seen && t.Height <= c.Height {
			return r, fmt.Errorf("tx %s was reported committed at height %d but is not in the chain", t.Hash, t.Height)
		}
		if t.Accepted {
			r.Dropped = append(r.Dropped, t)
		}
	}
	return r, nil
}

// OK returns the tracked transactions that succeeded in the chain.
func (l *Load) OK(c *Chain) []*TrackedTx {
	var out []*TrackedTx
	for _, t := range l.Txs() {
		if len(c.TxHeights[t.Hash]) == 1 && c.TxCodes[t.Hash] == 0 {
			out = append(out, t)
		}
	}
	return out
}

// Verify runs the workload's own checks on every usable node.
func (l *Load) Verify(ctx context.Context, c *Chain) error {
	ok := l.OK(c)
	for _, nd := range l.net.Live() {
		if err := l.wl.Verify(ctx, nd, ok); err != nil {
			return err
		}
	}
	return nil
}

// CheckAll stops nothing: it waits until every running node has the
// current height, checks the chain, reconciles the load (if any) and runs
// its workload checks, failing the test on any violation. It returns the
// chain and the load report.
func (n *Network) CheckAll(l *Load) (*Chain, Report) {
	n.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	h := n.Height(ctx)
	if err := n.WaitAllAt(ctx, h); err != nil {
		n.T.Fatalf("catch up: %v", err)
	}
	c, err := n.CheckChain(ctx)
	if err != nil {
		n.T.Fatalf("chain check: %v", err)
	}
	var r Report
	if l != nil {
		r, err = l.Account(c)
		if err != nil {
			n.T.Fatalf("tx accounting: %v", err)
		}
		for _, t := range r.Dropped {
			n.T.Logf("DROPPED: tx %s (signer %s nonce %d) was accepted by CheckTx and is not in the chain (resent %d times)", t.Hash, t.Signer, t.Nonce, t.Resends)
		}
		if err := l.Verify(ctx, c); err != nil {
			n.T.Fatalf("workload check: %v", err)
		}
	}
	return c, r
}
