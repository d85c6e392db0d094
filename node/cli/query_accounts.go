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
		Use:   "account <address|number|key name>",
		Short: "Show an account: number, current address, name, kind, country, roles, status",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			acct, err := resolveAccount(cmd, args[0])
			if err != nil {
				return err
			}
			return queryAndPrintChecked(cmd, "/accounts/account/"+acct, nil,
				protoAnswer(func() *accountsv1.Account { return &accountsv1.Account{} }))
		},
	}, &cobra.Command{
		Use:   "key <address|key name>",
		Short: "Show a signing key: its account number and the nonce its next transaction must carry",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			return queryAndPrintChecked(cmd, "/accounts/key/"+addr.Hex(), nil,
				protoAnswer(func() *accountsv1.KeyRef { return &accountsv1.KeyRef{} }))
		},
	})
	addQueryAccountsMoreCmds(cmd) // query_accounts_more.go
	return cmd
}
