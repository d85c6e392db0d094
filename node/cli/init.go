package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node"
)

func newInitCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "init <moniker> --chain-id <id>",
		Short: "Create a node home for a new single-validator chain",
		Long: `Create a node home (--home): CometBFT's config.toml, a node key, a validator key,
and a genesis with this node as the only validator and no accounts yet.
Add accounts with "jcreditd genesis add-account" before the first "start".`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			chainID, _ := cmd.Flags().GetString(flagChainID)
			if chainID == "" {
				return fmt.Errorf("--chain-id is required, for example --chain-id jcredit-local-1")
			}
			info, err := node.InitHome(homeDir(cmd), args[0], chainID)
			if err != nil {
				return err
			}
			out := map[string]any{
				"home": info.Home, "moniker": info.Moniker, "chain_id": info.ChainID, "node_id": info.NodeID,
				"validator_address": info.Validator.Address().String(),
			}
			return emit(cmd, out, func(w io.Writer) {
				fmt.Fprintf(w, "initialised node %q for chain %s in %s\n", info.Moniker, info.ChainID, info.Home)
				fmt.Fprintf(w, "  node id:   %s\n", info.NodeID)
				fmt.Fprintf(w, "  validator: %s\n", info.Validator.Address())
				fmt.Fprintln(w, "next: add genesis accounts (jcreditd genesis add-account ...), then jcreditd start")
			})
		},
	}
}
