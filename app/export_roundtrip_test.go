package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/app/upgradetest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
)

// The export round trip: a state is exported at its height H, a fresh app
// is started from the export (InitChain at H+1, as a node started from the
// exported genesis.json), and the two states are compared key by key over
// the raw store: every key of every module, whatever record kind it holds.
// A record kind a module adds to its state but not to its ExportGenesis
// and InitGenesis fails this test by its key, without the test naming any
// kind.
//
// exportAllowList is the documented set of key prefixes allowed to differ
// after a round trip. It is empty: an imported chain holds exactly the
// exported state (same chain id, same block gas limit, same state version).
var exportAllowList []string

// roundTrip exports a at height, checks the export (deterministic bytes,
// ValidateGenesis), imports it into a fresh app and compares the stores;
// it returns the imported app, committed at height+1.
func roundTrip(t *testing.T, a *app.App, height int64) *app.App {
	t.Helper()
	e, err := a.ExportGenesis(height)
	if err != nil {
		t.Fatalf("export at %d: %v", height, err)
	}
	again, err := a.ExportGenesis(height)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.AppState, again.AppState) {
		t.Fatal("two exports of the same height differ: the export is not deterministic")
	}
	req := e.InitChainRequest(apptest.GenesisTime.Add(24 * time.Hour))
	if err := app.ValidateGenesis(req); err != nil {
		t.Fatalf("ValidateGenesis refuses the export: %v", err)
	}
	b, err := app.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if _, err := b.InitChain(context.Background(), req); err != nil {
		t.Fatalf("InitChain from the export: %v", err)
	}
	if _, err := b.Commit(context.Background(), &abci.CommitRequest{}); err != nil {
		t.Fatal(err)
	}
	before, err := a.SnapshotAt(height)
	if err != nil {
		t.Fatal(err)
	}
	after, err := b.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if after.Version() != height+1 {
		t.Fatalf("the imported chain is at height %d, want %d", after.Version(), height+1)
	}
	if diffs := compareStores(before, after); len(diffs) > 0 {
		t.Fatalf("the imported state differs from the exported one in %d keys (a record kind missing from an ExportGenesis or InitGenesis?):\n%s",
			len(diffs), strings.Join(diffs[:min(len(diffs), 30)], "\n"))
	}
	if err := credits.CheckInvariants(after); err != nil {
		t.Fatalf("invariants after import: %v", err)
	}
	// Exporting the imported chain gives the same app_state: the export is
	// a fixed point.
	e2, err := b.ExportGenesis(0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e.AppState, e2.AppState) {
		t.Fatal("the export of the imported chain differs from the original export")
	}
	return b
}

// compareStores lists every key whose value differs between two committed
// states (missing on one side included), outside exportAllowList.
func compareStores(a, b *store.Snapshot) []string {
	all := func(s *store.Snapshot) (keys [][]byte, vals map[string][]byte) {
		vals = map[string][]byte{}
		it := s.Iterator(nil, nil)
		defer it.Close()
		for ; it.Valid(); it.Next() {
			k := append([]byte(nil), it.Key()...)
			keys = append(keys, k)
			vals[string(k)] = append([]byte(nil), it.Value()...)
		}
		return keys, vals
	}
	allowed := func(k []byte) bool {
		for _, p := range exportAllowList {
			if bytes.HasPrefix(k, []byte(p)) {
				return true
			}
		}
		return false
	}
	ka, va := all(a)
	kb, vb := all(b)
	var out []string
	for _, k := range ka {
		if w, ok := vb[string(k)]; (!ok || !bytes.Equal(w, va[string(k)])) && !allowed(k) {
			out = append(out, fmt.Sprintf("  %q: exported %x, imported %x", k, va[string(k)], w))
		}
	}
	for _, k := range kb {
		if _, ok := va[string(k)]; !ok && !allowed(k) {
			out = append(out, fmt.Sprintf("  %q: only in the imported state (%x)", k, vb[string(k)]))
		}
	}
	return out
}

// TestExportRoundTripUpgradeScenario: the upgrade scenario's state (every
// role, rotations, suspended/reactivated/closed accounts, proposals of
// every kind and status, standard and program-type projects, rejected and
// terminated projects, reports of every status, transfers, retirements for
// seven uses, a cancellation, a scheduled upgrade plan).
func TestExportRoundTripUpgradeScenario(t *testing.T) {
	c := upgradetest.NewChain(t)
	upgradetest.Build(c)
	roundTrip(t, c.App, c.Height)
}

// TestExportRoundTripSchemeRules: the records of the scheme's rules the
// upgrade scenario cannot make (it also runs on release v0.2.0): batch
// labels with their history, legacy imports, a carbon-offset retirement
// with its target, a use table changed by the ministries, a pending
// proposal, retirements and a cancellation after a key rotation. The
// imported chain then goes on: its next records continue the sequences.
func TestExportRoundTripSchemeRules(t *testing.T) {
	c := upgradetest.NewChain(t)
	rulesScenario(c)
	b := roundTrip(t, c.App, c.Height)

	// The imported chain carries on where the exported one stopped.
	next := &apptest.Chain{T: t, App: b, Height: c.Height + 1, Time: c.Time.Add(time.Hour), MaxGas: c.MaxGas}
	next.MustExec("alice-2", &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Alice K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_OTHER}, FiscalYear: 2025, Details: "after the import"})
	var got creditsv1.QueryRetirementResponse
	if err := next.Read("/credits/Retirement", &creditsv1.QueryRetirementRequest{Id: "JCR-00000004"}, &got); err != nil {
		t.Fatalf("the imported chain's next retirement: %v", err)
	}
	if err := credits.CheckInvariants(mustSnapshot(t, b)); err != nil {
		t.Fatal(err)
	}
}

func mustSnapshot(t *testing.T, a *app.App) *store.Snapshot {
	t.Helper()
	s, err := a.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestExportRoundTripMigratedV1: release v0.2.0's state (the fixture),
// migrated to this binary's layout by the v2 upgrade, round-trips too.
func TestExportRoundTripMigratedV1(t *testing.T) {
	f, err := upgradetest.LoadFixture(upgradetest.FixtureV1Path())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := migrate(t, f)
	roundTrip(t, a, f.PlanHeight)
}

// TestExportRefusesUncommittedHeights: a height above the latest, or 0 on
// an empty chain, is refused with the range that exists.
func TestExportRefusesUncommittedHeights(t *testing.T) {
	c := apptest.New(t, nil)
	if _, err := c.App.ExportGenesis(c.Height + 1); err == nil || !strings.Contains(err.Error(), "not committed") {
		t.Fatalf("export above the latest height: %v", err)
	}
	if _, err := c.App.ExportGenesis(-1); err == nil {
		t.Fatal("export at a negative height succeeded")
	}
}

// TestExportRefusesHeightsNotKeptAndOtherVersions: a state restored from a
// snapshot (the v1 fixture, imported as state sync does) holds no earlier
// height; and a state of another state version (release v0.2.0's, not
// migrated) is refused, naming the version: this binary would read its
// records with the wrong layout.
func TestExportRefusesHeightsNotKeptAndOtherVersions(t *testing.T) {
	f, err := upgradetest.LoadFixture(upgradetest.FixtureV1Path())
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(upgradetest.ImportFixture(t, f))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.ExportGenesis(f.Height / 2); err == nil || !strings.Contains(err.Error(), "not kept") {
		t.Fatalf("export of a height the database does not hold: %v", err)
	}
	if _, err := a.ExportGenesis(f.Height); err == nil || !strings.Contains(err.Error(), "state version 1") {
		t.Fatalf("export of a version-1 state by this binary: %v", err)
	}
}

// rulesScenario runs the scheme's rules on c (started from
// upgradetest.Genesis).
func rulesScenario(c *apptest.Chain) {
	const planHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	const docHash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
	open := func(name string, roles ...accountsv1.Role) {
		c.MustExec("secretariat", &accountsv1.MsgOpenAccount{Address: apptest.Addr(name).Hex(), LegalName: name + " K.K.",
			EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP", Roles: roles})
	}
	open("kyoto", accountsv1.Role_ROLE_CREATOR)
	open("kiwa", accountsv1.Role_ROLE_VERIFIER)
	open("alice", accountsv1.Role_ROLE_HOLDER)
	open("bob", accountsv1.Role_ROLE_HOLDER)
	c.MustExec("meti", &projectsv1.MsgAdoptMethodology{Code: "EN-S-001", Title: "Boiler replacement", Category: creditsv1.Category_CATEGORY_ENERGY_SAVING})
	c.MustExec("kyoto", &projectsv1.MsgSubmitProject{
		Name: "Kyoto plant boiler replacement", Kind: projectsv1.ProjectKind_PROJECT_KIND_STANDARD,
		Methodology: "EN-S-001", Location: &creditsv1.Location{PrefectureCode: "26", Municipality: "京都市"},
		CreditingStart: "2023-04-01", CreditingEnd: "2031-03-31", ExpectedReductions: 12000, PlanHash: planHash,
	})
	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: "JCP-000001"})
	c.MustExec("meti", &projectsv1.MsgRegisterProject{ProjectId: "JCP-000001"})
	c.MustExec("kyoto", &projectsv1.MsgSubmitReport{ProjectId: "JCP-000001", PeriodStart: "2023-04-01", PeriodEnd: "2024-03-31", ClaimedTCo2: 1000, DocumentHash: docHash})
	c.MustExec("kiwa", &projectsv1.MsgVerifyReport{ReportId: "JCP-000001-R001", VerifiedTCo2: 1000})
	c.MustExec("moe", &projectsv1.MsgCertifyReport{ReportId: "JCP-000001-R001", CorsiaEligible: true}) // JC-00000001
	// Labels: one added, one added and removed (history of three changes).
	c.MustExec("meti", &creditsv1.MsgSetBatchLabel{BatchId: "JC-00000001", Reason: "ICVCM approval",
		Label: &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_ICVCM_CCP}})
	c.MustExec("moe", &creditsv1.MsgSetBatchLabel{BatchId: "JC-00000001", Reason: "authorised under Article 6",
		Label: &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_ARTICLE6_AUTHORIZED}})
	c.MustExec("meti", &creditsv1.MsgSetBatchLabel{BatchId: "JC-00000001", Reason: "authorisation withdrawn", Remove: true,
		Label: &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_ARTICLE6_AUTHORIZED}})
	// A legacy J-VER batch (JC-00000002) held by bob.
	c.MustExec("maff", &creditsv1.MsgImportLegacyBatch{
		SchemeSymbol: "JP", CreditType: "JRM", CertificationNumber: "JV-0123", OriginalProjectId: "J-VER-0042",
		ProjectName: "Kochi prefectural forest", Methodology: "R001", Category: creditsv1.Category_CATEGORY_FOREST,
		VintageStart: "2012-04-01", VintageEnd: "2013-03-31", Origin: &creditsv1.Location{PrefectureCode: "39", Municipality: "梼原町"},
		OriginalSerialStart: 5001, OriginalSerialEnd: 5100, OriginalSerials: "JP-39-0042-xxxx",
		Holder: apptest.Addr("bob").Hex(), Reason: "transfer from the J-VER registry",
	})
	c.MustExec("kyoto", &creditsv1.MsgTransfer{Recipient: apptest.Addr("alice").Hex(), Quantity: 300})
	// A carbon-offset retirement naming its target, and one for two uses.
	c.MustExec("alice", &creditsv1.MsgRetire{Quantity: 20, Beneficiary: "Alice K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_CARBON_OFFSET}, FiscalYear: 2025,
		OffsetTarget: &creditsv1.OffsetTarget{Kind: creditsv1.OffsetKind_OFFSET_KIND_EVENT, Name: "Tokyo marathon", Location: &creditsv1.Location{PrefectureCode: "13"}}})
	c.MustExec("bob", &creditsv1.MsgRetire{Quantity: 30, Beneficiary: "Bob Holdings", Uses: []creditsv1.Use{creditsv1.Use_USE_OTHER}, FiscalYear: 2025, Details: "legacy credits"})
	// Key rotation, then a retirement and a cancellation of the new key's
	// credits.
	upgradetest.Rotate(c, "alice", "alice-2")
	c.MustExec("alice-2", &creditsv1.MsgRetire{Quantity: 5, Beneficiary: "Alice K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_OTHER}, FiscalYear: 2025, Details: "staff travel"})
	c.MustExec("moe", &creditsv1.MsgCancel{Reason: "double counting found", Serials: []string{"JC-00000001-ES-2023-0000000291-0000000300"}})
	// A use table changed by the ministries (applied), and a proposal left
	// pending.
	table := credits.DefaultUseTable()
	table.Rules = table.Rules[:len(table.Rules)-1]
	c.MustExec("meti", &accountsv1.MsgProposeUseTable{Change: &accountsv1.UseTableChange{Table: table}})
	c.MustExec("moe", &accountsv1.MsgApproveProposal{ProposalId: 1})
	c.MustExec("maff", &accountsv1.MsgProposeValidatorChange{Change: &accountsv1.ValidatorChange{
		Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_SET_POWER, PubKey: apptest.ConsensusKey("meti"), Power: 12,
	}})
	// A validator's operator suspended: a state a new chain's genesis
	// could not start from, which an export must still carry.
	open("broker", accountsv1.Role_ROLE_PROVIDER)
	c.MustExec("meti", &accountsv1.MsgProposeValidatorChange{Change: apptest.ProvePossession("broker", &accountsv1.ValidatorChange{
		Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD, PubKey: apptest.ConsensusKey("broker"), Power: 5,
		Operator: apptest.Addr("broker").Hex(), Name: "broker-node",
	})})
	c.MustExec("moe", &accountsv1.MsgApproveProposal{ProposalId: 3})
	c.MustExec("secretariat", &accountsv1.MsgSuspendAccount{Address: apptest.Addr("broker").Hex(), Reason: "audit"})
	c.Block()
}

// forgetful is a module that keeps a record (one per block) but leaves it
// out of its export: the mistake the round trip must catch.
type forgetful struct{}

func (forgetful) Name() string                                      { return "probe" }
func (forgetful) RegisterMsgs(*module.Router)                       {}
func (forgetful) RegisterQueries(*module.QueryRouter)               {}
func (forgetful) InitGenesis(module.Context, json.RawMessage) error { return nil }
func (forgetful) ExportGenesis(module.KVStore) (json.RawMessage, error) {
	return json.RawMessage(`{}`), nil
}
func (forgetful) EndBlock(ctx module.Context) ([]abci.ValidatorUpdate, error) {
	ctx.Store.Set([]byte(fmt.Sprintf("probe/block/%d", ctx.Height)), []byte{1})
	return nil, nil
}

// TestExportRoundTripCatchesAnUnexportedRecord: the comparison knows no
// record kind; a module that writes a record its ExportGenesis leaves out
// fails it, by key.
func TestExportRoundTripCatchesAnUnexportedRecord(t *testing.T) {
	newApp := func() *app.App {
		tree, err := store.NewMemTree()
		if err != nil {
			t.Fatal(err)
		}
		acc := accounts.NewKeeper()
		a, err := app.New(tree, acc, acc, forgetful{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		return a
	}
	c, err := apptest.Start(t, newApp(), nil, nil, app.DefaultBlockMaxGas)
	if err != nil {
		t.Fatal(err)
	}
	c.Block()
	e, err := c.App.ExportGenesis(c.Height)
	if err != nil {
		t.Fatal(err)
	}
	b := newApp()
	if _, err := b.InitChain(context.Background(), e.InitChainRequest(apptest.GenesisTime)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Commit(context.Background(), &abci.CommitRequest{}); err != nil {
		t.Fatal(err)
	}
	diffs := compareStores(mustSnapshot(t, c.App), mustSnapshot(t, b))
	if len(diffs) != 2 || !strings.Contains(diffs[0], "probe/block/") {
		t.Fatalf("the comparison reports %q, want the two blocks' probe records", diffs)
	}
}
