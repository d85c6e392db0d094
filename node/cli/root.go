// Package cli is the jcreditd command line: one file per subcommand, each
// a thin layer over package node (running a node, writing homes), package
// node/client (talking to a node) and package node/keys (account keys).
//
// Conventions every command follows: --home (default ~/.jcredit) is the
// node home and key store; --node is the RPC address of the node to talk
// to; --output text|json picks human or machine output (JSON goes to
// stdout, one document per command); errors go to stderr with a non-zero
// exit status, and say what to do about them.
package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/testnet"
)

// Flag names shared by several commands.
const (
	flagHome    = "home"
	flagOutput  = "output"
	flagNode    = "node"
	flagChainID = "chain-id"
	flagKeysDir = "keystore"
)

// Output formats.
const (
	OutputText = "text"
	OutputJSON = "json"
)

// EnvHome overrides the default home directory.
const EnvHome = "JCREDIT_HOME"

// EnvNode names the node to talk to when --node is not given.
const EnvNode = "JCREDIT_NODE"

// DefaultHome is $JCREDIT_HOME, or ~/.jcredit.
func DefaultHome() string {
	if h := os.Getenv(EnvHome); h != "" {
		return h
	}
	dir, err := os.UserHomeDir()
	if err != nil {
		return ".jcredit"
	}
	return filepath.Join(dir, ".jcredit")
}

// NewRootCmd returns the jcreditd command with every subcommand. Each call
// builds a fresh tree, so tests can run commands in-process.
func NewRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "jcreditd",
		Short: "jcredit: a permissioned blockchain registry for Japan's J-Credit carbon credits",
		Long: `jcreditd runs a jcredit node (CometBFT with the jcredit application in one
process) and is the command-line client for it: keys, signed transactions,
queries with Merkle proofs.

Start a single local node:
  jcreditd init my-node --chain-id jcredit-local-1
  jcreditd keys add secretariat
  jcreditd genesis add-account secretariat --name "J-Credit System Secretariat" --kind corporation --country JP --roles secretariat
  jcreditd start`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.String(flagHome, DefaultHome(), "node home: config, data and keys (env "+EnvHome+")")
	pf.StringP(flagOutput, "o", OutputText, "output format: text or json")
	pf.String(flagNode, client.DefaultNode, "CometBFT RPC address of the node to talk to (default: $"+EnvNode+
		", else the home's network.json (a local network's directory) or config.toml (a node home), else "+client.DefaultNode+")")
	pf.String(flagChainID, "", "chain id (init: the new chain's; tx: checked against the node's, asked from the node if empty)")
	pf.String(flagKeysDir, "", "directory of keystore files (default <home>/keys); any go-ethereum keystore directory works, keys are then found by address")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		switch out, _ := cmd.Flags().GetString(flagOutput); out {
		case OutputText, OutputJSON:
			return nil
		default:
			return fmt.Errorf("--output %q: use text or json", out)
		}
	}

	root.AddCommand(
		newInitCmd(),
		newGenesisCmd(),
		newStartCmd(),
		newKeysCmd(),
		newTxCmd(),
		newQueryCmd(),
		newExportCmd(),
		newStatusCmd(),
		newVersionCmd(),
		NewProofCmd(),
		NewVerifyCmd(),
		newTestnetCmd(),
		// Further top-level commands (e.g. testnet) are added here, one
		// line each.
	)
	return root
}

func homeDir(cmd *cobra.Command) string {
	h, _ := cmd.Flags().GetString(flagHome)
	return h
}

func newClient(cmd *cobra.Command) (*client.Client, error) {
	url, _ := nodeAddress(cmd)
	return client.New(url)
}

// nodeAddress finds the node to talk to, and says where from: --node if
// given; else $JCREDIT_NODE; else, if --home is a local network's
// directory (jcreditd testnet, make localnet-start: .localnet), the RPC of
// its network.json's first node; else, if --home is a node home, the RPC
// address its config.toml listens on; else the default, this machine's
// port 26657. So `--home .localnet` alone reaches the local network.
func nodeAddress(cmd *cobra.Command) (url, from string) {
	if f := cmd.Flags().Lookup(flagNode); f != nil && f.Changed {
		return f.Value.String(), "--node"
	}
	if v := os.Getenv(EnvNode); v != "" {
		return v, "$" + EnvNode
	}
	home := homeDir(cmd)
	if home != "" {
		if m, err := testnet.LoadManifest(home); err == nil && len(m.Nodes) > 0 {
			return m.Nodes[0].RPC(), filepath.Join(home, testnet.ManifestFile)
		}
		if _, err := os.Stat(node.ConfigFile(home)); err == nil {
			if c, err := node.LoadConfig(home); err == nil && c.RPC.ListenAddress != "" {
				return node.RPCURL(c.RPC.ListenAddress), node.ConfigFile(home)
			}
		}
	}
	return client.DefaultNode, "the default"
}
