package cli

import (
	"github.com/spf13/cobra"

	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
)

func newQueryUpgradeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "upgrade",
		Short: "Query x/upgrade: the scheduled software upgrade, applied upgrades, the state version",
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:   "plan",
			Short: "The scheduled upgrade (name, height, info); provable",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				return runQuery(cmd, "upgrade", "Plan", &upgradev1.QueryPlanRequest{})
			},
		},
		&cobra.Command{
			Use:   "applied <name>",
			Short: "When an upgrade was applied and the state versions it moved between; provable",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runQuery(cmd, "upgrade", "Applied", &upgradev1.QueryAppliedRequest{Name: args[0]})
			},
		},
		newListCmd("upgrades", "The applied upgrades, by name", listNamed("upgrades")),
		&cobra.Command{
			Use:   "version",
			Short: "The state version the chain runs",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				return runQuery(cmd, "upgrade", "Version", &upgradev1.QueryVersionRequest{})
			},
		},
	)
	return cmd
}
