package upgrade_test

import (
	"testing"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/upgrade"
)

func TestErrorCodesUnique(t *testing.T) {
	if err := module.CheckCodes(upgrade.AllErrors...); err != nil {
		t.Fatal(err)
	}
}

func TestScheduleReplaceAndCancel(t *testing.T) {
	c := apptest.New(t, nil).ReplayAtEnd()
	cancel := &accountsv1.MsgProposeUpgrade{Change: &accountsv1.UpgradeChange{Cancel: true}}
	if res := c.Exec("meti", cancel); res.Code != accounts.ErrInvalidProposal.Code {
		t.Fatalf("cancelling nothing: %d %s", res.Code, res.Log)
	}
	plan := func(name string, h int64) *accountsv1.MsgProposeUpgrade {
		return &accountsv1.MsgProposeUpgrade{Change: &accountsv1.UpgradeChange{Plan: &upgradev1.Plan{Name: name, Height: h}}}
	}
	c.MustExec("meti", plan("v2", 50))
	c.MustExec("maff", &accountsv1.MsgApproveProposal{ProposalId: 1})
	c.MustExec("meti", plan("v2b", 60))
	c.MustExec("moe", &accountsv1.MsgApproveProposal{ProposalId: 2})
	got := &upgradev1.QueryPlanResponse{}
	if err := c.Read("/upgrade/Plan", nil, got); err != nil || got.Plan.GetName() != "v2b" {
		t.Fatalf("a later approved plan replaces the earlier one: %v %v", got, err)
	}
	c.MustExec("moe", cancel)
	if err := c.Read("/upgrade/Plan", nil, got); err != nil {
		t.Fatal("one ministry's cancellation took effect")
	}
	c.MustExec("meti", &accountsv1.MsgApproveProposal{ProposalId: 3})
	if err := c.Read("/upgrade/Plan", nil, got); err == nil {
		t.Fatalf("plan still scheduled after the cancellation: %v", got)
	}
	v := &upgradev1.QueryVersionResponse{}
	if err := c.Read("/upgrade/Version", nil, v); err != nil || v.Version != app.StateVersion {
		t.Fatalf("version: %v %v", v, err)
	}
	applied := &upgradev1.QueryAppliedUpgradesResponse{}
	if err := c.Read("/upgrade/AppliedUpgrades", nil, applied); err != nil || len(applied.Applied) != 0 || applied.Page == nil {
		t.Fatalf("applied upgrades: %v %v", applied, err)
	}
}
