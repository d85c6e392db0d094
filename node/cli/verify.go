package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node/proof"
)

// NewVerifyCmd is `jcreditd verify proof.json --trust ...`: fully offline.
// It exits 0 only when every step passes; otherwise it names the step that
// failed and why.
func NewVerifyCmd() *cobra.Command {
	var trustArg, output, chainID string
	cmd := &cobra.Command{
		Use:   "verify <proof.json|->",
		Short: "Verify a proof bundle offline against a trusted validator set",
		Long: `Verify a proof bundle without any network access. --trust is the root of trust:
a genesis.json, a validators JSON file (e.g. a saved /validators answer), or the
validator-set hash in hex. Steps: format, header, validators, commit, trust,
proof, record; on failure the failing step is named and the exit code is 1.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if trustArg == "" {
				return fmt.Errorf("--trust is required: a genesis.json, a validators file, or a validator-set hash")
			}
			trust, err := loadTrust(trustArg)
			if err != nil {
				return err
			}
			// The same validators may sign several chains (a test network):
			// a genesis file pins the chain id; otherwise --chain-id does.
			if chainID != "" {
				if trust.ChainID != "" && trust.ChainID != chainID {
					return fmt.Errorf("--chain-id %s contradicts the genesis file's %s", chainID, trust.ChainID)
				}
				trust.ChainID = chainID
			}
			raw, err := readArg(cmd, args[0])
			if err != nil {
				return err
			}
			res, err := proof.VerifyJSON(raw, trust)
			if err != nil {
				cmd.SilenceUsage = true
				return fmt.Errorf("NOT VERIFIED: %w", err)
			}
			out := cmd.OutOrStdout()
			if output == "json" {
				return json.NewEncoder(out).Encode(res)
			}
			what := "is absent"
			if res.Exists {
				what = "is proven"
			}
			fmt.Fprintf(out, "VERIFIED: %s %s %s in state %d of chain %s\n", res.Kind, res.Subject, what, res.Height, res.ChainID)
			fmt.Fprintf(out, "  block %d at %s, app hash %X\n", res.BlockHeight, res.BlockTime.UTC().Format("2006-01-02 15:04:05 MST"), res.AppHash)
			fmt.Fprintf(out, "  signed by validator set %X", res.ValidatorsHash)
			if res.ChainLength > 0 {
				fmt.Fprintf(out, " (reached from the trusted set through %d headers)", res.ChainLength)
			}
			fmt.Fprintln(out)
			if len(res.Record) > 0 {
				var buf bytes.Buffer
				if json.Indent(&buf, res.Record, "  ", "  ") == nil {
					fmt.Fprintf(out, "  record: %s\n", buf.String())
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&trustArg, "trust", "", "trust root: genesis.json, validators.json, or a validator-set hash (hex)")
	cmd.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	cmd.Flags().StringVar(&chainID, "chain-id", "", "require this chain id (implied by a genesis.json trust root)")
	return cmd
}

// loadTrust reads --trust: a file, or the hash itself.
func loadTrust(arg string) (*proof.Trust, error) {
	if raw, err := os.ReadFile(arg); err == nil {
		return proof.ParseTrust(raw)
	} else if !os.IsNotExist(err) || strings.ContainsAny(arg, "/.") {
		return nil, fmt.Errorf("--trust %s: %w", arg, err)
	}
	return proof.ParseTrust([]byte(arg))
}

func readArg(cmd *cobra.Command, arg string) ([]byte, error) {
	if arg == "-" {
		return io.ReadAll(cmd.InOrStdin())
	}
	return os.ReadFile(arg)
}
