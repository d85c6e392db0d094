package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
)

func newStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show the node's chain, latest block and validator",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := newClient(cmd)
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), 10*time.Second)
			defer cancel()
			st, err := c.Status(ctx)
			if err != nil {
				return fmt.Errorf("node %s: %w", c.RPC.Remote(), err)
			}
			return emit(cmd, st, func(w io.Writer) {
				fmt.Fprintf(w, "chain id:      %s\n", st.NodeInfo.Network)
				fmt.Fprintf(w, "moniker:       %s\n", st.NodeInfo.Moniker)
				fmt.Fprintf(w, "node id:       %s\n", st.NodeInfo.ID())
				fmt.Fprintf(w, "latest block:  %d at %s\n", st.SyncInfo.LatestBlockHeight, st.SyncInfo.LatestBlockTime.UTC().Format(time.RFC3339))
				fmt.Fprintf(w, "block hash:    %s\n", st.SyncInfo.LatestBlockHash)
				fmt.Fprintf(w, "app hash:      %s (state after block %d)\n", st.SyncInfo.LatestAppHash, st.SyncInfo.LatestBlockHeight)
				fmt.Fprintf(w, "catching up:   %v\n", st.SyncInfo.CatchingUp)
				fmt.Fprintf(w, "validator:     %s (voting power %d)\n", st.ValidatorInfo.Address, st.ValidatorInfo.VotingPower)
			})
		},
	}
}
