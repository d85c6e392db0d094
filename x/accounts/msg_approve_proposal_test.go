package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

func TestApproveProposal(t *testing.T) {
	c := governanceChain(t)
	c.MustExec("meti", addValidator("provider-node", "provider", 5))
	resp := c.BlockResponse(c.Tx("maff", approve(1)))
	res := resp.TxResults[0]
	wantCode(t, res, nil)
	if !hasEvent(res.Events, accounts.EventApprove, "ministry", apptest.Addr("maff").Hex()) ||
		!hasEvent(res.Events, accounts.EventApplied, "proposal", "1") {
		t.Fatalf("events: %v", res.Events)
	}
	k, s := keeperView(t, c)
	p := k.GetProposal(s, 1)
	if p.Status != accountsv1.ProposalStatus_PROPOSAL_STATUS_APPLIED || p.DecidedHeight != c.Height || len(p.ApprovalAccounts) != 2 {
		t.Fatalf("proposal: %+v", p)
	}
	v := k.GetValidator(s, apptest.ConsensusKey("provider-node"))
	if v == nil || v.Power != 5 || v.OperatorAccount != numberOf(k, s, "provider") || v.SinceHeight != c.Height {
		t.Fatalf("validator: %+v", v)
	}
	if len(resp.ValidatorUpdates) != 1 || resp.ValidatorUpdates[0].Power != 5 || resp.ValidatorUpdates[0].PubKeyType != "ed25519" {
		t.Fatalf("updates: %v", resp.ValidatorUpdates)
	}
}

func TestApproveProposalRejections(t *testing.T) {
	c := governanceChain(t)
	c.MustExec("meti", addValidator("provider-node", "provider", 5)) // 1: pending
	c.MustExec("meti", setPower("moe", 20))                          // 2
	c.MustExec("maff", approve(2))                                   // 2: applied
	c.MustExec("meti", removeValidator("maff"))                      // 3: pending
	c.MustExec("moe", removeValidator("maff"))                       // 4: pending
	c.MustExec("maff", approve(3))                                   // 3: applied, maff's node is gone
	for _, tc := range []struct {
		name   string
		signer string
		msg    *accountsv1.MsgApproveProposal
		err    *module.Error
	}{
		{"not a ministry", "secretariat", approve(1), accounts.ErrUnauthorized},
		{"twice by the proposer", "meti", approve(1), accounts.ErrAlreadyApproved},
		{"unknown proposal", "moe", approve(99), accounts.ErrUnknownProposal},
		{"no id", "moe", approve(0), accounts.ErrInvalidProposal},
		{"already applied", "moe", approve(2), accounts.ErrProposalNotPending},
		// The quorum would apply a removal whose node is already gone: the
		// approval is refused with the reason, the proposal stays pending.
		{"no longer applicable", "meti", approve(4), accounts.ErrUnknownValidator},
	} {
		t.Run(tc.name, func(t *testing.T) { reject(t, c, tc.signer, tc.err, tc.msg) })
	}
}
