package cli

import (
	"encoding/hex"

	"github.com/spf13/cobra"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

// addQueryAccountsMoreCmds adds the role, validator, proposal and rotation
// queries of x/accounts to `jcreditd q accounts`.
func addQueryAccountsMoreCmds(cmd *cobra.Command) {
	cmd.AddCommand(
		&cobra.Command{
			Use:   "role <role>",
			Short: "List the accounts holding a role (any status)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrint(cmd, "/accounts/role/"+args[0], nil)
			},
		},
		&cobra.Command{
			Use:   "validators",
			Short: "The current validator set with each node's operator account",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				return queryAndPrint(cmd, "/accounts/validators", nil)
			},
		},
		&cobra.Command{
			Use:   "validator <consensus pubkey>",
			Short: "One validator by its ed25519 consensus key (base64 or hex); provable",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				key, err := parseConsensusKey(args[0])
				if err != nil {
					return err
				}
				return queryAndPrintChecked(cmd, "/accounts/validator/"+hex.EncodeToString(key), nil,
					protoAnswer(func() *accountsv1.Validator { return &accountsv1.Validator{} }))
			},
		},
		&cobra.Command{
			Use:   "proposals",
			Short: "Pending proposals (validator-set and ministry-role changes), soonest to expire first",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				return queryAndPrint(cmd, "/accounts/proposals/pending", nil)
			},
		},
		&cobra.Command{
			Use:   "proposal <id>",
			Short: "One proposal, pending or decided; provable",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return queryAndPrintChecked(cmd, "/accounts/proposal/"+args[0], nil,
					protoAnswer(func() *accountsv1.Proposal { return &accountsv1.Proposal{} }))
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
				return queryAndPrintChecked(cmd, "/accounts/retired/"+addr.Hex(), nil,
					protoAnswer(func() *accountsv1.RetiredAddress { return &accountsv1.RetiredAddress{} }))
			},
		},
		&cobra.Command{
			Use:   "params",
			Short: "Ministry quorum and proposal lifetime",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				return queryAndPrintChecked(cmd, "/accounts/params", nil,
					protoAnswer(func() *accountsv1.Params { return &accountsv1.Params{} }))
			},
		},
	)
}
