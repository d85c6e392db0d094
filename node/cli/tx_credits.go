package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
)

func newTxCreditsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "credits",
		Short: "Credit transactions: issue (certify), transfer, retire, cancel, label, import legacy credits",
		Long: `Credits are serialized: JC-<batch>-<category>-<vintage year>-<serial> names one
credit, JC-<batch>-<category>-<vintage year>-<start>-<end> an inclusive block.
Transfer and retire take either --quantity (oldest vintage first, optionally
filtered by --batch, --category, --vintage) or --serials. Transfer, retire and
cancel take --dry-run: the node runs them against its latest state and says
what they would do, without anything being signed; retire and cancel ask
before sending unless --yes (or stdin is not a terminal).`,
	}
	cmd.AddCommand(
		newTxCreditsIssueCmd(),
		newTxCreditsTransferCmd(),
		newTxCreditsRetireCmd(),
		newTxCreditsCancelCmd(),
		newTxCreditsLabelCmd(),
		newTxCreditsImportLegacyCmd(),
		newTxCreditsLockCmd(),
		newTxCreditsSettleCmd(),
		newTxCreditsReleaseCmd(),
		newTxCreditsPublishOfferCmd(),
		newTxCreditsWithdrawOfferCmd(),
		newTxCreditsOfferCmd(),
		newTxCreditsAcceptCmd(),
		newTxCreditsCancelOfferCmd(),
	)
	return cmd
}

// newTxCreditsIssueCmd issues through certification: in J-Credit, credits
// are issued exactly when a ministry certifies a verified monitoring report,
// so this sends the same message as "tx projects certify-report".
func newTxCreditsIssueCmd() *cobra.Command {
	var (
		corsia bool
		ids    identifiers
	)
	cmd := &cobra.Command{
		Use:   "issue <report-id>",
		Short: "Issue a verified monitoring report's credits by certifying it (signer: a ministry)",
		Long: `Certify a verified monitoring report, which issues its credits in the same
transaction: to the project operator, or to the members of a program-type
project by their shares. The same as "jcreditd tx projects certify-report".`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := certifyMsg(args[0], corsia, &ids)
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, m)
		},
	}
	cmd.Flags().BoolVar(&corsia, "corsia", false, "label the issued batch CORSIA-eligible for the first phase (2024-2026); --label corsia:<phase> names another")
	ids.register(cmd)
	return cmd
}

// certifyMsg is the certification a ministry sends, from the flags.
func certifyMsg(report string, corsia bool, ids *identifiers) (*projectsv1.MsgCertifyReport, error) {
	labels, err := parseLabels(ids.labels)
	if err != nil {
		return nil, err
	}
	return &projectsv1.MsgCertifyReport{ReportId: report, CorsiaEligible: corsia, SchemeSymbol: ids.scheme, CreditType: ids.creditType,
		CertificationNumber: ids.cert, ElectricityKwh: ids.kwh, HeatMj: ids.mj, Labels: labels}, nil
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
			obo, err := onBehalfOf(cmd)
			if err != nil {
				return err
			}
			return sendChecked(cmd, "", &creditsv1.MsgTransfer{Recipient: to.Hex(), Quantity: sel.quantity, Filter: f, Serials: sel.serials, OnBehalfOf: obo})
		},
	}
	sel.register(cmd)
	addOnBehalfOfFlag(cmd)
	addDryRunFlags(cmd, false)
	return cmd
}

func newTxCreditsRetireCmd() *cobra.Command {
	var (
		sel                                 selection
		beneficiary, beneficiaryAcct, why   string
		uses                                []string
		fiscalYear                          uint32
		offsetKind, offsetName, corsiaPhase string
		offsetAt                            location
	)
	cmd := &cobra.Command{
		Use:   "retire",
		Short: "Retire (無効化) credits you hold, permanently, for one or more uses of one scope (by --quantity or --serials)",
		Long: `Retire credits permanently; the retirement record (id JCR-...) is kept in state
and can be proven later with "jcreditd proof". The use table in state decides
which credits each use takes (jcreditd q credits use-table): RE100 renewable
electricity only; CDP and SBT renewable electricity and heat; the Energy
Conservation Act energy saving only; Keidanren JCL/ERL, FM, JRM, KRM credits;
CORSIA batches labelled for the phase; GX-ETS J-Credits. Several --use count
one retirement in several reports of one company and one scope (e.g. 温対法,
CDP and RE100), every batch drawn satisfying each. The fiscal year is checked:
温対法 uses the year of the retirement, or the previous one until 30 June;
others a year from the earliest vintage drawn to the current one. A carbon
offset names its target and where its emissions arise, which must differ from
where the credits were created. A provider may retire on a client's behalf
with --beneficiary-account. Use --dry-run first to see the blocks and the
record; without --yes you are asked before anything is sent.`,
		Example: `  jcreditd tx credits retire --quantity 50 --use re100 --use cdp --beneficiary "Example K.K." \
    --fiscal-year 2025 --details "RE100 and CDP annual reports" --from example --dry-run
  jcreditd tx credits retire --quantity 10 --use carbon-offset --offset-kind event \
    --offset-name "Kyoto Marathon 2026" --offset-prefecture 26 --offset-municipality 京都市 \
    --beneficiary "Example K.K." --fiscal-year 2025 --from example --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			msg := &creditsv1.MsgRetire{Quantity: sel.quantity, Serials: sel.serials, Beneficiary: beneficiary, Details: why, FiscalYear: fiscalYear}
			for _, list := range uses {
				for _, one := range strings.Split(list, ",") {
					u, ok := creditsv1.Use_value[enumName("USE_", one)]
					if !ok || u == 0 {
						return fmt.Errorf("--use %q: use one of %s", one, enumChoices("USE_", creditsv1.Use_name))
					}
					msg.Uses = append(msg.Uses, creditsv1.Use(u))
				}
			}
			var err error
			if msg.Filter, err = sel.filter(); err != nil {
				return err
			}
			if offsetKind != "" || offsetName != "" || offsetAt.prefecture != "" {
				k, ok := creditsv1.OffsetKind_value[enumName("OFFSET_KIND_", offsetKind)]
				if !ok || k == 0 {
					return fmt.Errorf("--offset-kind %q: what is offset: %s", offsetKind, enumChoices("OFFSET_KIND_", creditsv1.OffsetKind_name))
				}
				loc, err := offsetAt.value("offset-prefecture")
				if err != nil {
					return err
				}
				msg.OffsetTarget = &creditsv1.OffsetTarget{Kind: creditsv1.OffsetKind(k), Name: offsetName, Location: loc}
			}
			if corsiaPhase != "" {
				p, ok := creditsv1.CorsiaPhase_value[enumName("CORSIA_PHASE_", corsiaPhase)]
				if !ok || p == 0 {
					return fmt.Errorf("--corsia-phase %q: one of %s", corsiaPhase, enumChoices("CORSIA_PHASE_", creditsv1.CorsiaPhase_name))
				}
				msg.CorsiaPhase = creditsv1.CorsiaPhase(p)
			}
			if beneficiaryAcct != "" {
				addr, err := resolveAddress(cmd, beneficiaryAcct)
				if err != nil {
					return err
				}
				msg.BeneficiaryAccount = addr.Hex()
			}
			if msg.OnBehalfOf, err = onBehalfOf(cmd); err != nil {
				return err
			}
			return sendChecked(cmd, "Retire these credits", msg)
		},
	}
	sel.register(cmd)
	addOnBehalfOfFlag(cmd)
	f := cmd.Flags()
	f.StringVar(&beneficiary, "beneficiary", "", "the credit user's name, クレジット利用者名 (required)")
	f.StringVar(&beneficiaryAcct, "beneficiary-account", "", "the credit user's account (address or key name), when a provider retires on its behalf")
	f.StringArrayVar(&uses, "use", nil, "a use (repeatable, or comma-separated): "+enumChoices("USE_", creditsv1.Use_name)+" (required)")
	f.StringVar(&why, "details", "", "purpose details")
	f.Uint32Var(&fiscalYear, "fiscal-year", 0, "the Japanese fiscal year reported in, e.g. 2025 (required)")
	f.StringVar(&offsetKind, "offset-kind", "", "carbon offset: what is offset: "+enumChoices("OFFSET_KIND_", creditsv1.OffsetKind_name))
	f.StringVar(&offsetName, "offset-name", "", "carbon offset: the event, product, organisation or place")
	offsetAt.register(cmd, "offset-", "carbon offset: where its emissions arise")
	f.StringVar(&corsiaPhase, "corsia-phase", "", "CORSIA: the phase counted in, "+enumChoices("CORSIA_PHASE_", creditsv1.CorsiaPhase_name)+" (default: the one containing --fiscal-year)")
	for _, r := range []string{"beneficiary", "use", "fiscal-year"} {
		_ = cmd.MarkFlagRequired(r)
	}
	addDryRunFlags(cmd, true)
	return cmd
}

func newTxCreditsCancelCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "cancel <serial-or-block>...",
		Short: "Cancel (取消) active credits, whoever holds them, permanently (signer: a ministry)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return sendChecked(cmd, "Cancel these credits", &creditsv1.MsgCancel{Serials: args, Reason: reason})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why, in words the holder can act on (required)")
	_ = cmd.MarkFlagRequired("reason")
	addDryRunFlags(cmd, true)
	return cmd
}
