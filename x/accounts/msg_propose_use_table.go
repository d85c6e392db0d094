package accounts

import (
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/module"
)

func validateProposeUseTable(m *accountsv1.MsgProposeUseTable) error {
	if m.Change.GetTable() == nil {
		return ErrInvalidProposal.Wrapf("the proposal carries no use table")
	}
	return nil
}

// ProposeUseTable lets a ministry propose a new version of the credits use
// table, the category-by-use rules every retirement is checked against.
// Like every proposal it takes effect when the ministry quorum approves
// it: x/credits checks the table now and again then, stores it as the
// next version and applies it from the approving transaction on; a
// retirement records the version it was checked against, so earlier ones
// keep theirs. One ministry alone cannot change the rules.
func (k *Keeper) ProposeUseTable(ctx module.Context, m *accountsv1.MsgProposeUseTable) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_MINISTRY, "proposing a use table"); err != nil {
		return err
	}
	if k.useRules == nil {
		return module.ErrInternal.Wrapf("the credits module is not wired")
	}
	ch := proto.Clone(m.Change).(*accountsv1.UseTableChange)
	if err := k.useRules.CheckUseTable(ctx, ch.Table); err != nil {
		return err
	}
	_, err := k.submit(ctx, &accountsv1.Proposal{Change: &accountsv1.Proposal_UseTable{UseTable: ch}})
	return err
}

// applyUseTableChange stores the table once the quorum is reached.
func (k *Keeper) applyUseTableChange(ctx module.Context, ch *accountsv1.UseTableChange, proposal uint64) error {
	if k.useRules == nil {
		return module.ErrInternal.Wrapf("the credits module is not wired")
	}
	_, err := k.useRules.ApplyUseTable(ctx, proto.Clone(ch.Table).(*creditsv1.UseTable), proposal)
	return err
}
