package cli

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node/query"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

// addQueryAccountsMoreCmds adds the role, validator, proposal and rotation
// queries of x/accounts to `jcreditd q accounts`.
func addQueryAccountsMoreCmds(cmd *cobra.Command) {
	role := &cobra.Command{
		Use:   "role <role>",
		Short: "List the accounts holding a role (any status): the accounts list with --role",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, ok := query.ParseEnum(accountsv1.Role(0).Descriptor(), args[0])
			if !ok {
				return fmt.Errorf("unknown role %q; roles are %s", args[0], strings.Join(query.EnumChoices(accountsv1.Role(0).Descriptor()), ", "))
			}
			req := &accountsv1.QueryAccountsRequest{Role: accountsv1.Role(n)}
			pr, err := pageFlags(cmd)
			if err != nil {
				return err
			}
			req.Page = pr
			return runQuery(cmd, "accounts", "Accounts", req)
		},
	}
	addPageFlags(role)
	cmd.AddCommand(
		role,
		newListCmd("corporate <corporate number>", "The accounts of one corporation (its departments), by its 13-digit corporate number (法人番号)", listNamed("corporate-accounts")),
		newListCmdArg("delegations <grantor address|number|key name>", "The delegations an account has given: agent, actions, credits allowed and used, last height", listNamed("delegations"), "grantor"),
		newListCmd("trusted-recipients <address|number|key name>", "An account's trusted recipients, each with the height from which it can receive", listNamed("trusted-recipients")),
		newListCmd("details-history <address|number|key name>", "An account's replaced legal names, addresses and departments, oldest first", listNamed("details-history")),
		newListCmd("validators", "The current validator set with each node's operator account", listNamed("validators")),
		&cobra.Command{
			Use:   "validator <consensus pubkey>",
			Short: "One validator by its ed25519 consensus key (base64 or hex); provable",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				key, err := parseConsensusKey(args[0])
				if err != nil {
					return err
				}
				return runQuery(cmd, "accounts", "Validator", &accountsv1.QueryValidatorRequest{PubKey: hex.EncodeToString(key)})
			},
		},
		newListCmd("proposals", "Validator-set, ministry-role, use-table and upgrade proposals by id; --pending: those awaiting approval, soonest to expire first", listNamed("proposals")),
		&cobra.Command{
			Use:   "proposal <id>",
			Short: "One proposal, pending or decided; provable",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				req := &accountsv1.QueryProposalRequest{}
				if err := query.Bind(req, map[string]string{"id": args[0]}); err != nil {
					return err
				}
				return runQuery(cmd, "accounts", "Proposal", req)
			},
		},
		&cobra.Command{
			Use:   "retired <address>",
			Short: "Where a rotated-away address moved to; provable",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				addr, err := resolveAddress(cmd, args[0])
				if err != nil {
					return err
				}
				return runQuery(cmd, "accounts", "RetiredAddress", &accountsv1.QueryRetiredAddressRequest{Address: addr.Hex()})
			},
		},
		&cobra.Command{
			Use:   "params",
			Short: "Ministry quorum and proposal lifetime; provable",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				return runQuery(cmd, "accounts", "Params", &accountsv1.QueryParamsRequest{})
			},
		},
	)
}
