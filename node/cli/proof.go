package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/proof"
)

// NewProofCmd is `jcreditd proof`: fetch a proof bundle from any node and
// write it to stdout (redirect it to a file and give it to anyone).
func NewProofCmd() *cobra.Command {
	var trustHeight int64
	cmd := &cobra.Command{
		Use:   "proof",
		Short: "Fetch a self-contained proof bundle (retirement, serial, account, batch, cancellation, gx-ets) from a node",
		Long: `Fetch a proof bundle (format ` + proof.Format + `) that anyone can check offline with
"jcreditd verify --trust <genesis.json|validators.json|hash>", trusting only the
validators, not the node that answered. See node/proof/FORMAT.md.`,
	}
	cmd.PersistentFlags().String(flagNode, client.DefaultNode, "CometBFT RPC address of any node of the chain (default: $"+EnvNode+", the home's network.json or config.toml)")
	cmd.PersistentFlags().Int64Var(&trustHeight, "trust-height", 1,
		"block whose validator set the verifier trusts (1: genesis); a header chain from it is included when the set has changed")

	sub := func(use, short string, build func(context.Context, *proof.Builder, string) (*proof.Bundle, error)) *cobra.Command {
		return &cobra.Command{
			Use:   use,
			Short: short,
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				c, err := newClient(cmd)
				if err != nil {
					return err
				}
				ctx, cancel := context.WithTimeout(cmd.Context(), 2*time.Minute)
				defer cancel()
				b := &proof.Builder{Source: proof.RPCSource{Client: c.RPC}, TrustHeight: trustHeight}
				bd, err := build(ctx, b, args[0])
				if err != nil {
					return err
				}
				raw, err := bd.Marshal()
				if err != nil {
					return err
				}
				_, err = fmt.Fprintln(cmd.OutOrStdout(), string(raw))
				return err
			},
		}
	}
	cmd.AddCommand(
		sub("retirement <id>", "Prove a retirement record (e.g. JCR-00000001), or that no retirement has that id",
			func(ctx context.Context, b *proof.Builder, id string) (*proof.Bundle, error) {
				return b.Retirement(ctx, id)
			}),
		sub("serial <serial>", "Prove the state of one credit: its range, owner, status, retirement (or that it was never issued)",
			func(ctx context.Context, b *proof.Builder, s string) (*proof.Bundle, error) { return b.Serial(ctx, s) }),
		sub("account <address|number>", "Prove an account's public record (or its absence)",
			func(ctx context.Context, b *proof.Builder, a string) (*proof.Bundle, error) { return b.Account(ctx, a) }),
		sub("batch <batch id>", "Prove a batch and its supply counters (e.g. JC-00000001), or its absence",
			func(ctx context.Context, b *proof.Builder, id string) (*proof.Bundle, error) { return b.Batch(ctx, id) }),
		sub("cancellation <id>", "Prove a cancellation record (e.g. JCX-00000001), or that no cancellation has that id",
			func(ctx context.Context, b *proof.Builder, id string) (*proof.Bundle, error) {
				return b.Cancellation(ctx, id)
			}),
		newProofGxCmd(sub),
	)
	return cmd
}

// newProofGxCmd is "proof gx-ets <operator> --fiscal-year Y": the
// operator's verified emissions, cap and GX-ETS retirements of the year.
func newProofGxCmd(sub func(string, string, func(context.Context, *proof.Builder, string) (*proof.Bundle, error)) *cobra.Command) *cobra.Command {
	var fy uint32
	var cmd *cobra.Command
	cmd = sub("gx-ets <operator address|number|key name>", "Prove a GX-ETS operator's compliance use of a fiscal year: verified emissions, cap, total retired and every retirement record",
		func(ctx context.Context, b *proof.Builder, op string) (*proof.Bundle, error) {
			if fy == 0 {
				return nil, fmt.Errorf("--fiscal-year is required")
			}
			acct, err := resolveAccount(cmd, op)
			if err != nil {
				return nil, err
			}
			return b.GxEtsFor(ctx, acct, fy)
		})
	cmd.Flags().Uint32Var(&fy, "fiscal-year", 0, "the compliance fiscal year (April-March), e.g. 2026")
	return cmd
}
