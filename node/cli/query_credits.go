package cli

import (
	"github.com/spf13/cobra"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

func newQueryCreditsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "credits",
		Short: "Query serials, batches, holdings, retirement and cancellation records",
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:   "serial <serial-or-block>",
			Short: "Who holds a credit, its status, batch and retirement record (provable: the range holding it)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runQuery(cmd, "credits", "Serial", &creditsv1.QuerySerialRequest{Serial: args[0]})
			},
		},
		&cobra.Command{
			Use: "batch <batch-id>", Short: "Show a batch with its supply: issued, active, retired, cancelled (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runQuery(cmd, "credits", "Batch", &creditsv1.QueryBatchRequest{Id: args[0]})
			},
		},
		newListCmd("batches", "List the batches, oldest first (--reverse: newest first); --project-id, --category, --name (project name)", listNamed("batches")),
		newListCmd("holdings <address|number|key name>", "An account's serial ranges (--status active|retired|cancelled)", listNamed("holdings")),
		&cobra.Command{
			Use: "retirement <id>", Short: "Show a retirement record, e.g. JCR-00000001: uses, fiscal year, rule version, legal names, and per block the project, identifiers, energy and labels (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runQuery(cmd, "credits", "Retirement", &creditsv1.QueryRetirementRequest{Id: args[0]})
			},
		},
		newListCmd("retirements", "List retirement records, filtered by any combination of the flags", listNamed("retirements")),
		&cobra.Command{
			Use: "cancellation <id>", Short: "Show a cancellation record, e.g. JCX-00000001 (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runQuery(cmd, "credits", "Cancellation", &creditsv1.QueryCancellationRequest{Id: args[0]})
			},
		},
		newListCmd("cancellations", "List cancellation records (--batch-id)", listNamed("cancellations")),
		newListCmdArg("stats [dimension]", "The registry's statistics kept in state: issued, active, locked, retired, cancelled credits and retirements, "+
			"in total or by category, vintage_year, methodology, prefecture, fiscal_year or use (--use, --fiscal-year narrow retirements)", listNamed("stats"), "dimension"),
		newListCmd("account-totals <address|number|key name>", "What was retired for an account (its beneficiary account, or itself when it named none) per use and fiscal year; the first row of a year counts every use (--use, --fiscal-year)",
			listNamed("account-totals")),
		&cobra.Command{
			Use: "lock <id>", Short: "Show a settlement lock, e.g. LK-00000001: holder, agent, expiry height, serial blocks, status (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runQuery(cmd, "credits", "Lock", &creditsv1.QueryLockRequest{Id: args[0]})
			},
		},
		newListCmd("offers", "List open offers of credits for sale, with what each holder can deliver now (--holder, --batch-id, --category, --vintage-year, --include-exhausted)", listNamed("offers")),
		newListCmd("locks", "List settlement locks (--holder, --agent, --status open|settled|released|expired|cancelled)", listNamed("locks")),
	)
	cmd.AddCommand(newQueryCreditsRulesCmds()...) // query_credits_rules.go
	cmd.AddCommand(newQueryCreditsGxRetiredCmd()) // gx.go
	return cmd
}
