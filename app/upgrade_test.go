package app_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/upgrade"
)

func proposeUpgrade(name string, height int64) *accountsv1.MsgProposeUpgrade {
	return &accountsv1.MsgProposeUpgrade{Change: &accountsv1.UpgradeChange{
		Plan: &upgradev1.Plan{Name: name, Height: height, Info: "jcreditd " + name},
	}}
}

// These tests exercise the upgrade mechanism with the next release: a chain
// at this binary's StateVersion, and a "new binary" (SetStateVersion) that
// knows upgrade nextName to nextVersion. The real migration this binary
// ships (upgrade "v2" from release v0.2.0's state) is tested against a
// state written by that release in upgrade_v2_test.go.
var (
	nextVersion = app.StateVersion + 1
	nextName    = fmt.Sprintf("v%d", nextVersion)
)

// scheduled returns a chain whose ministries scheduled upgrade nextName at
// the height it returns.
func scheduled(t *testing.T) (*apptest.Chain, int64) {
	t.Helper()
	c := apptest.New(t, nil)
	at := c.Height + 6
	c.MustExec("meti", proposeUpgrade(nextName, at))
	if res := c.Query("/upgrade/Plan", nil, false); res.Code == 0 {
		t.Fatalf("one ministry's proposal scheduled the upgrade: %s", res.Value)
	}
	c.MustExec("moe", &accountsv1.MsgApproveProposal{ProposalId: 1})
	if res := c.Query("/upgrade/Plan", nil, true); res.Code != 0 || !strings.Contains(string(res.Value), `"`+nextName+`"`) {
		t.Fatalf("plan after the quorum: %d %s %s", res.Code, res.Log, res.Value)
	}
	return c, at
}

func finalize(a *app.App, height int64) (*abci.FinalizeBlockResponse, error) {
	return a.FinalizeBlock(context.Background(), &abci.FinalizeBlockRequest{
		Height: height, Time: apptest.GenesisTime.Add(time.Duration(height) * time.Minute),
	})
}

func commit(t *testing.T, a *app.App) {
	t.Helper()
	if _, err := a.Commit(context.Background(), &abci.CommitRequest{}); err != nil {
		t.Fatal(err)
	}
}

func TestUpgradeProposalNeedsMinistryQuorum(t *testing.T) {
	c := apptest.New(t, nil)
	c.OpenAccount("acme", 0, accountsv1.Role_ROLE_HOLDER)
	res := c.Exec("acme", proposeUpgrade(nextName, 100))
	if res.Code != accounts.ErrUnauthorized.Code {
		t.Fatalf("a holder proposed an upgrade: %d %s", res.Code, res.Log)
	}
	res = c.Exec("meti", proposeUpgrade(nextName, c.Height+1))
	if res.Codespace != upgrade.ModuleName || res.Code != upgrade.ErrInvalidPlan.Code {
		t.Fatalf("an upgrade at the next block was accepted: %s/%d %s", res.Codespace, res.Code, res.Log)
	}
	res = c.Exec("meti", proposeUpgrade("V 2", 100))
	if res.Code != upgrade.ErrInvalidPlan.Code {
		t.Fatalf("a bad name was accepted: %d %s", res.Code, res.Log)
	}
}

// An old binary stops before the upgrade block, writes upgrade-info.json
// and executes nothing; the new binary, started on the same data, migrates
// at that height and carries on; the old binary started again refuses.
func TestUpgradeAtHeight(t *testing.T) {
	c, at := scheduled(t)
	for c.Height < at-1 {
		c.Block()
	}
	before := app.WorkingHash(c.App)

	var halted *app.HaltError
	done := make(chan struct{})
	c.App.OnHalt(func(e *app.HaltError) { halted = e; close(done) })
	_, err := finalize(c.App, at)
	var he *app.HaltError
	if !errors.As(err, &he) || !strings.Contains(he.Message, `UPGRADE "`+nextName+`" NEEDED at height`) || !strings.Contains(he.Message, "jcreditd "+nextName) {
		t.Fatalf("old binary at the upgrade height: %v", err)
	}
	<-done
	if halted == nil || halted.Plan.GetName() != nextName {
		t.Fatalf("OnHalt got %+v", halted)
	}
	info, err := os.ReadFile(filepath.Join(c.Dir, app.UpgradeInfoFile))
	if err != nil || !strings.Contains(string(info), `"name":"`+nextName+`"`) {
		t.Fatalf("upgrade-info.json: %s %v", info, err)
	}
	if got := app.WorkingHash(c.App); string(got) != string(before) {
		t.Fatal("the refused block changed the working state")
	}
	c.App.Close()

	// The new binary.
	migrated := false
	a := reopen(t, c.Dir, nextVersion, func(ctx module.Context) error {
		migrated = true
		ctx.Store.Set([]byte("upgrade-test/migrated"), []byte{1})
		return nil
	})
	res, err := finalize(a, at)
	if err != nil {
		t.Fatalf("new binary at the upgrade height: %v", err)
	}
	commit(t, a)
	if !migrated || !hasEvent(res.Events, upgrade.EventApplied, "upgrade", nextName) {
		t.Fatalf("migration ran: %v, events %v", migrated, res.Events)
	}
	if res.ConsensusParamUpdates.GetVersion().GetApp() != app.StateVersion+1 {
		t.Fatalf("the upgrade block must raise the headers' version.app: %v", res.ConsensusParamUpdates)
	}
	info2, err := a.Info(context.Background(), &abci.InfoRequest{})
	if err != nil || info2.AppVersion != nextVersion || info2.LastBlockHeight != at {
		t.Fatalf("Info after the upgrade: %+v %v", info2, err)
	}
	q, _ := a.Query(context.Background(), &abci.QueryRequest{Path: "/upgrade/Applied", Data: []byte(`{"name":"` + nextName + `"}`), Prove: true})
	if q.Code != 0 || !strings.Contains(string(q.Value), fmt.Sprintf(`"to_version":"%d"`, nextVersion)) {
		t.Fatalf("applied record: %d %s %s", q.Code, q.Log, q.Value)
	}
	if q, _ := a.Query(context.Background(), &abci.QueryRequest{Path: "/upgrade/Plan"}); q.Code == 0 {
		t.Fatal("the plan is still scheduled after it was applied")
	}
	if _, err := finalize(a, at+1); err != nil {
		t.Fatalf("block after the upgrade: %v", err)
	}
	commit(t, a)
	a.Close()

	// The old binary again, after the upgrade.
	old := reopen(t, c.Dir, app.StateVersion, nil)
	_, err = finalize(old, at+2)
	if !errors.As(err, &he) || !strings.Contains(he.Message, fmt.Sprintf("state is at version %d", nextVersion)) {
		t.Fatalf("old binary after the upgrade: %v", err)
	}
}

// A new binary started before the upgrade height refuses to execute the
// blocks the old rules must still run.
func TestNewBinaryBeforeUpgradeHeightRefuses(t *testing.T) {
	c, at := scheduled(t)
	c.App.Close()
	a := reopen(t, c.Dir, nextVersion, func(module.Context) error { return nil })
	if c.Height+1 >= at {
		t.Fatal("test setup: no block left before the upgrade")
	}
	_, err := finalize(a, c.Height+1)
	var he *app.HaltError
	if err == nil {
		t.Fatalf("a version-%d binary executed a version-%d block", nextVersion, app.StateVersion)
	}
	if !errors.As(err, &he) || !strings.Contains(he.Message, "run the previous release until then") {
		t.Fatalf("refusal: %v", err)
	}
}

// reopen opens the state in dir as a binary of state version v that knows
// upgrade nextName (when migrate is set).
func reopen(t *testing.T, dir string, v uint64, migrate func(module.Context) error) *app.App {
	t.Helper()
	a, err := app.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	app.SetStateVersion(a, v)
	if migrate != nil {
		a.RegisterUpgrade(app.Upgrade{Name: nextName, From: app.StateVersion, To: nextVersion, Migrate: migrate})
	}
	return a
}
