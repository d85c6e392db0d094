package cli

import (
	"github.com/spf13/cobra"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

func newQueryAccountsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "Query accounts",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "account <address|key name>",
		Short: "Show an account: name, kind, country, roles, status, nonce",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			return queryAndPrintChecked(cmd, "/accounts/account/"+addr.Hex(), nil,
				protoAnswer(func() *accountsv1.Account { return &accountsv1.Account{} }))
		},
	})
	addQueryAccountsMoreCmds(cmd) // query_accounts_more.go
	return cmd
}
