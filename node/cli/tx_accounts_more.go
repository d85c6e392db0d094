package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/privval"
	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/node/client"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/accounts"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
)

// addTxAccountsGovernanceCmds adds the account-management, key-rotation and
// ministry-quorum commands (x/accounts) to `jcreditd tx accounts`.
func addTxAccountsGovernanceCmds(cmd *cobra.Command) {
	cmd.AddCommand(
		newTxAccountsRolesCmd(),
		newTxAccountsStatusCmd("suspend", "Suspend an active account: it signs and receives nothing until reactivated (signer: the secretariat)",
			func(addr, reason string) proto.Message {
				return &accountsv1.MsgSuspendAccount{Address: addr, Reason: reason}
			}),
		newTxAccountsStatusCmd("reactivate", "Reactivate a suspended account (signer: the secretariat)",
			func(addr, reason string) proto.Message {
				return &accountsv1.MsgReactivateAccount{Address: addr, Reason: reason}
			}),
		newTxAccountsStatusCmd("close", "Close an account for good; it must hold no active credits and run no validator (signer: the secretariat)",
			func(addr, reason string) proto.Message {
				return &accountsv1.MsgCloseAccount{Address: addr, Reason: reason}
			}),
		newTxAccountsRotateCmd(),
		newTxAccountsProposeValidatorCmd(),
		newTxAccountsProposeMinistryCmd(),
		newTxAccountsProposeUpgradeCmd(),
		newTxAccountsApproveCmd(),
	)
}

func newTxAccountsRolesCmd() *cobra.Command {
	var roles []string
	cmd := &cobra.Command{
		Use:   "update-roles <address|key name> --roles provider,holder",
		Short: "Replace an account's roles (signer: the secretariat; the ministry role only by ministry quorum)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			rs, err := parseRoles(roles)
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, &accountsv1.MsgUpdateRoles{Address: addr.Hex(), Roles: rs})
		},
	}
	cmd.Flags().StringSliceVar(&roles, "roles", nil, "the complete new set of roles, comma-separated")
	_ = cmd.MarkFlagRequired("roles")
	return cmd
}

func newTxAccountsStatusCmd(verb, short string, build func(addr, reason string) proto.Message) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   verb + " <address|key name> --reason \"...\"",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := resolveAddress(cmd, args[0])
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, build(addr.Hex(), reason))
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why (recorded on the account)")
	_ = cmd.MarkFlagRequired("reason")
	return cmd
}

func newTxAccountsRotateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rotate-key <new key name> --from <current key>",
		Short: "Give the --from account a new key (it keeps its number, roles, credits and history); the old key stops working",
		Long: `Rotate the signing key of the --from account. The new key must be in the
home's key store (jcreditd keys add <name>): it signs a proof of possession
(chain id, old and new address), and the old key signs the transaction. Both
passphrases are asked for (or read from --passphrase-file / the environment).
After the block, only the new key can sign for the account.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			from, _ := cmd.Flags().GetString(flagFrom)
			if from == "" {
				return fmt.Errorf("--from is required: the account's current key")
			}
			ring := keyring(cmd)
			oldInfo, err := ring.Show(from)
			if err != nil {
				return err
			}
			newInfo, err := ring.Show(args[0])
			if err != nil {
				return err
			}
			c, err := newClient(cmd)
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), client.DefaultCommitTimeout)
			defer cancel()
			chainID, err := c.ChainID(ctx)
			if err != nil {
				return err
			}
			pass, err := passphrase(cmd, fmt.Sprintf("Passphrase for the NEW key %q: ", newInfo.Name), false)
			if err != nil {
				return err
			}
			newKey, _, err := ring.Key(args[0], pass)
			if err != nil {
				return err
			}
			sig, err := accounts.SignRotation(chainID, oldInfo.Address, newKey)
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, &accountsv1.MsgRotateKey{NewAddress: newInfo.Address.Hex(), NewKeySignature: sig})
		},
	}
}

// parseConsensusKey accepts an ed25519 key in base64 (as genesis.json and
// priv_validator_key.json write it) or hex.
func parseConsensusKey(s string) ([]byte, error) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		return b, nil
	}
	if b, err := hex.DecodeString(strings.TrimPrefix(s, "0x")); err == nil && len(b) == 32 {
		return b, nil
	}
	return nil, fmt.Errorf("%q is not a 32-byte ed25519 public key in base64 or hex (see priv_validator_key.json's pub_key.value)", s)
}

// signPossession signs the change with the consensus key in keyFile (a
// CometBFT priv_validator_key.json) for the chain at --node (or
// --chain-id), proving that the node's holder consents: the sign bytes are
// x/accounts/types.ValidatorPossessionSignBytes.
func signPossession(cmd *cobra.Command, keyFile string, ch *accountsv1.ValidatorChange) error {
	bz, err := os.ReadFile(keyFile)
	if err != nil {
		return fmt.Errorf("--consensus-key: %w", err)
	}
	var pvKey privval.FilePVKey
	if err := cmtjson.Unmarshal(bz, &pvKey); err != nil || pvKey.PrivKey == nil {
		return fmt.Errorf("--consensus-key %s is not a CometBFT priv_validator_key.json: %v", keyFile, err)
	}
	if !bytes.Equal(pvKey.PrivKey.PubKey().Bytes(), ch.PubKey) {
		return fmt.Errorf("--consensus-key %s holds the key %s, not %s: sign with the key you propose",
			keyFile, base64.StdEncoding.EncodeToString(pvKey.PrivKey.PubKey().Bytes()), base64.StdEncoding.EncodeToString(ch.PubKey))
	}
	chainID, _ := cmd.Flags().GetString(flagChainID)
	if chainID == "" {
		timeout, _ := cmd.Flags().GetDuration(flagTimeout)
		ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
		defer cancel()
		c, err := newClient(cmd)
		if err != nil {
			return err
		}
		if chainID, err = c.ChainID(ctx); err != nil {
			return err
		}
	}
	var op common.Address
	if ch.Kind == accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD {
		op = common.HexToAddress(ch.Operator)
	}
	sig, err := pvKey.PrivKey.Sign(accountstypes.ValidatorPossessionSignBytes(chainID, ch.Kind, ch.PubKey, ch.Power, op))
	if err != nil {
		return err
	}
	ch.PossessionSignature = sig
	return nil
}

func newTxAccountsProposeValidatorCmd() *cobra.Command {
	var power int64
	var operator, name, consensusKey string
	cmd := &cobra.Command{
		Use:   "propose-validator add|remove|set-power <consensus pubkey>",
		Short: "Propose a validator-set change (signer: a ministry; applies when a ministry quorum approves)",
		Long: `Propose adding, removing or re-weighting a validator node. The key is the
node's CometBFT ed25519 consensus key (base64, as in priv_validator_key.json,
or hex). add needs --power and --operator (an active ministry, secretariat or
provider account); set-power needs --power. Your approval counts; the change
applies when the quorum of ministries approves (jcreditd tx accounts approve).

Adding a node, or raising the power of one that has not signed a block yet,
needs proof that its holder has the key: --consensus-key names the node's
priv_validator_key.json, whose key signs the change (chain id, key, power,
operator). Ask the node's operator to run the command on the node's host, or
to sign with the file there. The chain also refuses any change that would
give nodes that have not signed a block yet a third or more of the power,
or leave the nodes that signed recently two thirds or less (see SECURITY.md).`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			kinds := map[string]accountsv1.ValidatorChangeKind{
				"add":       accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD,
				"remove":    accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_REMOVE,
				"set-power": accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_SET_POWER,
			}
			kind, ok := kinds[args[0]]
			if !ok {
				return fmt.Errorf("%q: use add, remove or set-power", args[0])
			}
			key, err := parseConsensusKey(args[1])
			if err != nil {
				return err
			}
			ch := &accountsv1.ValidatorChange{Kind: kind, PubKey: key, Name: name}
			if kind != accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_REMOVE {
				ch.Power = power
			}
			if operator != "" {
				op, err := resolveAddress(cmd, operator)
				if err != nil {
					return err
				}
				ch.Operator = op.Hex()
			}
			if consensusKey != "" {
				if err := signPossession(cmd, consensusKey, ch); err != nil {
					return err
				}
			} else if kind == accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD {
				return fmt.Errorf("adding a validator needs --consensus-key <the node's priv_validator_key.json>: its key signs the change to prove the node holds it")
			}
			return broadcastMsgs(cmd, &accountsv1.MsgProposeValidatorChange{Change: ch})
		},
	}
	cmd.Flags().StringVar(&consensusKey, "consensus-key", "", "path of the node's priv_validator_key.json, whose key signs the change (add; set-power of a node that has not signed yet)")
	cmd.Flags().Int64Var(&power, "power", 0, "voting power (add, set-power)")
	cmd.Flags().StringVar(&operator, "operator", "", "operator account, address or key name (add)")
	cmd.Flags().StringVar(&name, "name", "", "label for the node (add)")
	return cmd
}

func newTxAccountsProposeMinistryCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "propose-ministry grant|revoke <address|key name>",
		Short: "Propose granting or revoking the ministry role (signer: a ministry; applies at quorum)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var grant bool
			switch args[0] {
			case "grant":
				grant = true
			case "revoke":
			default:
				return fmt.Errorf("%q: use grant or revoke", args[0])
			}
			addr, err := resolveAddress(cmd, args[1])
			if err != nil {
				return err
			}
			return broadcastMsgs(cmd, &accountsv1.MsgProposeMinistryRole{
				Change: &accountsv1.MinistryRoleChange{Address: addr.Hex(), Grant: grant},
			})
		},
	}
}

func newTxAccountsProposeUpgradeCmd() *cobra.Command {
	var height int64
	var info string
	var cancel bool
	cmd := &cobra.Command{
		Use:   "propose-upgrade <name> --height H [--info TEXT] | --cancel",
		Short: "Propose a software upgrade at a height, or cancelling the scheduled one (signer: a ministry; applies at quorum)",
		Long: `Propose that every node moves to a new version of the state machine at block
--height. When a quorum of ministries approves (jcreditd tx accounts approve),
the plan is scheduled: at that height nodes whose binary has the upgrade
migrate the state and carry on; others stop before the block and say which
release to run (--info: say it here, e.g. "jcreditd v0.3.0, sha256 ...").
With --cancel (and no name) the proposal cancels the scheduled plan.`,
		Args: cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cancel {
				if len(args) > 0 || height != 0 {
					return fmt.Errorf("--cancel takes no name and no --height")
				}
				return broadcastMsgs(cmd, &accountsv1.MsgProposeUpgrade{Change: &accountsv1.UpgradeChange{Cancel: true}})
			}
			if len(args) != 1 || height <= 0 {
				return fmt.Errorf("give the upgrade's name and --height (or --cancel)")
			}
			return broadcastMsgs(cmd, &accountsv1.MsgProposeUpgrade{Change: &accountsv1.UpgradeChange{
				Plan: &upgradev1.Plan{Name: args[0], Height: height, Info: info},
			}})
		},
	}
	cmd.Flags().Int64Var(&height, "height", 0, "the first block the new version executes")
	cmd.Flags().StringVar(&info, "info", "", "what operators must run (release, checksum, URL)")
	cmd.Flags().BoolVar(&cancel, "cancel", false, "cancel the scheduled upgrade instead")
	return cmd
}

func newTxAccountsApproveCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "approve <proposal id>",
		Short: "Approve a pending proposal (signer: a ministry); the approval reaching the quorum applies it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil || id == 0 {
				return fmt.Errorf("proposal id %q: want a number from 1 (see jcreditd q accounts proposals)", args[0])
			}
			return broadcastMsgs(cmd, &accountsv1.MsgApproveProposal{ProposalId: id})
		},
	}
}
