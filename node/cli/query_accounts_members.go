package cli

import (
	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node/query"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
)

// newQueryAccountsMembersCmds are the member and threshold queries of
// x/accounts under `jcreditd q accounts`: members, policy, pending and
// action.
func newQueryAccountsMembersCmds() []*cobra.Command {
	return []*cobra.Command{
		newListCmd("members <address|number|key name>", "An account's member keys: role (representative, approver, viewer), member id, label", listNamed("members")),
		newListCmd("pending <address|number|key name>", "An account's pending actions (transactions waiting for its members' approvals), by id; --pending: only those still open", listNamed("pending-actions")),
		{
			Use:   "policy <address|number|key name>",
			Short: "An account's threshold policy: approvals needed per action class (provable)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				acct, err := resolveAccount(cmd, args[0])
				if err != nil {
					return err
				}
				return runQuery(cmd, "accounts", "Policy", &accountsv1.QueryPolicyRequest{Account: acct})
			},
		},
		{
			Use:   "action <id>",
			Short: "One pending action: its messages, approvals (and how many count now), what the policy asks, status (provable)",
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				req := &accountsv1.QueryPendingActionRequest{}
				if err := query.Bind(req, map[string]string{"id": args[0]}); err != nil {
					return err
				}
				return runQuery(cmd, "accounts", "PendingAction", req)
			},
		},
	}
}
