package cli

import (
	"github.com/spf13/cobra"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// GX-ETS: operators and their verified emissions (x/accounts), the cap
// share (a ministry-quorum proposal), the operators' totals (x/credits).

func newTxAccountsGxOperatorCmd() *cobra.Command {
	var (
		corp, doc string
		fy        uint32
		verified  uint64
	)
	cmd := &cobra.Command{
		Use:   "gx-operator <address|key name>",
		Short: "Mark an account as a GX-ETS operator with its corporate number and record its verified emissions of a fiscal year (signer: a ministry)",
		Long: `Mark an active account as a GX-ETS operator (an emitter of 100 kt CO2 a year or
more) with its 13-digit corporate number (法人番号, check digit verified) and,
with --fiscal-year, record its verified emissions of that year (replacing an
earlier figure) with the SHA-256 of the verification report. Its GX-ETS
retirements of that year may then total at most floor(verified x cap share /
100) t-CO2; the share (default 10 %) changes only by ministry quorum
(tx accounts propose-gx-cap).`,
		Example: `  jcreditd tx accounts gx-operator steel --corporate-number 1180301018771 --fiscal-year 2026 --verified 1250000 --doc-hash 2c26b46b... --from meti`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, &accountsv1.MsgSetGxOperator{Address: addr.Hex(), CorporateNumber: corp, FiscalYear: fy, VerifiedTCo2: verified, DocumentHash: doc})
		},
	}
	cmd.Flags().StringVar(&corp, "corporate-number", "", "the operator's 13-digit corporate number (required)")
	cmd.Flags().Uint32Var(&fy, "fiscal-year", 0, "the fiscal year of --verified")
	cmd.Flags().Uint64Var(&verified, "verified", 0, "verified emissions of --fiscal-year, t-CO2")
	cmd.Flags().StringVar(&doc, "doc-hash", "", "SHA-256 (hex) of the verification report (with --fiscal-year)")
	_ = cmd.MarkFlagRequired("corporate-number")
	return cmd
}

func newTxAccountsProposeGxCapCmd() *cobra.Command {
	var percent uint32
	cmd := &cobra.Command{
		Use:   "propose-gx-cap",
		Short: "Propose the share of verified emissions J-Credits may cover in GX-ETS (1-100 %; applies at the ministry quorum)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return broadcastMsgs(cmd, &accountsv1.MsgProposeGxEtsCap{Change: &accountsv1.GxEtsCapChange{CapPercent: percent}})
		},
	}
	cmd.Flags().Uint32Var(&percent, "percent", 0, "the cap share in percent (required)")
	_ = cmd.MarkFlagRequired("percent")
	return cmd
}

func newQueryAccountsGxOperatorCmd() *cobra.Command {
	var fy uint32
	cmd := &cobra.Command{
		Use:   "gx-operator <address|number|key name>",
		Short: "A GX-ETS operator: corporate number and, with --fiscal-year, verified emissions and cap (provable)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			acct, err := resolveAccount(cmd, args[0])
			if err != nil {
				return err
			}
			return runQuery(cmd, "accounts", "GxOperator", &accountsv1.QueryGxOperatorRequest{Account: acct, FiscalYear: fy})
		},
	}
	cmd.Flags().Uint32Var(&fy, "fiscal-year", 0, "a fiscal year: its verified emissions and cap")
	return cmd
}

func newQueryCreditsGxRetiredCmd() *cobra.Command {
	var fy uint32
	cmd := &cobra.Command{
		Use:   "gx-retired <operator address|number|key name> --fiscal-year Y",
		Short: "What a GX-ETS operator retired for a compliance fiscal year, and the retirements (provable)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			acct, err := resolveAccount(cmd, args[0])
			if err != nil {
				return err
			}
			return runQuery(cmd, "credits", "GxRetired", &creditsv1.QueryGxRetiredRequest{Operator: acct, FiscalYear: fy})
		},
	}
	cmd.Flags().Uint32Var(&fy, "fiscal-year", 0, "the compliance fiscal year (required)")
	_ = cmd.MarkFlagRequired("fiscal-year")
	return cmd
}
