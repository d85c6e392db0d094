package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

func newGenesisCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "genesis",
		Short: "Edit the genesis of a home before the chain starts, or export a chain's state as a genesis",
	}
	cmd.AddCommand(newGenesisAddAccountCmd(), newGenesisSetOperatorCmd(), newGenesisExportCmd())
	return cmd
}

func newGenesisAddAccountCmd() *cobra.Command {
	var f accountFlags
	var operator bool
	cmd := &cobra.Command{
		Use:   "add-account <address|key name>",
		Short: "Open an account at genesis (the first secretariat and the ministries start this way)",
		Long: `Add an account to app_state.accounts of <home>/config/genesis.json. At least one
account must hold the secretariat role: only the secretariat can open accounts
once the chain runs. The ministry role is granted only here or by a ministry
quorum later.

Every genesis validator must name the account that operates it. Unless
--validator-operator=false, the first account added that may run a validator
(secretariat, ministry or provider role) becomes the operator of this home's
validator.`,
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
			home := homeDir(cmd)
			doc, err := node.ReadGenesis(home)
			if err != nil {
				return err
			}
			acc := &accountsv1.Account{Address: addr.Hex(), LegalName: f.name, EntityKind: kind, Country: f.country, Roles: roles,
				CorporateNumber: f.corporateNumber, RegistrationNumber: f.registrationNumber, PostalAddress: f.postalAddress, Department: f.department}
			if err := node.AddAccountToGenesis(doc, acc); err != nil {
				return err
			}
			operates := ""
			if operator && node.CanOperateValidator(acc) {
				pub, err := node.HomeValidator(home)
				if err != nil {
					return err
				}
				if cur, err := node.ValidatorOperator(doc, pub); err == nil && cur == "" {
					if err := node.SetValidatorOperator(doc, pub, addr.Hex()); err != nil {
						return err
					}
					operates = pub.Address().String()
				}
			}
			if err := node.WriteGenesis(home, doc); err != nil {
				return err
			}
			out := map[string]any{"address": addr.Hex(), "name": f.name, "roles": roleNames(roles), "operates_validator": operates}
			return emit(cmd, out, func(w io.Writer) {
				fmt.Fprintf(w, "added genesis account %s (%s) with roles %v\n", addr.Hex(), f.name, roleNames(roles))
				if operates != "" {
					fmt.Fprintf(w, "it operates this node's validator %s\n", operates)
				}
			})
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&operator, "validator-operator", true, "make this account the operator of this home's validator if it has none yet and the roles allow it")
	return cmd
}

func newGenesisSetOperatorCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "set-operator <address|key name>",
		Short: "Name the genesis account that operates this home's validator",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			home := homeDir(cmd)
			doc, err := node.ReadGenesis(home)
			if err != nil {
				return err
			}
			pub, err := node.HomeValidator(home)
			if err != nil {
				return err
			}
			if err := node.SetValidatorOperator(doc, pub, addr.Hex()); err != nil {
				return err
			}
			if err := node.WriteGenesis(home, doc); err != nil {
				return err
			}
			out := map[string]any{"validator": pub.Address().String(), "operator": addr.Hex()}
			return emit(cmd, out, func(w io.Writer) {
				fmt.Fprintf(w, "validator %s is operated by %s\n", pub.Address(), addr.Hex())
			})
		},
	}
}

func newGenesisExportCmd() *cobra.Command {
	var height int64
	var out string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the node's whole state at a committed height as the genesis of a new chain",
		Long: `Read the state of the (stopped) node in --home at a committed height (default:
the latest) and write it as a genesis.json: every account with its number,
keys, nonces and history, every proposal, validator, methodology, project,
report, batch, range, retirement, cancellation, label change and use table,
with their original ids, serials, heights and tx hashes; the chain id; the
consensus parameters in force; the validators; the time of that block as
genesis time; initial_height = height + 1. The same state always gives the
same bytes. The file is checked as a node starting from it would check it
before it is written.

The node must be stopped: while it runs it holds the lock on its databases.

  jcreditd genesis export --home ~/.jcredit --height 1200 --out genesis-1200.json

A new chain started from the file (its validators' homes with this
genesis.json and empty data directories) holds every record of the old one
and carries on at height+1.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := node.ExportGenesis(homeDir(cmd), height)
			if err != nil {
				return err
			}
			bz, err := cmtjson.MarshalIndent(e.Doc, "", "  ")
			if err != nil {
				return err
			}
			bz = append(bz, '\n')
			if out == "" {
				_, err = cmd.OutOrStdout().Write(bz)
				return err
			}
			if err := os.WriteFile(out, bz, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "exported height %d of %s (app hash %X) to %s: %d bytes; a chain started from it begins at height %d\n",
				e.Height, e.Doc.ChainID, e.AppHash, out, len(bz), e.Doc.InitialHeight)
			return nil
		},
	}
	cmd.Flags().Int64Var(&height, "height", 0, "the committed height to export (default: the latest)")
	cmd.Flags().StringVarP(&out, "out", "O", "", "write the genesis to this file (default: stdout)")
	return cmd
}

func roleNames(roles []accountsv1.Role) []string {
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		out = append(out, strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(r.String(), "ROLE_")), "_", "-"))
	}
	return out
}
