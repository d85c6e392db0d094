package cli

import (
	"github.com/spf13/cobra"

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
				path := "/credits/use-table"
				if len(args) == 1 {
					path += "/" + args[0]
				}
				return queryAndPrintChecked(cmd, path, nil, protoAnswer(func() *creditsv1.UseTable { return &creditsv1.UseTable{} }))
			},
		},
		{
			Use: "use-tables", Short: "Every version of the use table, oldest first", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error { return queryAndPrint(cmd, "/credits/use-tables", nil) },
		},
		{
			Use: "label-history <batch-id>", Short: "A batch's labels now and every change to them: who, when, why", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrint(cmd, "/credits/label-changes/"+args[0], nil)
			},
		},
		{
			Use: "label-change <batch-id> <n>", Short: "Change n of a batch's labels (provable)", Args: cobra.ExactArgs(2),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrintChecked(cmd, "/credits/label-change/"+args[0]+"/"+args[1], nil,
					protoAnswer(func() *creditsv1.LabelChange { return &creditsv1.LabelChange{} }))
			},
		},
	}
}
