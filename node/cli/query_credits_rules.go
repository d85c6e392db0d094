package cli

import (
	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node/query"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// The queries of the scheme's rules: the use table and its versions, and
// batches' label histories.
func newQueryCreditsRulesCmds() []*cobra.Command {
	return []*cobra.Command{
		{
			Use:   "use-table [version]",
			Short: "The category-by-use table in force, or a version of it (provable)",
			Long: `Each use's row: its scope (活用範囲), its fiscal-year rule, and which credits it
takes (categories, credit types, scheme symbols, required labels). Every
retirement records the version it was checked against; versions change only
by ministry quorum ("tx accounts propose-use-table").`,
			Args: cobra.MaximumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				req := &creditsv1.QueryUseTableRequest{}
				if len(args) == 1 {
					if err := query.Bind(req, map[string]string{"version": args[0]}); err != nil {
						return err
					}
				}
				return runQuery(cmd, "credits", "UseTable", req)
			},
		},
		newListCmd("use-tables", "Every version of the use table, oldest first", listNamed("use-tables")),
		newListCmd("label-history <batch-id>", "A batch's labels now and every change to them: who, when, why", listNamed("label-changes")),
		{
			Use: "label-change <batch-id> <n>", Short: "Change n of a batch's labels (provable)", Args: cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				req := &creditsv1.QueryLabelChangeRequest{}
				if err := query.Bind(req, map[string]string{"batch_id": args[0], "number": args[1]}); err != nil {
					return err
				}
				return runQuery(cmd, "credits", "LabelChange", req)
			},
		},
	}
}
