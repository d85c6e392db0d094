package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

func validateProposeMinistryRole(m *accountsv1.MsgProposeMinistryRole) error {
	if m.Change == nil {
		return ErrInvalidProposal.Wrapf("the proposal carries no change")
	}
	_, err := types.ParseAddress(m.Change.Address)
	return err
}

// ProposeMinistryRole lets a ministry propose granting the ministry role to
// an active account, or revoking it from one. It is the only way the role
// changes after genesis. A revocation that would leave fewer active
// ministries than the quorum is refused, so that the ministries can always
// still decide.
func (k *Keeper) ProposeMinistryRole(ctx module.Context, m *accountsv1.MsgProposeMinistryRole) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_MINISTRY, "proposing a ministry-role change"); err != nil {
		return err
	}
	addr, _ := types.ParseAddress(m.Change.Address)
	ch := &accountsv1.MinistryRoleChange{Address: addr.Hex(), Grant: m.Change.Grant}
	if _, err := k.checkMinistryRoleChange(ctx.Store, ch, false); err != nil {
		return err
	}
	_, err := k.submit(ctx, &accountsv1.Proposal{Change: &accountsv1.Proposal_MinistryRole{MinistryRole: ch}})
	return err
}
