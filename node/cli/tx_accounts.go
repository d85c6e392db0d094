package cli

import (
	"github.com/spf13/cobra"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

func newTxAccountsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "Account transactions: open, update-details, grant-delegation, revoke-delegation, trusted-recipients, members, policy, approve-action, cancel-action, roles, suspend, reactivate, close, rotate-key, validator and ministry-role proposals, GX-ETS operators",
	}
	cmd.AddCommand(newTxAccountsOpenCmd(), newTxAccountsUpdateDetailsCmd(),
		newTxAccountsGrantDelegationCmd(), newTxAccountsRevokeDelegationCmd(), newTxAccountsTrustedRecipientsCmd()) // tx_accounts_delegation.go
	addTxAccountsGovernanceCmds(cmd)                                             // tx_accounts_more.go
	cmd.AddCommand(newTxAccountsProposeUseTableCmd())                            // tx_credits_rules.go
	cmd.AddCommand(newTxAccountsGxOperatorCmd(), newTxAccountsProposeGxCapCmd()) // gx.go
	cmd.AddCommand(newTxAccountsMembersCmds()...)                                // tx_accounts_members.go
	return cmd
}

func newTxAccountsOpenCmd() *cobra.Command {
	var f accountFlags
	cmd := &cobra.Command{
		Use:   "open <address|key name>",
		Short: "Open an account (signer: the secretariat)",
		Long: `Open an account for an address after the off-chain identity checks. Only an
account with the secretariat role may sign this. The ministry role cannot be
granted here. Department accounts of one corporation each carry its
corporate number (--corporate-number) and their --department; list them with
jcreditd q accounts corporate <corporate number>.`,
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
				CorporateNumber: f.corporateNumber, RegistrationNumber: f.registrationNumber,
				PostalAddress: f.postalAddress, Department: f.department,
			})
		},
	}
	f.register(cmd)
	return cmd
}

func newTxAccountsUpdateDetailsCmd() *cobra.Command {
	var name, postal, dept, reason string
	cmd := &cobra.Command{
		Use:   "update-details <address|key name> --name \"...\" --reason \"...\"",
		Short: "Change an account's legal name, registered address or department, keeping the old ones as history (signer: the secretariat)",
		Long: `Record a change of legal name (商号変更), registered address or department.
The flags give the complete new details: an address or department left out is
cleared. The replaced version is kept with the heights it was in force
(jcreditd q accounts details-history); records made before, such as
retirements, keep the legal names of their height.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, &accountsv1.MsgUpdateAccountDetails{
				Address: addr.Hex(), LegalName: name, PostalAddress: postal, Department: dept, Reason: reason,
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the legal name from now on (required)")
	cmd.Flags().StringVar(&postal, "postal-address", "", "the registered address from now on")
	cmd.Flags().StringVar(&dept, "department", "", "the department from now on (department accounts only)")
	cmd.Flags().StringVar(&reason, "reason", "", "why, as recorded with the replaced version (required)")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}
