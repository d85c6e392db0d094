package cli

import (
	"github.com/spf13/cobra"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

func newTxAccountsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "Account transactions: open, roles, suspend, reactivate, close, rotate-key, validator and ministry-role proposals, GX-ETS operators",
	}
	cmd.AddCommand(newTxAccountsOpenCmd())
	addTxAccountsGovernanceCmds(cmd)                                             // tx_accounts_more.go
	cmd.AddCommand(newTxAccountsProposeUseTableCmd())                            // tx_credits_rules.go
	cmd.AddCommand(newTxAccountsGxOperatorCmd(), newTxAccountsProposeGxCapCmd()) // gx.go
	return cmd
}

func newTxAccountsOpenCmd() *cobra.Command {
	var f accountFlags
	cmd := &cobra.Command{
		Use:   "open <address|key name>",
		Short: "Open an account (signer: the secretariat)",
		Long: `Open an account for an address after the off-chain identity checks. Only an
account with the secretariat role may sign this. The ministry role cannot be
granted here.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			kind, roles, err := f.parse()
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, &accountsv1.MsgOpenAccount{
				Address: addr.Hex(), LegalName: f.name, EntityKind: kind, Country: f.country, Roles: roles,
			})
		},
	}
	f.register(cmd)
	return cmd
}
