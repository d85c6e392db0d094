package harness

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	cfg "github.com/cometbft/cometbft/config"

	"github.com/jcredit/jcredit/node"
)

// EnableStateSync rewrites the (stopped) node's config.toml so that on its
// next start it joins by state sync: it trusts the block hash that the
// given servers agree on at a recent height, fetches a snapshot from its
// peers and verifies it with a light client against servers' headers.
func (nd *Node) EnableStateSync(ctx context.Context, servers ...*Node) error {
	if len(servers) < 2 {
		return fmt.Errorf("state sync needs two RPC servers for its light client")
	}
	h, err := servers[0].Height(ctx)
	if err != nil {
		return err
	}
	trustHeight := max(h-2, 1)
	hh := trustHeight
	var hash string
	for _, s := range servers {
		b, err := s.Client().Block(ctx, &hh)
		if err != nil {
			return fmt.Errorf("%s: block %d: %w", s.Name, hh, err)
		}
		got := b.BlockID.Hash.String()
		if hash != "" && got != hash {
			return fmt.Errorf("servers disagree on block %d", hh)
		}
		hash = got
	}
	c, err := node.LoadConfig(nd.Home)
	if err != nil {
		return err
	}
	c.StateSync.Enable = true
	c.StateSync.TrustHeight = trustHeight
	c.StateSync.TrustHash = hash
	c.StateSync.TrustPeriod = 168 * time.Hour
	c.StateSync.DiscoveryTime = 5 * time.Second
	c.StateSync.RPCServers = nil
	for _, s := range servers {
		c.StateSync.RPCServers = append(c.StateSync.RPCServers, s.RPC())
	}
	cfg.WriteConfigFile(filepath.Join(nd.Home, "config", "config.toml"), c)
	return nil
}

// Base is the lowest height the node has blocks for (1 unless it was
// restored from a snapshot).
func (nd *Node) Base(ctx context.Context) (int64, error) {
	st, err := nd.Client().Status(ctx)
	if err != nil {
		return 0, err
	}
	return st.SyncInfo.EarliestBlockHeight, nil
}

// RestoredFromSnapshot reports whether the node's log shows a state-sync
// restore, and the line that says so.
func (nd *Node) RestoredFromSnapshot() (bool, string) {
	for _, l := range strings.Split(nd.LogTail(5000), "\n") {
		if strings.Contains(l, "Snapshot restored") {
			return true, l
		}
	}
	return false, ""
}
