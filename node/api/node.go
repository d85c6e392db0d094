package api

import (
	rpclocal "github.com/cometbft/cometbft/rpc/client/local"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/proof"
)

// StartForNode serves the API of a started node on laddr and returns the
// server and the address it listens on. Queries go to the node's app;
// headers and validator sets come from its CometBFT, in process, and so
// does the live feed (its event bus). publicHoldings is app.toml's [api]
// public_holdings (visibility.go).
func StartForNode(n *node.Node, laddr string, publicHoldings bool) (*Server, string, error) {
	s := New(n.App, proof.RPCSource{Client: rpclocal.New(n.Comet)})
	s.PublicHoldings = publicHoldings
	if err := s.AttachFeed(n.Comet.EventBus(), DefaultFeedLimits); err != nil {
		return nil, "", err
	}
	addr, err := s.Start(laddr)
	if err != nil {
		return nil, "", err
	}
	return s, addr, nil
}
