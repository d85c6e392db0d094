package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

func newQueryCreditsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "credits",
		Short: "Query serials, batches, holdings and retirement records",
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:   "serial <serial-or-block>",
			Short: "Who holds a credit, its status, batch and retirement record (provable: the range holding it)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrintChecked(cmd, "/credits/serial/"+args[0], nil, serialAnswerMatches)
			},
		},
		&cobra.Command{
			Use: "batch <batch-id>", Short: "Show a batch with its supply: issued, active, retired, cancelled (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrintChecked(cmd, "/credits/batch/"+args[0], nil,
					protoAnswer(func() *creditsv1.Batch { return &creditsv1.Batch{} }))
			},
		},
		&cobra.Command{
			Use: "batches", Short: "List the batches, oldest first", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error { return queryAndPrint(cmd, "/credits/batches", nil) },
		},
		&cobra.Command{
			Use: "holdings <address|number|key name>", Short: "An account's ranges and totals per batch", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				acct, err := resolveAccount(cmd, args[0])
				if err != nil {
					return err
				}
				return queryAndPrint(cmd, "/credits/holdings/"+acct, nil)
			},
		},
		&cobra.Command{
			Use: "retirement <id>", Short: "Show a retirement record, e.g. JCR-00000001: uses, fiscal year, rule version, legal names, and per block the project, identifiers, energy and labels (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrintChecked(cmd, "/credits/retirement/"+args[0], nil,
					protoAnswer(func() *creditsv1.Retirement { return &creditsv1.Retirement{} }))
			},
		},
		&cobra.Command{
			Use: "cancellation <id>", Short: "Show a cancellation record, e.g. JCX-00000001 (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrintChecked(cmd, "/credits/cancellation/"+args[0], nil,
					protoAnswer(func() *creditsv1.Cancellation { return &creditsv1.Cancellation{} }))
			},
		},
		newQueryCreditsRetirementsCmd(),
	)
	cmd.AddCommand(newQueryCreditsRulesCmds()...) // query_credits_rules.go
	return cmd
}

func newQueryCreditsRetirementsCmd() *cobra.Command {
	var account, beneficiary, use string
	var fiscalYear uint32
	cmd := &cobra.Command{
		Use:   "retirements",
		Short: "List retirements by exactly one of --account, --beneficiary, --fiscal-year, --use",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			given := 0
			for _, set := range []bool{account != "", beneficiary != "", fiscalYear != 0, use != ""} {
				if set {
					given++
				}
			}
			if given != 1 {
				return fmt.Errorf("give exactly one of --account, --beneficiary, --fiscal-year, --use")
			}
			switch {
			case account != "":
				acct, err := resolveAccount(cmd, account)
				if err != nil {
					return err
				}
				return queryAndPrint(cmd, "/credits/retirements/account/"+acct, nil)
			case beneficiary != "":
				// The name goes as query data: it may hold spaces and slashes.
				return queryAndPrint(cmd, "/credits/retirements/beneficiary", []byte(beneficiary))
			case fiscalYear != 0:
				return queryAndPrint(cmd, fmt.Sprintf("/credits/retirements/fiscal-year/%d", fiscalYear), nil)
			}
			return queryAndPrint(cmd, "/credits/retirements/use/"+use, nil)
		},
	}
	f := cmd.Flags()
	f.StringVar(&account, "account", "", "retirements signed by or naming this account (address, number or key name)")
	f.StringVar(&beneficiary, "beneficiary", "", "retirements for this beneficiary name")
	f.Uint32Var(&fiscalYear, "fiscal-year", 0, "retirements reported in this fiscal year")
	f.StringVar(&use, "use", "", "retirements for this use: "+enumChoices("USE_", creditsv1.Use_name))
	return cmd
}

// serialAnswerMatches checks, for --prove, that the range in a serial
// answer is the proven stored range.
func serialAnswerMatches(value, stored []byte) error {
	var ans struct {
		Range json.RawMessage `json:"range"`
	}
	if err := json.Unmarshal(value, &ans); err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	shown, kept := &creditsv1.Range{}, &creditsv1.Range{}
	if err := protojson.Unmarshal(ans.Range, shown); err != nil {
		return fmt.Errorf("answer range: %w", err)
	}
	if err := proto.Unmarshal(stored, kept); err != nil {
		return fmt.Errorf("stored range: %w", err)
	}
	if !proto.Equal(shown, kept) {
		return fmt.Errorf("answer range %v, proven %v", shown, kept)
	}
	return nil
}
