package accounts

import (
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

func validateProposeGxEtsCap(m *accountsv1.MsgProposeGxEtsCap) error {
	if p := m.Change.GetCapPercent(); p < 1 || p > 100 {
		return ErrInvalidProposal.Wrapf("the GX-ETS cap must be 1 to 100 percent of verified emissions, not %d", p)
	}
	return nil
}

// ProposeGxEtsCap lets a ministry propose a new share of verified
// emissions that J-Credits may cover in GX-ETS compliance; it applies when
// the ministry quorum approves, from that transaction on. Retirements
// already made keep counting.
func (k *Keeper) ProposeGxEtsCap(ctx module.Context, m *accountsv1.MsgProposeGxEtsCap) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_MINISTRY, "proposing a GX-ETS cap"); err != nil {
		return err
	}
	_, err := k.submit(ctx, &accountsv1.Proposal{Change: &accountsv1.Proposal_GxEtsCap{GxEtsCap: proto.Clone(m.Change).(*accountsv1.GxEtsCapChange)}})
	return err
}
