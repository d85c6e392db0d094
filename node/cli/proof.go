package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
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
		Short: "Fetch a self-contained proof bundle (retirement, serial, account, batch, cancellation, total, gx-ets) from a node",
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
		newProofTotalCmd(sub),
		newProofGxCmd(sub),
	)
	return cmd
}

// newProofTotalCmd is `jcreditd proof total <measure> [--use] [--fiscal-year]
// [--account] …`: a statistic or an account total kept in state.
func newProofTotalCmd(sub func(string, string, func(context.Context, *proof.Builder, string) (*proof.Bundle, error)) *cobra.Command) *cobra.Command {
	var use, account, category, methodology, prefecture, status string
	var fy, vintage uint32
	cmd := sub("total <issued|locked|retired|cancelled|retirements|projects>",
		"Prove a statistic or an account's total kept in state (0 is proven by absence), e.g. total retired --use re100 --fiscal-year 2025",
		func(ctx context.Context, b *proof.Builder, measure string) (*proof.Bundle, error) {
			if strings.EqualFold(measure, "projects") {
				if use != "" || account != "" || category != "" || methodology != "" || prefecture != "" || fy != 0 || vintage != 0 {
					return nil, fmt.Errorf("projects are counted by --status only")
				}
				if status != "" {
					return b.Total(ctx, "projects,status="+status)
				}
				return b.Total(ctx, "projects")
			}
			if status != "" {
				return nil, fmt.Errorf("--status counts projects: total projects --status registered")
			}
			return b.Total(ctx, totalSubject(measure, account, category, vintage, methodology, prefecture, use, fy))
		})
	cmd.Long = `Prove one counter the registry keeps in state, present or absent (absent: 0):

  total retired --use re100 --fiscal-year 2025     retired for RE100 reports of FY2025
  total retired --fiscal-year 2025                 retired for FY2025, every use
  total retirements --fiscal-year 2025             retirement records of FY2025
  total retired --account <addr|number|key> --fiscal-year 2025 [--use re100]
                                                   retired for that account (its beneficiary
                                                   account, or itself when it named none)
  total issued --category RE | --vintage-year 2024 | --methodology EN-S-001 | --prefecture 26
  total cancelled                                  in total
  total projects --status registered               projects in a status (submitted, validated,
                                                   registered, rejected, terminated)
  total projects                                   projects in every status, each counted

Active credits are issued - locked - retired - cancelled: prove those.
"jcreditd verify" prints "AS OF state H (block time T): retired for use RE100 in FY2025 = N".`
	f := cmd.Flags()
	f.StringVar(&use, "use", "", "a use: re100, global-warming-act, carbon-offset, cdp, sbti, …")
	f.Uint32Var(&fy, "fiscal-year", 0, "reporting fiscal year (April to March)")
	f.StringVar(&account, "account", "", "the account retired for: address, number or key name (needs --fiscal-year)")
	f.StringVar(&category, "category", "", "category code: ES, RE, RH, IP, AG, WA, FO")
	f.Uint32Var(&vintage, "vintage-year", 0, "vintage year (the year the monitoring period starts)")
	f.StringVar(&methodology, "methodology", "", "methodology code, e.g. EN-S-001")
	f.StringVar(&prefecture, "prefecture", "", "JIS X 0401 prefecture code where the credits were created (01-47, or unknown)")
	f.StringVar(&status, "status", "", "with total projects: submitted, validated, registered, rejected or terminated")
	run := cmd.RunE
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if account != "" {
			a, err := resolveAccount(cmd, account)
			if err != nil {
				return fmt.Errorf("--account: %w", err)
			}
			account = a
		}
		return run(cmd, args)
	}
	return cmd
}

// totalSubject writes the flags as a total's subject (the builder
// resolves an account address and checks the combination).
func totalSubject(measure, account, category string, vintage uint32, methodology, prefecture, use string, fy uint32) string {
	parts := []string{strings.ToLower(measure)}
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, name+"="+v)
		}
	}
	add("account", account)
	add("category", category)
	if vintage != 0 {
		add("vintage_year", strconv.FormatUint(uint64(vintage), 10))
	}
	add("methodology", methodology)
	add("prefecture", prefecture)
	add("use", use)
	if fy != 0 {
		add("fiscal_year", strconv.FormatUint(uint64(fy), 10))
	}
	return strings.Join(parts, ",")
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
