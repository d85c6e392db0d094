package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
)

func newTxProjectsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "projects",
		Short: "Project transactions: methodologies, project lifecycle, monitoring reports and certification",
		Long: `The J-Credit procedure: a ministry adopts methodologies (adopt-methodology); a
creator submits a project (submit); an independent review body validates it
(validate); a ministry registers it (register) or rejects it (reject); the
operator submits monitoring reports (submit-report); a review body verifies
them, possibly lowering the amount (verify-report); a ministry certifies them
(certify-report), which issues the credits in the same transaction.`,
	}
	cmd.AddCommand(
		newTxProjectsAdoptCmd(),
		newTxProjectsSubmitCmd(),
		idCmd("validate <project-id>", "Validate a submitted project's plan (signer: an independent review body)", false,
			func(id, _ string) proto.Message { return &projectsv1.MsgValidateProject{ProjectId: id} }),
		idCmd("register <project-id>", "Register a validated project (signer: a ministry)", false,
			func(id, _ string) proto.Message { return &projectsv1.MsgRegisterProject{ProjectId: id} }),
		idCmd("reject <project-id>", "Reject a submitted or validated project (signer: a ministry, or a review body while submitted)", true,
			func(id, reason string) proto.Message {
				return &projectsv1.MsgRejectProject{ProjectId: id, Reason: reason}
			}),
		idCmd("terminate <project-id>", "Terminate a registered project (signer: a ministry)", true,
			func(id, reason string) proto.Message {
				return &projectsv1.MsgTerminateProject{ProjectId: id, Reason: reason}
			}),
		newTxProjectsSubmitReportCmd(),
		newTxProjectsVerifyReportCmd(),
		newTxProjectsCertifyReportCmd(),
		idCmd("reject-report <report-id>", "Reject a submitted or verified report (signer: a ministry, or a review body while submitted)", true,
			func(id, reason string) proto.Message {
				return &projectsv1.MsgRejectReport{ReportId: id, Reason: reason}
			}),
	)
	return cmd
}

// idCmd is a command whose message takes an id and, if withReason, the
// required --reason.
func idCmd(use, short string, withReason bool, build func(id, reason string) proto.Message) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use: use, Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return broadcastMsgs(cmd, build(args[0], reason))
		},
	}
	if withReason {
		cmd.Flags().StringVar(&reason, "reason", "", "why, in words the operator can act on (required)")
		_ = cmd.MarkFlagRequired("reason")
	}
	return cmd
}

func newTxProjectsAdoptCmd() *cobra.Command {
	var title, category string
	cmd := &cobra.Command{
		Use:   "adopt-methodology <code>",
		Short: "Adopt a methodology such as EN-S-001 (signer: a ministry)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := parseCategory(category)
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, &projectsv1.MsgAdoptMethodology{Code: args[0], Title: title, Category: cat})
		},
	}
	cmd.Flags().StringVar(&title, "title", "", "the methodology's title (required)")
	cmd.Flags().StringVar(&category, "category", "", "category: "+enumChoices("CATEGORY_", creditsv1.Category_name)+" (required)")
	_ = cmd.MarkFlagRequired("title")
	_ = cmd.MarkFlagRequired("category")
	return cmd
}

func parseCategory(s string) (creditsv1.Category, error) {
	v, ok := creditsv1.Category_value[enumName("CATEGORY_", s)]
	if !ok || v == 0 {
		return 0, fmt.Errorf("--category %q: use one of %s", s, enumChoices("CATEGORY_", creditsv1.Category_name))
	}
	return creditsv1.Category(v), nil
}

// documentHash returns --<name>-hash as given, or the SHA-256 of the file
// --<name>-file, computed here so the document itself never leaves the
// machine.
func documentHash(hash, file, what string) (string, error) {
	switch {
	case hash != "" && file != "":
		return "", fmt.Errorf("give the %s's hash or its file, not both", what)
	case file != "":
		bz, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%s file: %w", what, err)
		}
		sum := sha256.Sum256(bz)
		return hex.EncodeToString(sum[:]), nil
	case hash != "":
		return hash, nil
	}
	return "", fmt.Errorf("give the %s's SHA-256 hash, or its file to hash", what)
}

func newTxProjectsSubmitCmd() *cobra.Command {
	var (
		name, kind, methodology, start, end, planHash, planFile string
		expected                                                uint64
		members                                                 []string
		where                                                   location
	)
	cmd := &cobra.Command{
		Use:   "submit",
		Short: "Submit a project plan; the signer (a creator) becomes its operator",
		Long: `Submit a project plan. The plan document stays off-chain: give its SHA-256
(--plan-hash) or the file (--plan-file) to hash here. A program-type project
(--kind program) lists its members, each as
  --member "name|site|address or key name|share in basis points"
with shares summing to 10000; certified credits are allocated by share.`,
		Example: `  jcreditd tx projects submit --name "Kyoto plant boilers" --methodology EN-S-001 \
    --prefecture 26 --municipality 京都市 --crediting-start 2023-04-01 --crediting-end 2031-03-31 \
    --expected 12000 --plan-file plan.pdf --from kyoto`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, ok := projectsv1.ProjectKind_value[enumName("PROJECT_KIND_", kind)]
			if !ok || k == 0 {
				return fmt.Errorf("--kind %q: use standard or program", kind)
			}
			hash, err := documentHash(planHash, planFile, "plan")
			if err != nil {
				return err
			}
			loc, err := where.value("prefecture")
			if err != nil {
				return err
			}
			msg := &projectsv1.MsgSubmitProject{
				Name: name, Kind: projectsv1.ProjectKind(k), Methodology: methodology, Location: loc,
				CreditingStart: start, CreditingEnd: end, ExpectedReductions: expected, PlanHash: hash,
			}
			for i, s := range members {
				parts := strings.Split(s, "|")
				if len(parts) != 4 {
					return fmt.Errorf("--member %d %q: want \"name|site|address|share-bps\"", i+1, s)
				}
				addr, err := resolveAddress(cmd, strings.TrimSpace(parts[2]))
				if err != nil {
					return fmt.Errorf("--member %d: %w", i+1, err)
				}
				share, err := strconv.ParseUint(strings.TrimSpace(parts[3]), 10, 32)
				if err != nil {
					return fmt.Errorf("--member %d: share %q is not a whole number of basis points", i+1, parts[3])
				}
				msg.Members = append(msg.Members, &projectsv1.MemberSpec{
					Name: strings.TrimSpace(parts[0]), Site: strings.TrimSpace(parts[1]), Address: addr.Hex(), ShareBps: uint32(share),
				})
			}
			if msg.OnBehalfOf, err = onBehalfOf(cmd); err != nil {
				return err
			}
			return broadcastMsgs(cmd, msg)
		},
	}
	addOnBehalfOfFlag(cmd)
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "project name (required)")
	f.StringVar(&kind, "kind", "standard", "standard or program")
	f.StringArrayVar(&members, "member", nil, `program member "name|site|address|share-bps" (repeat per member)`)
	f.StringVar(&methodology, "methodology", "", "methodology code, e.g. EN-S-001 (required)")
	where.register(cmd, "", "where the project creates its credits (required)")
	f.StringVar(&start, "crediting-start", "", "first day of the crediting period, YYYY-MM-DD (required)")
	f.StringVar(&end, "crediting-end", "", "last day of the crediting period, YYYY-MM-DD (required)")
	f.Uint64Var(&expected, "expected", 0, "expected reductions over the crediting period, t-CO2 (required)")
	f.StringVar(&planHash, "plan-hash", "", "SHA-256 of the project plan document, hex")
	f.StringVar(&planFile, "plan-file", "", "the project plan document, hashed locally")
	for _, r := range []string{"name", "methodology", "prefecture", "crediting-start", "crediting-end", "expected"} {
		_ = cmd.MarkFlagRequired(r)
	}
	return cmd
}

func newTxProjectsSubmitReportCmd() *cobra.Command {
	var (
		start, end, docHash, docFile string
		claimed                      uint64
	)
	cmd := &cobra.Command{
		Use:   "submit-report <project-id>",
		Short: "Submit a monitoring report for a registered project (signer: its operator)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			hash, err := documentHash(docHash, docFile, "report document")
			if err != nil {
				return err
			}
			obo, err := onBehalfOf(cmd)
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, &projectsv1.MsgSubmitReport{
				ProjectId: args[0], PeriodStart: start, PeriodEnd: end, ClaimedTCo2: claimed, DocumentHash: hash, OnBehalfOf: obo,
			})
		},
	}
	addOnBehalfOfFlag(cmd)
	f := cmd.Flags()
	f.StringVar(&start, "start", "", "first day of the monitoring period, YYYY-MM-DD (required)")
	f.StringVar(&end, "end", "", "last day of the monitoring period, YYYY-MM-DD (required)")
	f.Uint64Var(&claimed, "claimed", 0, "claimed reductions, t-CO2 (required)")
	f.StringVar(&docHash, "doc-hash", "", "SHA-256 of the monitoring report document, hex")
	f.StringVar(&docFile, "doc-file", "", "the monitoring report document, hashed locally")
	for _, r := range []string{"start", "end", "claimed"} {
		_ = cmd.MarkFlagRequired(r)
	}
	return cmd
}

func newTxProjectsVerifyReportCmd() *cobra.Command {
	var amount uint64
	cmd := &cobra.Command{
		Use:   "verify-report <report-id>",
		Short: "Verify a submitted report, at most the claimed amount (signer: an independent review body)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return broadcastMsgs(cmd, &projectsv1.MsgVerifyReport{ReportId: args[0], VerifiedTCo2: amount})
		},
	}
	cmd.Flags().Uint64Var(&amount, "amount", 0, "verified reductions, t-CO2: at most the claim (required)")
	_ = cmd.MarkFlagRequired("amount")
	return cmd
}

func newTxProjectsCertifyReportCmd() *cobra.Command {
	var (
		corsia bool
		ids    identifiers
	)
	cmd := &cobra.Command{
		Use:   "certify-report <report-id>",
		Short: "Certify a verified report and issue its credits, with their identifiers, energy and labels (signer: a ministry)",
		Args:  cobra.ExactArgs(1),
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
