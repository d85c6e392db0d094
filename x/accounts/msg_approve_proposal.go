package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/module"
)

func validateApproveProposal(m *accountsv1.MsgApproveProposal) error {
	if m.ProposalId == 0 {
		return ErrInvalidProposal.Wrapf("proposal_id must be set (ids start at 1)")
	}
	return nil
}

// ApproveProposal records a ministry's approval of a pending proposal. The
// approval that brings the distinct active ministries to the quorum applies
// the change in the same transaction; if the change no longer fits the state
// (the validator was removed meanwhile, say), that approval is refused with
// the reason and the proposal stays pending until it expires.
func (k *Keeper) ApproveProposal(ctx module.Context, m *accountsv1.MsgApproveProposal) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_MINISTRY, "approving a proposal"); err != nil {
		return err
	}
	p := k.GetProposal(ctx.Store, m.ProposalId)
	if p == nil {
		return ErrUnknownProposal.Wrapf("no proposal %d", m.ProposalId)
	}
	if p.Status != accountsv1.ProposalStatus_PROPOSAL_STATUS_PENDING {
		return ErrProposalNotPending.Wrapf("proposal %d is %s since height %d", p.Id, p.Status, p.DecidedHeight)
	}
	return k.approve(ctx, p)
}
