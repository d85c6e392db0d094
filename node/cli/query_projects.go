package cli

import (
	"github.com/spf13/cobra"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
)

func newQueryProjectsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "projects",
		Short: "Query methodologies, projects and monitoring reports",
	}
	cmd.AddCommand(
		&cobra.Command{
			Use: "stats", Short: "How many projects are in each status (counters kept in state)", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				return runQuery(cmd, "projects", "Stats", &projectsv1.QueryStatsRequest{})
			},
		},
		&cobra.Command{
			Use: "project <project-id>", Short: "Show a project with its status history (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runQuery(cmd, "projects", "Project", &projectsv1.QueryProjectRequest{Id: args[0]})
			},
		},
		newListCmd("list", "List projects, filtered by --status, --operator, --member, --methodology, --prefecture, --name", listNamed("projects")),
		newListCmdArg("reports [project-id]", "List monitoring reports: one project's, or every project's; --status", listNamed("reports"), "project_id"),
		&cobra.Command{
			Use: "report <report-id>", Short: "Show a monitoring report, its history and batch (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runQuery(cmd, "projects", "Report", &projectsv1.QueryReportRequest{Id: args[0]})
			},
		},
		&cobra.Command{
			Use: "methodology <code>", Short: "Show a methodology (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runQuery(cmd, "projects", "Methodology", &projectsv1.QueryMethodologyRequest{Code: args[0]})
			},
		},
		newListCmd("methodologies", "List the adopted methodologies", listNamed("methodologies")),
		&cobra.Command{
			Use: "params", Short: "Show the crediting-period caps (provable)", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				return runQuery(cmd, "projects", "Params", &projectsv1.QueryParamsRequest{})
			},
		},
	)
	return cmd
}
