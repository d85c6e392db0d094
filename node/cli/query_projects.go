package cli

import (
	"net/url"
	"strconv"

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
			Use: "project <project-id>", Short: "Show a project with its status history (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrintChecked(cmd, "/projects/project/"+args[0], nil,
					protoAnswer(func() *projectsv1.Project { return &projectsv1.Project{} }))
			},
		},
		newQueryProjectsListCmd(),
		&cobra.Command{
			Use: "reports <project-id>", Short: "List a project's monitoring reports", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrint(cmd, "/projects/reports/"+args[0], nil)
			},
		},
		&cobra.Command{
			Use: "report <report-id>", Short: "Show a monitoring report, its history and batch (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrintChecked(cmd, "/projects/report/"+args[0], nil,
					protoAnswer(func() *projectsv1.MonitoringReport { return &projectsv1.MonitoringReport{} }))
			},
		},
		&cobra.Command{
			Use: "methodology <code>", Short: "Show a methodology (provable)", Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrintChecked(cmd, "/projects/methodology/"+args[0], nil,
					protoAnswer(func() *projectsv1.Methodology { return &projectsv1.Methodology{} }))
			},
		},
		&cobra.Command{
			Use: "methodologies", Short: "List the adopted methodologies", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				return queryAndPrint(cmd, "/projects/methodologies", nil)
			},
		},
		&cobra.Command{
			Use: "params", Short: "Show the crediting-period caps (provable)", Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				return queryAndPrintChecked(cmd, "/projects/params", nil,
					protoAnswer(func() *projectsv1.Params { return &projectsv1.Params{} }))
			},
		},
	)
	return cmd
}

func newQueryProjectsListCmd() *cobra.Command {
	var status, operator, member, methodology, after string
	var limit int
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List projects, filtered by --status, --operator, --member, --methodology; page with --after",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := url.Values{}
			if status != "" {
				v.Set("status", status)
			}
			if operator != "" {
				acct, err := resolveAccount(cmd, operator)
				if err != nil {
					return err
				}
				v.Set("operator", acct)
			}
			if member != "" {
				acct, err := resolveAccount(cmd, member)
				if err != nil {
					return err
				}
				v.Set("member", acct)
			}
			if methodology != "" {
				v.Set("methodology", methodology)
			}
			if after != "" {
				v.Set("after", after)
			}
			if limit > 0 {
				v.Set("limit", strconv.Itoa(limit))
			}
			return queryAndPrint(cmd, "/projects/projects", []byte(v.Encode()))
		},
	}
	f := cmd.Flags()
	f.StringVar(&status, "status", "", "submitted, validated, registered, rejected or terminated")
	f.StringVar(&operator, "operator", "", "operator: address, account number or key name")
	f.StringVar(&member, "member", "", "program member: address, account number or key name")
	f.StringVar(&methodology, "methodology", "", "methodology code, e.g. EN-S-001")
	f.StringVar(&after, "after", "", "list projects after this id (the previous page's \"next\")")
	f.IntVar(&limit, "limit", 0, "at most this many projects (default 100, max 1000)")
	return cmd
}
