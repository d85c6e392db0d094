package api

import (
	"context"
	"fmt"

	rpclocal "github.com/cometbft/cometbft/rpc/client/local"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/proof"
)

// StartForNode serves the API of a started node on laddr and returns the
// server and the address it listens on. Queries go to the node's app;
// headers and validator sets come from its CometBFT, in process, and so
// does the live feed (its event bus, and its stored block results for
// replay). publicHoldings is app.toml's [api] public_holdings
// (visibility.go).
func StartForNode(n *node.Node, laddr string, publicHoldings bool) (*Server, string, error) {
	return StartForNodeFeed(n, laddr, publicHoldings, DefaultFeedLimits)
}

// StartForNodeFeed is StartForNode with the live feed's limits.
func StartForNodeFeed(n *node.Node, laddr string, publicHoldings bool, l FeedLimits) (*Server, string, error) {
	local := rpclocal.New(n.Comet)
	s := New(n.App, proof.RPCSource{Client: local})
	s.PublicHoldings = publicHoldings
	if err := s.AttachFeed(n.Comet.EventBus(), l, NodeHistory{Client: local, App: n.App}); err != nil {
		return nil, "", err
	}
	addr, err := s.Start(laddr)
	if err != nil {
		return nil, "", err
	}
	return s, addr, nil
}

// NodeHistory is a node's FeedHistory: the app's committed height, and
// each block's transactions and their stored FinalizeBlock results.
type NodeHistory struct {
	Client *rpclocal.Local
	App    *app.App
}

// Committed is the app's latest committed height: CometBFT stored that
// block's results before the app committed it.
func (h NodeHistory) Committed() int64 { return h.App.LastHeight() }

// EventsAt reads block height's results (and, if it has transactions, the
// block, for their hashes) and returns the feed's events of it.
func (h NodeHistory) EventsAt(ctx context.Context, height int64) ([]FeedEvent, error) {
	res, err := h.Client.BlockResults(ctx, &height)
	if err != nil {
		return nil, fmt.Errorf("results of block %d: %w", height, err)
	}
	if len(res.TxResults) == 0 {
		return nil, nil
	}
	blk, err := h.Client.Block(ctx, &height)
	if err != nil {
		return nil, fmt.Errorf("block %d: %w", height, err)
	}
	if blk.Block == nil || len(blk.Block.Txs) != len(res.TxResults) {
		return nil, fmt.Errorf("block %d: its transactions do not match its results", height)
	}
	var out []FeedEvent
	for i, r := range res.TxResults {
		out = append(out, FeedEvents(height, uint32(i), blk.Block.Txs[i], r)...)
	}
	return out, nil
}
