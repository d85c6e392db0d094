package accounts

import (
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/upgrade"
)

func validateProposeUpgrade(m *accountsv1.MsgProposeUpgrade) error {
	if m.Change == nil {
		return ErrInvalidProposal.Wrapf("the proposal carries no change")
	}
	if m.Change.Cancel {
		if m.Change.Plan != nil {
			return ErrInvalidProposal.Wrapf("a cancellation carries no plan")
		}
		return nil
	}
	return upgrade.ValidatePlan(m.Change.Plan)
}

// ProposeUpgrade lets a ministry propose a software upgrade at a height (or
// the cancellation of the scheduled one). Like a validator change, it takes
// effect when the ministry quorum approves it: x/upgrade then stores the
// plan, and at its height every node either migrates the state (new binary)
// or stops and says which version to run (old binary). The plan is checked
// now and again at the quorum, when its height must still be ahead.
func (k *Keeper) ProposeUpgrade(ctx module.Context, m *accountsv1.MsgProposeUpgrade) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_MINISTRY, "proposing a software upgrade"); err != nil {
		return err
	}
	ch := proto.Clone(m.Change).(*accountsv1.UpgradeChange)
	if err := k.checkUpgradeChange(ctx, ch); err != nil {
		return err
	}
	_, err := k.submit(ctx, &accountsv1.Proposal{Change: &accountsv1.Proposal_Upgrade{Upgrade: ch}})
	return err
}

func (k *Keeper) checkUpgradeChange(ctx module.Context, ch *accountsv1.UpgradeChange) error {
	if k.upgrades == nil {
		return module.ErrInternal.Wrapf("the upgrade module is not wired")
	}
	if ch.Cancel {
		if k.upgrades.Plan(ctx.Store) == nil {
			return ErrInvalidProposal.Wrapf("no upgrade is scheduled; there is nothing to cancel")
		}
		return nil
	}
	return k.upgrades.CheckSchedule(ctx, ch.Plan)
}

// applyUpgradeChange schedules or cancels the upgrade once the quorum is
// reached.
func (k *Keeper) applyUpgradeChange(ctx module.Context, ch *accountsv1.UpgradeChange) error {
	if err := k.checkUpgradeChange(ctx, ch); err != nil {
		return err
	}
	if ch.Cancel {
		return k.upgrades.Cancel(ctx)
	}
	return k.upgrades.Schedule(ctx, proto.Clone(ch.Plan).(*upgradev1.Plan))
}
