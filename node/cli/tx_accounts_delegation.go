package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

// flagOnBehalfOf names the account an agent acts for under a delegation
// (transfer, retire, submit, submit-report).
const flagOnBehalfOf = "on-behalf-of"

func addOnBehalfOfFlag(cmd *cobra.Command) {
	cmd.Flags().String(flagOnBehalfOf, "", "act for this account (address, number or key name) under the delegation it gave the --from account")
}

// onBehalfOf reads --on-behalf-of as a message names the account: "" if
// not given.
func onBehalfOf(cmd *cobra.Command) (string, error) {
	s, _ := cmd.Flags().GetString(flagOnBehalfOf)
	if s == "" {
		return "", nil
	}
	return resolveAccount(cmd, s)
}

func newTxAccountsGrantDelegationCmd() *cobra.Command {
	var (
		actions []string
		max     uint64
		until   int64
	)
	cmd := &cobra.Command{
		Use:   "grant-delegation <agent address|key name> --actions retire,transfer --max-quantity N --until-height H",
		Short: "Let an agent (application agent, provider) act for your account: which actions, how many credits, until which height (signer: your account)",
		Long: `Authorise an agent account to act for yours. The agent signs with its own key
and names your account with --on-behalf-of; every record it makes names both
accounts. Actions: submit-project, submit-report, transfer, retire.
--max-quantity bounds the credits it may transfer and retire in all;
--until-height is the last height it may act. A new grant to the same agent
replaces the old one; revoke-delegation ends it at once.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			agent, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			m := &accountsv1.MsgGrantDelegation{Agent: agent.Hex(), MaxQuantity: max, ExpiresHeight: until}
			for _, list := range actions {
				for _, one := range strings.Split(list, ",") {
					a, err := accounts.ParseDelegatedAction(strings.TrimSpace(one))
					if err != nil {
						return err
					}
					m.Actions = append(m.Actions, a)
				}
			}
			return broadcastMsgs(cmd, m)
		},
	}
	cmd.Flags().StringSliceVar(&actions, "actions", nil, "comma-separated: submit-project, submit-report, transfer, retire (required)")
	cmd.Flags().Uint64Var(&max, "max-quantity", 0, "credits the agent may transfer and retire in all")
	cmd.Flags().Int64Var(&until, "until-height", 0, "the last height at which the agent may act (required)")
	_ = cmd.MarkFlagRequired("actions")
	_ = cmd.MarkFlagRequired("until-height")
	return cmd
}

func newTxAccountsRevokeDelegationCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke-delegation <agent address|key name>",
		Short: "End an agent's delegation from your account, from this transaction on (signer: your account)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			agent, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, &accountsv1.MsgRevokeDelegation{Agent: agent.Hex()})
		},
	}
}

func newTxAccountsTrustedRecipientsCmd() *cobra.Command {
	var add, remove []string
	var restrict string
	cmd := &cobra.Command{
		Use:   "trusted-recipients [--add <account>...] [--remove <account>...] [--restrict on|off]",
		Short: "Restrict your transfers to trusted recipients; added ones can receive after a delay (signer: your account)",
		Long: `Keep a list of trusted recipients and, with --restrict on, transfer only to
them. A recipient added now can receive only after the chain's delay
(jcreditd q accounts params: trusted_recipient_delay_blocks); one removed
stops at once. --restrict on applies at once; --restrict off after the same
delay. A stolen key can therefore neither add its thief's account nor lift
the restriction in time to empty the account.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m := &accountsv1.MsgUpdateTrustedRecipients{}
			for _, a := range add {
				addr, err := resolveAddress(cmd, a)
				if err != nil {
					return err
				}
				m.Add = append(m.Add, addr.Hex())
			}
			for _, a := range remove {
				addr, err := resolveAddress(cmd, a)
				if err != nil {
					return err
				}
				m.Remove = append(m.Remove, addr.Hex())
			}
			switch restrict {
			case "":
			case "on":
				m.Restriction = accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON
			case "off":
				m.Restriction = accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_OFF
			default:
				return fmt.Errorf("--restrict %q: on or off", restrict)
			}
			return broadcastMsgs(cmd, m)
		},
	}
	cmd.Flags().StringSliceVar(&add, "add", nil, "accounts to trust (address or key name; comma-separated or repeated)")
	cmd.Flags().StringSliceVar(&remove, "remove", nil, "accounts to trust no longer")
	cmd.Flags().StringVar(&restrict, "restrict", "", "on: transfer only to trusted recipients (at once); off: lift it (after the delay)")
	return cmd
}
