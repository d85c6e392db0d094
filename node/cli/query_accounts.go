package cli

import (
	"github.com/spf13/cobra"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

func newQueryAccountsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "Query accounts, signing keys, validators and proposals",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "account <address|number|key name>",
		Short: "Show an account: number, current address, name, kind, country, roles, status (provable)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			acct, err := resolveAccount(cmd, args[0])
			if err != nil {
				return err
			}
			return runQuery(cmd, "accounts", "Account", &accountsv1.QueryAccountRequest{Account: acct})
		},
	}, &cobra.Command{
		Use:   "key <address|key name>",
		Short: "Show a signing key: its account number and the nonce its next transaction must carry (provable)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			return runQuery(cmd, "accounts", "Key", &accountsv1.QueryKeyRequest{Address: addr.Hex()})
		},
	},
		newListCmd("list", "List accounts by number, optionally by --role, --status and --name (legal name)", listNamed("accounts")),
	)
	addQueryAccountsMoreCmds(cmd)                    // query_accounts_more.go
	cmd.AddCommand(newQueryAccountsGxOperatorCmd())  // gx.go
	cmd.AddCommand(newQueryAccountsMembersCmds()...) // query_accounts_members.go
	return cmd
}
