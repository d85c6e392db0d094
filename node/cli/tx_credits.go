package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
)

func newTxCreditsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "credits",
		Short: "Credit transactions: issue (certify), transfer, retire, cancel",
		Long: `Credits are serialized: JC-<batch>-<category>-<vintage year>-<serial> names one
credit, JC-<batch>-<category>-<vintage year>-<start>-<end> an inclusive block.
Transfer and retire take either --quantity (oldest vintage first, optionally
filtered by --batch, --category, --vintage) or --serials.`,
	}
	cmd.AddCommand(
		newTxCreditsIssueCmd(),
		newTxCreditsTransferCmd(),
		newTxCreditsRetireCmd(),
		newTxCreditsCancelCmd(),
	)
	return cmd
}

// newTxCreditsIssueCmd issues through certification: in J-Credit, credits
// are issued exactly when a ministry certifies a verified monitoring report,
// so this sends the same message as "tx projects certify-report".
func newTxCreditsIssueCmd() *cobra.Command {
	var corsia bool
	cmd := &cobra.Command{
		Use:   "issue <report-id>",
		Short: "Issue a verified monitoring report's credits by certifying it (signer: a ministry)",
		Long: `Certify a verified monitoring report, which issues its credits in the same
transaction: to the project operator, or to the members of a program-type
project by their shares. The same as "jcreditd tx projects certify-report".`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return broadcastMsgs(cmd, &projectsv1.MsgCertifyReport{ReportId: args[0], CorsiaEligible: corsia})
		},
	}
	cmd.Flags().BoolVar(&corsia, "corsia", false, "mark the issued batch CORSIA-eligible")
	return cmd
}

// selection holds the "--quantity with filters, or --serials" flags shared
// by transfer and retire.
type selection struct {
	quantity uint64
	batch    string
	category string
	vintage  uint32
	serials  []string
}

func (s *selection) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Uint64Var(&s.quantity, "quantity", 0, "how many credits (t-CO2), oldest vintage first")
	f.StringVar(&s.batch, "batch", "", "with --quantity: only this batch, e.g. JC-00000001")
	f.StringVar(&s.category, "category", "", "with --quantity: only this category: "+enumChoices("CATEGORY_", creditsv1.Category_name))
	f.Uint32Var(&s.vintage, "vintage", 0, "with --quantity: only batches whose vintage starts in this year")
	f.StringArrayVar(&s.serials, "serials", nil, "a serial or serial block to use (repeatable); instead of --quantity")
}

func (s *selection) filter() (*creditsv1.Filter, error) {
	if s.batch == "" && s.category == "" && s.vintage == 0 {
		return nil, nil
	}
	if len(s.serials) > 0 {
		return nil, fmt.Errorf("--batch, --category and --vintage filter a --quantity, not --serials")
	}
	f := &creditsv1.Filter{BatchId: s.batch, VintageYear: s.vintage}
	if s.category != "" {
		c, err := parseCategory(s.category)
		if err != nil {
			return nil, err
		}
		f.Category = c
	}
	return f, nil
}

func newTxCreditsTransferCmd() *cobra.Command {
	var sel selection
	cmd := &cobra.Command{
		Use:   "transfer <recipient>",
		Short: "Transfer active credits to another active account (by --quantity or --serials)",
		Example: `  jcreditd tx credits transfer 0xAbC... --quantity 100 --category renewable-electricity --from provider
  jcreditd tx credits transfer buyer --serials JC-00000001-RE-2024-0000000001-0000000100 --from provider`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			to, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			f, err := sel.filter()
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, &creditsv1.MsgTransfer{Recipient: to.Hex(), Quantity: sel.quantity, Filter: f, Serials: sel.serials})
		},
	}
	sel.register(cmd)
	return cmd
}

func newTxCreditsRetireCmd() *cobra.Command {
	var (
		sel                                    selection
		beneficiary, beneficiaryAcct, use, why string
		fiscalYear                             uint32
	)
	cmd := &cobra.Command{
		Use:   "retire",
		Short: "Retire (無効化) credits you hold, permanently, for one use (by --quantity or --serials)",
		Long: `Retire credits permanently for one use; the retirement record (id JCR-...) is
kept in state and can be proven later with "jcreditd proof". RE100 accepts
renewable-electricity credits only, the Energy Conservation Act energy-saving
credits only, CORSIA only CORSIA-eligible batches. A provider may retire on a
client's behalf with --beneficiary-account.`,
		Example: `  jcreditd tx credits retire --quantity 50 --use re100 --beneficiary "Example K.K." \
    --fiscal-year 2025 --details "RE100 annual report" --from example`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			u, ok := creditsv1.Use_value[enumName("USE_", use)]
			if !ok || u == 0 {
				return fmt.Errorf("--use %q: use one of %s", use, enumChoices("USE_", creditsv1.Use_name))
			}
			f, err := sel.filter()
			if err != nil {
				return err
			}
			msg := &creditsv1.MsgRetire{
				Quantity: sel.quantity, Filter: f, Serials: sel.serials, Beneficiary: beneficiary,
				Use: creditsv1.Use(u), Details: why, FiscalYear: fiscalYear,
			}
			if beneficiaryAcct != "" {
				addr, err := resolveAddress(cmd, beneficiaryAcct)
				if err != nil {
					return err
				}
				msg.BeneficiaryAccount = addr.Hex()
			}
			return broadcastMsgs(cmd, msg)
		},
	}
	sel.register(cmd)
	f := cmd.Flags()
	f.StringVar(&beneficiary, "beneficiary", "", "the credit user's name, クレジット利用者名 (required)")
	f.StringVar(&beneficiaryAcct, "beneficiary-account", "", "the credit user's account (address or key name), when a provider retires on its behalf")
	f.StringVar(&use, "use", "", "one of "+enumChoices("USE_", creditsv1.Use_name)+" (required)")
	f.StringVar(&why, "details", "", "purpose details")
	f.Uint32Var(&fiscalYear, "fiscal-year", 0, "the Japanese fiscal year reported in, e.g. 2025 (required)")
	for _, r := range []string{"beneficiary", "use", "fiscal-year"} {
		_ = cmd.MarkFlagRequired(r)
	}
	return cmd
}

func newTxCreditsCancelCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "cancel <serial-or-block>...",
		Short: "Cancel (取消) active credits, whoever holds them, permanently (signer: a ministry)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return broadcastMsgs(cmd, &creditsv1.MsgCancel{Serials: args, Reason: reason})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why, in words the holder can act on (required)")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}
