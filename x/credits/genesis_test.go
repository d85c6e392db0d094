package credits_test

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
)

// migrated is a small legacy-registry export: one batch, partly retired.
func migrated() *creditsv1.GenesisState {
	b := &creditsv1.Batch{Id: "JC-00000007", Number: 7, ProjectId: "P-7", ReportId: "R-7", Methodology: "EN-R-002",
		Category: re, VintageStart: "2019-04-01", VintageEnd: "2020-03-31", Issued: 100}
	alice := apptest.Addr("alice").Hex()
	return &creditsv1.GenesisState{
		Batches: []*creditsv1.Batch{b},
		Ranges: []*creditsv1.Range{
			{BatchId: b.Id, Start: 1, End: 60, Owner: alice, Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE},
			{BatchId: b.Id, Start: 61, End: 100, Owner: alice, Status: creditsv1.RangeStatus_RANGE_STATUS_RETIRED, RetirementId: "JCR-00000003"},
		},
		Retirements: []*creditsv1.Retirement{{Id: "JCR-00000003", Account: alice, Beneficiary: "Alice", Use: creditsv1.Use_USE_CARBON_OFFSET, FiscalYear: 2020, Quantity: 40}},
	}
}

func TestGenesisLoadsMigratedCreditsAndContinuesTheirNumbering(t *testing.T) {
	e := newKeeperEnv(t, "alice", "bob")
	if err := e.cred.InitGenesis(e.ctx, mustJSON(t, migrated())); err != nil {
		t.Fatal(err)
	}
	if err := credits.CheckInvariants(e.cache); err != nil {
		t.Fatal(err)
	}
	b, err := e.cred.GetBatch(e.cache, "JC-00000007")
	if err != nil || b.Active != 60 || b.Retired != 40 {
		t.Fatalf("batch 7: %+v %v", b, err)
	}
	id, err := e.cred.IssueBatch(e.ctx, e.request("R-8", re, "bob", 5))
	if err != nil || id != "JC-00000008" {
		t.Fatalf("next batch: %s %v", id, err)
	}
	if err := e.cred.Retire(e.as("alice"), &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "A", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025}); err != nil {
		t.Fatal(err)
	}
	r := &creditsv1.QueryRetirementResponse{}
	e.query("/credits/Retirement", &creditsv1.QueryRetirementRequest{Id: "JCR-00000004"}, r)
	if r.Retirement.Id != "JCR-00000004" {
		t.Fatalf("the first retirement after migration is %q", r.Retirement.Id)
	}
}

func TestGenesisRejectsInconsistentCredits(t *testing.T) {
	cases := map[string]func(g *creditsv1.GenesisState){
		"gap":              func(g *creditsv1.GenesisState) { g.Ranges[1].Start = 62 },
		"overlap":          func(g *creditsv1.GenesisState) { g.Ranges[1].Start = 60 },
		"beyond issued":    func(g *creditsv1.GenesisState) { g.Ranges[1].End = 101 },
		"wrong counters":   func(g *creditsv1.GenesisState) { g.Batches[0].Active, g.Batches[0].Retired = 50, 50 },
		"missing record":   func(g *creditsv1.GenesisState) { g.Retirements = nil },
		"unknown batch":    func(g *creditsv1.GenesisState) { g.Ranges[0].BatchId = "JC-00000009" },
		"bad id":           func(g *creditsv1.GenesisState) { g.Batches[0].Id = "JC-7" },
		"bad owner":        func(g *creditsv1.GenesisState) { g.Ranges[0].Owner = "alice" },
		"unknown category": func(g *creditsv1.GenesisState) { g.Batches[0].Category = 0 },
		"report twice": func(g *creditsv1.GenesisState) {
			b := proto.Clone(g.Batches[0]).(*creditsv1.Batch)
			b.Number, b.Id = 8, "JC-00000008"
			g.Batches = append(g.Batches, b)
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			g := proto.Clone(migrated()).(*creditsv1.GenesisState)
			mutate(g)
			if err := credits.ValidateGenesis(g); !errors.Is(err, credits.ErrInvalidGenesis) {
				t.Fatalf("got %v", err)
			}
		})
	}
}

// lockedGenesis is migrated() with serials 1-10 locked for bob (LK-00000004)
// until height 50.
func lockedGenesis(e *keeperEnv) *creditsv1.GenesisState {
	g := migrated()
	alice, bob := e.num("alice"), e.num("bob")
	g.Ranges = append([]*creditsv1.Range{{BatchId: "JC-00000007", Start: 1, End: 10, OwnerAccount: alice, Status: creditsv1.RangeStatus_RANGE_STATUS_LOCKED,
		LockId: "LK-00000004", LockAgentAccount: bob, LockExpiresHeight: 50}}, g.Ranges...)
	g.Ranges[1].Start = 11
	g.Locks = []*creditsv1.Lock{{Id: "LK-00000004", HolderAccount: alice, AgentAccount: bob, ExpiresHeight: 50, Quantity: 10,
		Status: creditsv1.LockStatus_LOCK_STATUS_OPEN, Blocks: []*creditsv1.SerialBlock{{BatchId: "JC-00000007", Start: 1, End: 10}}},
		{Id: "LK-00000003", HolderAccount: alice, AgentAccount: bob, ExpiresHeight: 20, Quantity: 5, ClosedHeight: 9,
			Status: creditsv1.LockStatus_LOCK_STATUS_RELEASED, Blocks: []*creditsv1.SerialBlock{{BatchId: "JC-00000007", Start: 11, End: 15}}}}
	return g
}

func TestGenesisCarriesSettlementLocks(t *testing.T) {
	e := newKeeperEnv(t, "alice", "bob")
	if err := e.cred.InitGenesis(e.ctx, mustJSON(t, lockedGenesis(e))); err != nil {
		t.Fatal(err)
	}
	if err := credits.CheckInvariants(e.cache); err != nil {
		t.Fatal(err)
	}
	b, err := e.cred.GetBatch(e.cache, "JC-00000007")
	if err != nil || b.Active != 50 || b.Locked != 10 || b.Retired != 40 {
		t.Fatalf("batch 7: %+v %v", b, err)
	}
	// The locked credits are the agent's to release; the expiry index was
	// rebuilt, so nothing is due before height 50.
	ctx := e.ctx
	ctx.Height = 49
	if _, err := e.cred.EndBlock(ctx); err != nil {
		t.Fatal(err)
	}
	if b, _ := e.cred.GetBatch(e.cache, "JC-00000007"); b.Locked != 10 {
		t.Fatalf("expired early: %+v", b)
	}
	if err := e.cred.Release(e.as("bob"), &creditsv1.MsgRelease{LockId: "LK-00000004"}); err != nil {
		t.Fatal(err)
	}
	if err := credits.CheckInvariants(e.cache); err != nil {
		t.Fatal(err)
	}
	if b, _ := e.cred.GetBatch(e.cache, "JC-00000007"); b.Locked != 0 || b.Active != 60 {
		t.Fatalf("after release: %+v", b)
	}
}

func TestGenesisRejectsInconsistentLocks(t *testing.T) {
	e := newKeeperEnv(t, "alice", "bob")
	cases := map[string]func(g *creditsv1.GenesisState){
		"no lock record":    func(g *creditsv1.GenesisState) { g.Locks = g.Locks[1:] },
		"closed lock":       func(g *creditsv1.GenesisState) { g.Locks[0].Status = creditsv1.LockStatus_LOCK_STATUS_SETTLED },
		"other agent":       func(g *creditsv1.GenesisState) { g.Ranges[0].LockAgentAccount++ },
		"other expiry":      func(g *creditsv1.GenesisState) { g.Ranges[0].LockExpiresHeight = 51 },
		"wrong counter":     func(g *creditsv1.GenesisState) { g.Batches[0].Active, g.Batches[0].Locked = 60, 0 },
		"lock id repeated":  func(g *creditsv1.GenesisState) { g.Locks[1].Id = g.Locks[0].Id },
		"bad quantity":      func(g *creditsv1.GenesisState) { g.Locks[0].Quantity = 9 },
		"active names lock": func(g *creditsv1.GenesisState) { g.Ranges[1].LockId = "LK-00000004" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			g := proto.Clone(lockedGenesis(e)).(*creditsv1.GenesisState)
			g.Batches[0].Active, g.Batches[0].Locked, g.Batches[0].Retired = 50, 10, 40
			mutate(g)
			if err := credits.ValidateGenesis(g); !errors.Is(err, credits.ErrInvalidGenesis) {
				t.Fatalf("got %v", err)
			}
		})
	}
}
