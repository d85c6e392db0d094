package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

// newTxAccountsMembersCmds are the member and threshold transactions of
// x/accounts under `jcreditd tx accounts`: members update, policy set,
// approve-action, cancel-action.
func newTxAccountsMembersCmds() []*cobra.Command {
	members := &cobra.Command{Use: "members", Short: "An organisation's member keys: add, change roles, remove"}
	members.AddCommand(newTxAccountsMembersUpdateCmd())
	policy := &cobra.Command{Use: "policy", Short: "An account's threshold policy: approvals needed per action class"}
	policy.AddCommand(newTxAccountsPolicySetCmd())
	return []*cobra.Command{members, policy, newTxAccountsApproveActionCmd(), newTxAccountsCancelActionCmd()}
}

func newTxAccountsMembersUpdateCmd() *cobra.Command {
	var set, remove []string
	cmd := &cobra.Command{
		Use:   "update [--set <address|key name>:<role>[:<label>]]... [--remove <address|key name>]...",
		Short: "Add member keys to your account, change their roles, remove them (signer: the primary key; with a keys-and-members rule, a representative and the approvals it asks)",
		Long: `Give your account member keys, each with a role inside it:
  representative  initiates any of the account's actions and approves pending ones
  approver        only approves pending actions (tx accounts approve-action)
  viewer          reads off chain; signs nothing on chain
--set adds a fresh key (never a key of any account, never removed or rotated
away) or changes an existing member's role and label; --remove takes a key
out for good (it never signs again, and its approvals stop counting). An
account has at most 16 members. Until the account's threshold policy has a
keys-and-members rule only its primary key may do this; then a
representative may too, with the approvals the rule asks.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m := &accountsv1.MsgUpdateMembers{}
			for _, s := range set {
				parts := strings.SplitN(s, ":", 3)
				if len(parts) < 2 {
					return fmt.Errorf("--set %q: give <address|key name>:<role>[:<label>]", s)
				}
				addr, err := resolveAddress(cmd, parts[0])
				if err != nil {
					return err
				}
				role, err := accounts.ParseMemberRole(parts[1])
				if err != nil {
					return err
				}
				ch := &accountsv1.MemberChange{Address: addr.Hex(), Role: role}
				if len(parts) == 3 {
					ch.Label = parts[2]
				}
				m.Changes = append(m.Changes, ch)
			}
			for _, r := range remove {
				addr, err := resolveAddress(cmd, r)
				if err != nil {
					return err
				}
				m.Changes = append(m.Changes, &accountsv1.MemberChange{Address: addr.Hex(), Remove: true})
			}
			if len(m.Changes) == 0 {
				return fmt.Errorf("nothing to change: give --set or --remove")
			}
			return broadcastMsgs(cmd, m)
		},
	}
	cmd.Flags().StringArrayVar(&set, "set", nil, "<address|key name>:<role>[:<label>]: add a member or change its role (repeatable)")
	cmd.Flags().StringArrayVar(&remove, "remove", nil, "<address|key name>: remove a member key (repeatable)")
	return cmd
}

// parseRule reads "retire=2", "keys-and-members=2" or "transfer>100=2"
// (transfers of at most 100 credits need one approval, more need 2).
func parseRule(s string) (*accountsv1.ThresholdRule, error) {
	left, k, ok := strings.Cut(s, "=")
	if !ok {
		return nil, fmt.Errorf("--rule %q: give <class>=<approvals> or transfer><credits>=<approvals>", s)
	}
	n, err := strconv.ParseUint(k, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("--rule %q: approvals %q is not a number", s, k)
	}
	r := &accountsv1.ThresholdRule{Approvals: uint32(n)}
	class, above, hasAbove := strings.Cut(left, ">")
	if hasAbove {
		if r.AboveQuantity, err = strconv.ParseUint(above, 10, 64); err != nil {
			return nil, fmt.Errorf("--rule %q: credits %q is not a number", s, above)
		}
	}
	if r.Class, err = accounts.ParseActionClass(class); err != nil {
		return nil, err
	}
	return r, nil
}

func newTxAccountsPolicySetCmd() *cobra.Command {
	var rules []string
	var clear bool
	cmd := &cobra.Command{
		Use:   "set --rule <class>=<approvals>... | --clear",
		Short: "Set your account's threshold policy: how many of its keys must approve each class of action (signer: as members update)",
		Long: `Replace your account's threshold policy. Classes:
  transfer          transfers, two-step transfer offers and settlement locks;
                    transfer>N=k: a transaction moving at most N credits needs one approval
  retire            retirements
  cancel            a ministry's cancellations
  keys-and-members  member changes, this policy, key rotation, delegations, trusted recipients
Approvals count distinct keys able to approve: the primary key, representatives
and approvers; a policy needing more than the account has is refused. A
transaction needing more than its signer's approval becomes a pending action
the others approve with approve-action, until it expires. --clear removes the
policy: one signature is enough again.
Example: jcreditd tx accounts policy set --rule transfer>100=2 --rule retire=2 --rule keys-and-members=2`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if clear == (len(rules) > 0) {
				return fmt.Errorf("give --rule (one or more) or --clear")
			}
			m := &accountsv1.MsgSetThresholdPolicy{}
			for _, s := range rules {
				r, err := parseRule(s)
				if err != nil {
					return err
				}
				m.Rules = append(m.Rules, r)
			}
			return broadcastMsgs(cmd, m)
		},
	}
	cmd.Flags().StringArrayVar(&rules, "rule", nil, "<class>=<approvals>, or transfer><credits>=<approvals> (repeatable)")
	cmd.Flags().BoolVar(&clear, "clear", false, "remove the policy")
	return cmd
}

func newTxAccountsApproveActionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "approve-action <id>",
		Short: "Approve a pending action of your account; the approval that reaches the policy's threshold executes it (signer: a representative, an approver or the primary key)",
		Long: `Approve a pending action of the account your key belongs to (the id is in
the accounts.action_pending event of the transaction that initiated it, and in
jcreditd q accounts pending <account>). If this approval brings the approvals
that count — those of keys still able to approve — to what the policy asks,
the action's messages execute in this transaction; if one fails, this
transaction fails with its error and the action stays pending.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("action id %q is not a number", args[0])
			}
			return broadcastMsgs(cmd, &accountsv1.MsgApproveAction{ActionId: id})
		},
	}
}

func newTxAccountsCancelActionCmd() *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "cancel-action <id> --reason \"...\"",
		Short: "Withdraw a pending action of your account: it never executes (signer: a representative or the primary key)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseUint(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("action id %q is not a number", args[0])
			}
			return broadcastMsgs(cmd, &accountsv1.MsgCancelAction{ActionId: id, Reason: reason})
		},
	}
	cmd.Flags().StringVar(&reason, "reason", "", "why it is withdrawn")
	return cmd
}
