package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node/testnet"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

func newTestnetCmd() *cobra.Command {
	var (
		c          = testnet.DefaultConfig("")
		hostnames  string
		holders    int
		timeoutStr string
	)
	cmd := &cobra.Command{
		Use:   "testnet --output-dir DIR",
		Short: "Generate a ready-to-run network: validator homes for METI, MOE, MAFF, the secretariat and providers",
		Long: `Generate the homes of a complete test network in DIR, one per node: validators
for METI, MOE and MAFF (ministry role) and the J-Credit System Secretariat
(secretariat role), one node per provider (validators with
--provider-validators, the default, else full nodes), optional extra full
nodes; a shared genesis with every organisation's account, role and
validator key; persistent-peer wiring; and each node's ports.

Addresses: --starting-ip gives node i the address starting-ip+i with the
standard ports (the localnet uses 127.0.0.2, 127.0.0.3, ... on loopback);
--hostnames names each node's host (docker compose service names, with
--listen-all); otherwise every node is on --host with ports counted up by
--port-step.

DIR/network.json lists the nodes and their addresses. DIR/keys holds every
genesis account's keystore file (passphrase "` + testnet.DefaultKeyPassphrase + `" unless
--key-passphrase), so --home DIR can sign as any of them. DIR/dev-keys.json
has the same keys IN CLEAR for load generators: a test network only.

Start each node with: jcreditd start --home DIR/<node>`,
		Example: `  jcreditd testnet --output-dir ./localnet --starting-ip 127.0.0.2
  jcreditd testnet --output-dir ./net --providers 2 --provider-validators=false --full-nodes 1
  jcreditd testnet --output-dir ./compose --hostnames meti,moe,maff,secretariat,provider1 --listen-all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if c.OutputDir == "" {
				return fmt.Errorf("--output-dir is required: the directory to write the network to")
			}
			if chain, _ := cmd.Flags().GetString(flagChainID); chain != "" {
				c.ChainID = chain
			}
			if hostnames != "" {
				c.Hostnames = strings.Split(hostnames, ",")
			}
			if timeoutStr != "" {
				d, err := time.ParseDuration(timeoutStr)
				if err != nil {
					return fmt.Errorf("--timeout-commit: %w", err)
				}
				c.TimeoutCommit = d
			}
			for i := 1; i <= holders; i++ {
				c.Users = append(c.Users, testnet.User{Name: fmt.Sprintf("holder%d", i), Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER}})
			}
			m, err := testnet.Generate(c)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if o, _ := cmd.Flags().GetString(flagOutput); o == OutputJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(m)
			}
			fmt.Fprintf(out, "Generated chain %s in %s (%d nodes):\n\n", m.ChainID, c.OutputDir, len(m.Nodes))
			tw := tabwriter.NewWriter(out, 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "NODE\tROLE\tP2P\tRPC\tAPI")
			for _, n := range m.Nodes {
				role := "full node"
				if n.Validator {
					role = "validator"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s:%d\t%s\t%s\n", n.Name, role, n.Host, n.P2PPort, n.RPC(), n.API())
			}
			tw.Flush()
			fmt.Fprintf(out, "\nStart a node:  jcreditd start --home %s/<node>\nSign as any genesis account:  JCREDIT_PASSPHRASE=%s jcreditd tx ... --home %s --from <account>\n",
				c.OutputDir, c.KeyPassphrase, c.OutputDir)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.OutputDir, "output-dir", "", "directory to write the network to (must not hold one already)")
	f.IntVar(&c.Providers, "providers", c.Providers, "number of provider organisations, each with a node and a provider account")
	f.BoolVar(&c.ProviderValidators, "provider-validators", c.ProviderValidators, "make the provider nodes validators (else full nodes)")
	f.IntVar(&c.FullNodes, "full-nodes", 0, "extra full nodes with no organisation")
	f.IntVar(&holders, "holders", 0, "extra genesis accounts holder1..N with the holder role")
	f.StringVar(&c.StartIP, "starting-ip", "", "give node i the IPv4 address starting-ip+i with the standard ports")
	f.StringVar(&hostnames, "hostnames", "", "comma-separated host name of each node, in order (meti,moe,maff,secretariat,provider1,...)")
	f.StringVar(&c.Host, "host", c.Host, "the shared host when neither --starting-ip nor --hostnames is given")
	f.IntVar(&c.PortStep, "port-step", c.PortStep, "port increment per node on a shared host")
	f.IntVar(&c.P2PPort, "p2p-port", c.P2PPort, "P2P port (of the first node on a shared host)")
	f.IntVar(&c.RPCPort, "rpc-port", c.RPCPort, "CometBFT RPC port (of the first node on a shared host)")
	f.IntVar(&c.APIPort, "api-port", c.APIPort, "public HTTP API port (of the first node on a shared host)")
	f.BoolVar(&c.ListenAll, "listen-all", false, "listen on 0.0.0.0 (containers) instead of the node's own address")
	f.Uint64Var(&c.SnapshotInterval, "snapshot-interval", 100, "offer a state-sync snapshot every N blocks (0: none)")
	f.StringVar(&c.KeyPassphrase, "key-passphrase", c.KeyPassphrase, "passphrase of the generated keystore files")
	f.StringVar(&timeoutStr, "timeout-commit", "", "pause after each block (default "+c.TimeoutCommit.String()+")")
	f.StringVar(&c.LogLevel, "log-level", c.LogLevel, "nodes' log level")
	return cmd
}
