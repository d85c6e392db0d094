package app_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/app/upgradetest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/accounts"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

// The v2 migration, on the state release v0.2.0 wrote (state version 1):
// app/testdata/state-v1.json.gz, made by scripts/gen-v1-fixture.sh running
// upgradetest.Build on that release, ends with upgrade "v2" scheduled for
// the next block. This binary imports the tree, executes that block through
// the real App, and the result must hold every record of the old state,
// with accounts numbered, and equal the state this binary builds from the
// same transactions.

func blockTime(h int64) time.Time { return apptest.GenesisTime.Add(time.Duration(h) * time.Minute) }

// migrate imports the fixture and runs the upgrade block; it returns the
// app (state committed at the plan height) and the block's response.
func migrate(t *testing.T, f *upgradetest.Fixture) (*app.App, *abci.FinalizeBlockResponse) {
	t.Helper()
	a, err := app.Open(upgradetest.ImportFixture(t, f))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	res, err := a.FinalizeBlock(context.Background(), &abci.FinalizeBlockRequest{Height: f.PlanHeight, Time: blockTime(f.PlanHeight)})
	if err != nil {
		t.Fatalf("upgrade block %d: %v", f.PlanHeight, err)
	}
	if got := res.ConsensusParamUpdates.GetVersion().GetApp(); got != 2 {
		t.Fatalf("the upgrade block sets consensus version.app %d, want 2 (headers name the state layout)", got)
	}
	commit(t, a)
	return a, res
}

// state is a whole committed state as a map, for comparisons.
type state struct {
	keys []string
	kv   map[string][]byte
}

func stateOf(t *testing.T, s module.KVStore) *state {
	t.Helper()
	st := &state{kv: map[string][]byte{}}
	it := s.Iterator(nil, nil)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		st.keys = append(st.keys, string(it.Key()))
		st.kv[string(it.Key())] = bytes.Clone(it.Value())
	}
	return st
}

func fixtureState(f *upgradetest.Fixture) *state {
	st := &state{kv: map[string][]byte{}}
	keys, values := f.Leaves()
	for i, k := range keys {
		st.keys = append(st.keys, string(k))
		st.kv[string(k)] = values[i]
	}
	return st
}

// under lists the keys of st under prefix whose length (after it) is n
// (any length if n < 0), with their values decoded into fresh messages.
func under[M proto.Message](t *testing.T, st *state, prefix string, n int, fresh func() M) map[string]M {
	t.Helper()
	out := map[string]M{}
	for _, k := range st.keys {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok || (n >= 0 && len(rest) != n) {
			continue
		}
		m := fresh()
		if err := proto.Unmarshal(st.kv[k], m); err != nil {
			t.Fatalf("%q: %v", k, err)
		}
		out[rest] = m
	}
	return out
}

func TestUpgradeV2MigratesTheStateReleaseV020Wrote(t *testing.T) {
	f, err := upgradetest.LoadFixture(upgradetest.FixtureV1Path())
	if err != nil {
		t.Fatal(err)
	}
	old := fixtureState(f)
	a, res := migrate(t, f)
	if !hasEvent(res.Events, "upgrade.applied", "upgrade", upgradetest.PlanName) {
		t.Fatalf("no upgrade.applied event: %v", res.Events)
	}
	info, err := a.Info(context.Background(), &abci.InfoRequest{})
	if err != nil || info.AppVersion != app.StateVersion || info.LastBlockHeight != f.PlanHeight {
		t.Fatalf("Info after the upgrade: %+v %v", info, err)
	}
	snap, err := a.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	now := stateOf(t, snap)

	// The block gas limit: state version 1 has none (v0.2.0 metered
	// nothing, and its genesis said block.max_gas -1); the migration
	// writes the limit InitChain keeps for such a genesis, and the app
	// applies it from the upgrade block on.
	if _, ok := old.kv["app/max_gas"]; ok {
		t.Fatal("the v0.2.0 fixture already has a block gas limit")
	}
	if v := now.kv["app/max_gas"]; len(v) != 8 || int64(binary.BigEndian.Uint64(v)) != app.DefaultBlockMaxGas {
		t.Fatalf("app/max_gas after the migration = %x, want %d", v, app.DefaultBlockMaxGas)
	}
	if got := app.BlockMaxGas(a); got != app.DefaultBlockMaxGas {
		t.Fatalf("the app applies a block gas limit of %d after the migration, want %d", got, app.DefaultBlockMaxGas)
	}

	// No empty value anywhere: ICS23 can prove any key absent.
	for _, k := range now.keys {
		if len(now.kv[k]) == 0 {
			t.Errorf("empty value under %q", k)
		}
	}
	if err := credits.CheckInvariants(snap); err != nil {
		t.Fatal(err)
	}
	checkMigratedStats(t, old, now)
	if err := projects.CheckStats(snap); err != nil {
		t.Fatal(err)
	}

	// Accounts: numbered by opening height, then the address they were
	// opened with.
	oldAccs := under(t, old, "accounts/a/", common.AddressLength, func() *accountsv1.Account { return &accountsv1.Account{} })
	type opened struct {
		addr, first string
		height      int64
	}
	var order []opened
	for addr, acc := range oldAccs {
		first := addr
		if len(acc.PreviousAddresses) > 0 {
			first = string(common.HexToAddress(acc.PreviousAddresses[0]).Bytes())
		}
		order = append(order, opened{addr, first, acc.OpenedHeight})
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].height != order[j].height {
			return order[i].height < order[j].height
		}
		return order[i].first < order[j].first
	})
	number := map[common.Address]uint64{} // every key an account ever had -> its number
	for i, o := range order {
		acc := oldAccs[o.addr]
		n := uint64(i + 1)
		number[common.BytesToAddress([]byte(o.addr))] = n
		for _, p := range acc.PreviousAddresses {
			number[common.HexToAddress(p)] = n
		}
	}
	newAccs := under(t, now, "accounts/a/", 8, func() *accountsv1.Account { return &accountsv1.Account{} })
	if len(newAccs) != len(oldAccs) || len(oldAccs) < 20 {
		t.Fatalf("%d accounts after the migration, %d before", len(newAccs), len(oldAccs))
	}
	if k := under(t, now, "accounts/a/", common.AddressLength, func() *accountsv1.Account { return &accountsv1.Account{} }); len(k) != 0 {
		t.Fatalf("%d accounts are still keyed by address", len(k))
	}
	statuses := map[accountsv1.AccountStatus]int{}
	for i, o := range order {
		n := uint64(i + 1)
		want := proto.Clone(oldAccs[o.addr]).(*accountsv1.Account)
		nonce := want.Nonce
		want.Number, want.Nonce = n, 0
		got := newAccs[string(module.Uint64(n))]
		if !proto.Equal(got, want) {
			t.Fatalf("account %d:\n got  %v\n want %v", n, got, want)
		}
		statuses[got.Status]++
		ref := &accountsv1.KeyRef{}
		if err := proto.Unmarshal(now.kv[string(accountstypes.KeyRefStoreKey(common.HexToAddress(got.Address)))], ref); err != nil ||
			ref.Account != n || ref.Nonce != nonce || ref.Kind != accountsv1.KeyKind_KEY_KIND_PRIMARY {
			t.Fatalf("key of account %d (%s): %v %v, want nonce %d", n, got.Address, ref, err, nonce)
		}
		for _, r := range got.Roles {
			if v := now.kv[string(module.Key([]byte("accounts/"), accountstypes.RoleKey(r, n)))]; !bytes.Equal(v, module.IndexValue) {
				t.Fatalf("account %d: role index %s = %x", n, r, v)
			}
		}
	}
	if statuses[accountsv1.AccountStatus_ACCOUNT_STATUS_SUSPENDED] == 0 || statuses[accountsv1.AccountStatus_ACCOUNT_STATUS_CLOSED] == 0 {
		t.Fatalf("the fixture lacks suspended or closed accounts: %v", statuses)
	}
	oldRetired := under(t, old, "accounts/t/", common.AddressLength, func() *accountsv1.RetiredAddress { return &accountsv1.RetiredAddress{} })
	newRetired := under(t, now, "accounts/t/", common.AddressLength, func() *accountsv1.RetiredAddress { return &accountsv1.RetiredAddress{} })
	if len(oldRetired) < 2 || len(newRetired) != len(oldRetired) {
		t.Fatalf("%d rotated-away addresses, %d before", len(newRetired), len(oldRetired))
	}
	for k, r := range oldRetired {
		want := proto.Clone(r).(*accountsv1.RetiredAddress)
		want.Account = number[common.HexToAddress(r.Address)]
		if !proto.Equal(newRetired[k], want) || want.Account == 0 {
			t.Fatalf("retired %s: %v, want %v", r.Address, newRetired[k], want)
		}
	}
	num := func(address string) uint64 {
		n := number[common.HexToAddress(address)]
		if n == 0 {
			t.Fatalf("%s was no account's key", address)
		}
		return n
	}

	// Validators and proposals.
	oldVals := under(t, old, "accounts/v/", -1, func() *accountsv1.Validator { return &accountsv1.Validator{} })
	newVals := under(t, now, "accounts/v/", -1, func() *accountsv1.Validator { return &accountsv1.Validator{} })
	for k, v := range oldVals {
		want := proto.Clone(v).(*accountsv1.Validator)
		want.OperatorAccount, want.Operator = num(v.Operator), ""
		// The set that reached the upgrade counts as live from there.
		want.LastSignedHeight = f.PlanHeight
		if !proto.Equal(newVals[k], want) {
			t.Fatalf("validator %s: %v, want %v", v.Name, newVals[k], want)
		}
	}
	oldProps := under(t, old, "accounts/g/", 8, func() *accountsv1.Proposal { return &accountsv1.Proposal{} })
	newProps := under(t, now, "accounts/g/", 8, func() *accountsv1.Proposal { return &accountsv1.Proposal{} })
	proposalStatuses := map[accountsv1.ProposalStatus]int{}
	for k, p := range oldProps {
		want := proto.Clone(p).(*accountsv1.Proposal)
		want.ProposerAccount, want.Proposer = num(p.Proposer), ""
		want.Approvals = nil
		for _, a := range p.Approvals {
			want.ApprovalAccounts = append(want.ApprovalAccounts, num(a))
		}
		sort.Slice(want.ApprovalAccounts, func(i, j int) bool { return want.ApprovalAccounts[i] < want.ApprovalAccounts[j] })
		if !proto.Equal(newProps[k], want) {
			t.Fatalf("proposal %d: %v, want %v", p.Id, newProps[k], want)
		}
		proposalStatuses[p.Status]++
	}
	if proposalStatuses[accountsv1.ProposalStatus_PROPOSAL_STATUS_APPLIED] < 3 || proposalStatuses[accountsv1.ProposalStatus_PROPOSAL_STATUS_EXPIRED] == 0 {
		t.Fatalf("the fixture lacks applied or expired proposals: %v", proposalStatuses)
	}

	// Projects (reports and methodologies are untouched).
	oldProj := under(t, old, "projects/p/", 8, func() *projectsv1.Project { return &projectsv1.Project{} })
	newProj := under(t, now, "projects/p/", 8, func() *projectsv1.Project { return &projectsv1.Project{} })
	kinds := map[projectsv1.ProjectKind]int{}
	if len(oldProj) != len(newProj) || len(oldProj) < 4 {
		t.Fatalf("%d projects, %d before", len(newProj), len(oldProj))
	}
	for k, p := range oldProj {
		want := proto.Clone(p).(*projectsv1.Project)
		want.OperatorAccount, want.Operator = num(p.Operator), ""
		// v0.2.0's ISO 3166-2:JP prefecture becomes a JIS X 0401 location.
		want.Location, want.Prefecture = &creditsv1.Location{PrefectureCode: strings.TrimPrefix(p.Prefecture, "JP-")}, ""
		if len(want.Location.PrefectureCode) != 2 {
			t.Fatalf("project %s: prefecture %q", p.Id, p.Prefecture)
		}
		for _, m := range want.Members {
			m.Account, m.Address = num(m.Address), ""
		}
		if !proto.Equal(newProj[k], want) {
			t.Fatalf("project %s:\n got  %v\n want %v", p.Id, newProj[k], want)
		}
		kinds[p.Kind]++
		seq := binary.BigEndian.Uint64([]byte(k))
		for _, ik := range projectstypes.IndexKeys(seq, want) {
			if v := now.kv["projects/"+string(ik)]; !bytes.Equal(v, module.IndexValue) {
				t.Fatalf("project %s: index %q = %x", p.Id, ik, v)
			}
		}
	}
	if kinds[projectsv1.ProjectKind_PROJECT_KIND_PROGRAM] == 0 {
		t.Fatal("the fixture has no program-type project")
	}
	for _, p := range []string{"projects/r/", "projects/t/", "credits/i/"} {
		for _, k := range old.keys {
			if strings.HasPrefix(k, p) && !bytes.Equal(now.kv[k], old.kv[k]) {
				t.Fatalf("%q changed in the migration", k)
			}
		}
	}
	params := &projectsv1.Params{}
	if err := proto.Unmarshal(now.kv["projects/c/params"], params); err != nil || len(params.CreditingYearsByCategory) != 1 ||
		params.CreditingYearsByCategory[0].Years != 16 || params.CreditingYearsByCategory[0].Category != creditsv1.Category_CATEGORY_FOREST {
		t.Fatalf("params after the migration: %v %v", params, err)
	}

	// Batches: the official identifiers issuance gives a batch whose
	// ministry named none, the project's name and place, and v0.2.0's CORSIA
	// flag as a first-phase label with its history record, signed by the
	// ministry that certified the report.
	reports := under(t, old, "projects/r/", 12, func() *projectsv1.MonitoringReport { return &projectsv1.MonitoringReport{} })
	certifier := map[string]string{}
	for _, r := range reports {
		for _, h := range r.History {
			if h.Status == projectsv1.ReportStatus_REPORT_STATUS_CERTIFIED {
				certifier[r.Id] = h.Actor
			}
		}
	}
	oldBatches := under(t, old, "credits/b/", 8, func() *creditsv1.Batch { return &creditsv1.Batch{} })
	newBatches := under(t, now, "credits/b/", 8, func() *creditsv1.Batch { return &creditsv1.Batch{} })
	labelled := 0
	for k, b := range oldBatches {
		want := proto.Clone(b).(*creditsv1.Batch)
		want.SchemeSymbol, want.CertificationNumber, want.CreditType = "JC", b.ReportId, "ER"
		if b.Category == creditsv1.Category_CATEGORY_FOREST {
			want.CreditType = "FM"
		}
		pseq, _, _ := projectstypes.ParseReportID(b.ReportId)
		proj := newProj[string(module.Uint64(pseq))]
		want.ProjectName, want.Origin = proj.Name, proj.Location
		if b.CorsiaEligible {
			labelled++
			want.CorsiaEligible = false
			label := &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE, CorsiaPhase: creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST, SinceHeight: b.IssuanceHeight}
			want.Labels, want.LabelChanges = []*creditsv1.Label{label}, 1
			change := &creditsv1.LabelChange{}
			if err := proto.Unmarshal(now.kv[string(creditstypes.LabelChangeStoreKey(b.Number, 1))], change); err != nil {
				t.Fatal(err)
			}
			wantChange := &creditsv1.LabelChange{BatchId: b.Id, Number: 1, Action: creditsv1.LabelAction_LABEL_ACTION_ADDED, Label: label,
				MinistryAccount: num(certifier[b.ReportId]), Ministry: certifier[b.ReportId], Reason: "labelled at the certification of report " + b.ReportId,
				Height: b.IssuanceHeight, Time: b.IssuanceTime, TxHash: b.IssuanceTxHash}
			if !proto.Equal(change, wantChange) {
				t.Fatalf("label change of %s:\n got  %v\n want %v", b.Id, change, wantChange)
			}
		}
		if !proto.Equal(newBatches[k], want) {
			t.Fatalf("batch %s:\n got  %v\n want %v", b.Id, newBatches[k], want)
		}
		if v := now.kv[string(module.Key([]byte("credits/"), creditstypes.CertNumberKey("JC", b.ReportId)))]; !bytes.Equal(v, module.Uint64(b.Number)) {
			t.Fatalf("batch %s: certification number index %x", b.Id, v)
		}
	}
	if len(oldBatches) < 3 || labelled == 0 {
		t.Fatalf("the fixture has %d batches, %d CORSIA-eligible", len(oldBatches), labelled)
	}
	// The use tables: version 0 (the rules v0.2.0 applied, which its
	// retirements name) and version 1 (the scheme's table), in force from
	// the upgrade.
	v0, v1 := &creditsv1.UseTable{}, &creditsv1.UseTable{}
	if err := proto.Unmarshal(now.kv[string(creditstypes.UseTableStoreKey(0))], v0); err != nil || !proto.Equal(v0, credits.V1UseTable()) {
		t.Fatalf("use table 0: %v %v", v0, err)
	}
	wantV1 := credits.DefaultUseTable()
	wantV1.Height, wantV1.Time = f.PlanHeight, timestamppb.New(blockTime(f.PlanHeight))
	if err := proto.Unmarshal(now.kv[string(creditstypes.UseTableStoreKey(1))], v1); err != nil || !proto.Equal(v1, wantV1) {
		t.Fatalf("use table 1: %v %v", v1, err)
	}

	// Credits: every range, retirement and cancellation, by number.
	oldRanges := under(t, old, "credits/r/", 16, func() *creditsv1.Range { return &creditsv1.Range{} })
	newRanges := under(t, now, "credits/r/", 16, func() *creditsv1.Range { return &creditsv1.Range{} })
	if len(oldRanges) != len(newRanges) || len(oldRanges) < 15 {
		t.Fatalf("%d ranges, %d before", len(newRanges), len(oldRanges))
	}
	type balance struct{ active, retired, cancelled uint64 }
	balances := map[uint64]*balance{}
	for k, r := range oldRanges {
		want := proto.Clone(r).(*creditsv1.Range)
		want.OwnerAccount, want.Owner = num(r.Owner), ""
		if !proto.Equal(newRanges[k], want) {
			t.Fatalf("range %s %d-%d: %v, want %v", r.BatchId, r.Start, r.End, newRanges[k], want)
		}
		b := balances[want.OwnerAccount]
		if b == nil {
			b = &balance{}
			balances[want.OwnerAccount] = b
		}
		q := r.End - r.Start + 1
		switch r.Status {
		case creditsv1.RangeStatus_RANGE_STATUS_ACTIVE:
			b.active += q
		case creditsv1.RangeStatus_RANGE_STATUS_RETIRED:
			b.retired += q
		case creditsv1.RangeStatus_RANGE_STATUS_CANCELLED:
			b.cancelled += q
		}
	}
	// Balances per account, as the holdings query answers them now.
	for n, want := range balances {
		var h balance
		req := &creditsv1.QueryHoldingsRequest{Account: fmt.Sprint(n), Page: &queryv1.PageRequest{Limit: module.MaxPageLimit}}
		for {
			ans := &creditsv1.QueryHoldingsResponse{}
			if err := ask(a, "/credits/Holdings", req, ans); err != nil {
				t.Fatal(err)
			}
			if ans.AccountNumber != n {
				t.Fatalf("holdings of %d answer for account %d", n, ans.AccountNumber)
			}
			for _, r := range ans.Holdings {
				switch r.Status {
				case creditsv1.RangeStatus_RANGE_STATUS_ACTIVE:
					h.active += r.Quantity
				case creditsv1.RangeStatus_RANGE_STATUS_RETIRED:
					h.retired += r.Quantity
				case creditsv1.RangeStatus_RANGE_STATUS_CANCELLED:
					h.cancelled += r.Quantity
				}
			}
			if req.Page.Cursor = ans.Page.NextCursor; req.Page.Cursor == "" {
				break
			}
		}
		if h != *want {
			t.Fatalf("holdings of account %d: %+v, the v1 ranges hold %+v", n, h, *want)
		}
	}
	oldRets := under(t, old, "credits/t/", -1, func() *creditsv1.Retirement { return &creditsv1.Retirement{} })
	newRets := under(t, now, "credits/t/", -1, func() *creditsv1.Retirement { return &creditsv1.Retirement{} })
	uses := map[creditsv1.Use]bool{}
	if len(oldRets) != len(newRets) || len(oldRets) < 7 {
		t.Fatalf("%d retirements, %d before", len(newRets), len(oldRets))
	}
	legalName := func(n uint64) string { return newAccs[string(module.Uint64(n))].GetLegalName() }
	for k, r := range oldRets {
		want := proto.Clone(r).(*creditsv1.Retirement)
		want.AccountNumber = num(r.Account)
		if r.BeneficiaryAccount != "" {
			want.BeneficiaryAccountNumber = num(r.BeneficiaryAccount)
		}
		// Checked by v0.2.0's rules (version 0); one use; what a report
		// needs, from the migrated batches.
		want.Uses, want.Use, want.RuleVersion = []creditsv1.Use{r.Use}, 0, 0
		want.AccountLegalName, want.BeneficiaryLegalName = legalName(want.AccountNumber), ""
		if want.BeneficiaryAccountNumber != 0 {
			want.BeneficiaryLegalName = legalName(want.BeneficiaryAccountNumber)
		}
		if r.Use == creditsv1.Use_USE_CORSIA {
			want.CorsiaPhase = creditstypes.CorsiaPhaseOf(r.FiscalYear)
		}
		for i, blk := range r.Blocks {
			bn, _ := creditstypes.ParseBatchID(blk.BatchId)
			want.Blocks[i] = credits.RetiredBlock(newBatches[string(module.Uint64(bn))], blk.Start, blk.End)
			if want.Blocks[i].ProjectName == "" || want.Blocks[i].CertificationNumber == "" || want.Blocks[i].Origin == nil {
				t.Fatalf("retirement %s: block %v", r.Id, want.Blocks[i])
			}
		}
		if !proto.Equal(newRets[k], want) {
			t.Fatalf("retirement %s:\n got  %v\n want %v", r.Id, newRets[k], want)
		}
		seq, _ := creditstypes.ParseRetirementID(r.Id)
		for _, ik := range creditstypes.RetirementIndexKeys(want, seq) {
			if v := now.kv["credits/"+string(ik)]; !bytes.Equal(v, module.IndexValue) {
				t.Fatalf("retirement %s: index %q = %x", r.Id, ik, v)
			}
		}
		uses[r.Use] = true
	}
	if len(uses) < 6 {
		t.Fatalf("the fixture's retirements have %d uses", len(uses))
	}
	oldCans := under(t, old, "credits/c/", -1, func() *creditsv1.Cancellation { return &creditsv1.Cancellation{} })
	newCans := under(t, now, "credits/c/", -1, func() *creditsv1.Cancellation { return &creditsv1.Cancellation{} })
	if len(oldCans) == 0 || len(oldCans) != len(newCans) {
		t.Fatalf("%d cancellations, %d before", len(newCans), len(oldCans))
	}
	for k, c := range oldCans {
		want := proto.Clone(c).(*creditsv1.Cancellation)
		want.MinistryAccount = num(c.Ministry)
		if !proto.Equal(newCans[k], want) {
			t.Fatalf("cancellation %s: %v, want %v", c.Id, newCans[k], want)
		}
	}

	// Nothing of the v1 layout is left: every key is one the v2 layout
	// defines, so the count of keys is the count of v2 records.
	for _, k := range now.keys {
		if v1Shaped(k) {
			t.Errorf("state-version-1 key %q survived", k)
		}
	}

	// The chain carries on: the rotated holder's new key signs with the
	// nonce its account had.
	alice := apptest.Addr("alice-2")
	nonce := accounts.NewKeeper().Nonce(snap, alice)
	raw := signTx(t, "alice-2", nonce, &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 1})
	next, err := a.FinalizeBlock(context.Background(), &abci.FinalizeBlockRequest{Height: f.PlanHeight + 1, Time: blockTime(f.PlanHeight + 1), Txs: [][]byte{raw}})
	if err != nil || next.TxResults[0].Code != 0 {
		t.Fatalf("a transaction after the upgrade: %v %+v", err, next.GetTxResults())
	}
	commit(t, a)
}

// v1Shaped reports a key of the state-version-1 layout that the v2 layout
// does not have (keys of the same shape in both layouts are not).
func v1Shaped(k string) bool {
	for _, p := range []struct {
		prefix string
		n      int
	}{
		{"accounts/a/", common.AddressLength}, {"accounts/r/", 1 + common.AddressLength},
		{"credits/o/", common.AddressLength + 1 + 24}, {"credits/a/", common.AddressLength + 8}, {"credits/e/", common.AddressLength + 8},
		{"projects/o/", common.AddressLength + 8}, {"projects/b/", common.AddressLength + 8},
	} {
		if rest, ok := strings.CutPrefix(k, p.prefix); ok && len(rest) == p.n {
			return true
		}
	}
	return strings.Contains(k, "~v2/")
}

// The same transactions executed by this binary from genesis give the state
// the migration gives (the x/upgrade keys apart: there the plan is still
// scheduled, here it was applied), key for key and byte for byte.
func TestUpgradeV2EqualsTheStateThisBinaryBuilds(t *testing.T) {
	f, err := upgradetest.LoadFixture(upgradetest.FixtureV1Path())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := migrate(t, f)
	snap, err := a.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	migrated := stateOf(t, snap)

	c := upgradetest.NewChain(t)
	if at := upgradetest.Build(c); at != f.PlanHeight || c.Height != f.Height {
		t.Fatalf("this binary ran the scenario to height %d (plan at %d); v0.2.0 to %d (plan at %d)", c.Height, at, f.Height, f.PlanHeight)
	}
	built, err := c.App.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	fresh := stateOf(t, built)
	skip := func(k string) bool { return strings.HasPrefix(k, "upgrade/") }
	// Where the two may differ, by design: the migrated chain also keeps
	// use table 0 (the rules v0.2.0 applied), its retirements name that
	// version where this binary's name version 1, and version 1 took
	// effect at the upgrade rather than at genesis. Those fields apart, the
	// records are equal.
	v0 := string(creditstypes.UseTableStoreKey(0))
	if _, ok := migrated.kv[v0]; !ok {
		t.Fatal("the migrated state has no use table 0")
	}
	delete(migrated.kv, v0)
	v1 := string(creditstypes.UseTableStoreKey(1))
	for _, st := range []*state{fresh, migrated} {
		tbl := &creditsv1.UseTable{}
		if err := proto.Unmarshal(st.kv[v1], tbl); err != nil || tbl.Height == 0 {
			t.Fatalf("use table 1: %v %v", tbl, err)
		}
		tbl.Height, tbl.Time = 0, nil
		st.kv[v1], _ = proto.MarshalOptions{Deterministic: true}.Marshal(tbl)
	}
	for _, k := range fresh.keys {
		if !strings.HasPrefix(k, "credits/t/") {
			continue
		}
		rf, rm := &creditsv1.Retirement{}, &creditsv1.Retirement{}
		if proto.Unmarshal(fresh.kv[k], rf) != nil || proto.Unmarshal(migrated.kv[k], rm) != nil || rf.RuleVersion != 1 || rm.RuleVersion != 0 {
			t.Fatalf("%q: rule versions %d (built) and %d (migrated)", k, rf.RuleVersion, rm.RuleVersion)
		}
		rf.RuleVersion = 0
		fresh.kv[k], _ = proto.MarshalOptions{Deterministic: true}.Marshal(rf)
	}
	// Validators count as having signed where the chain took them as
	// trusted: the genesis here, the upgrade there.
	for _, st := range []*state{fresh, migrated} {
		for _, k := range st.keys {
			if !strings.HasPrefix(k, "accounts/v/") {
				continue
			}
			v := &accountsv1.Validator{}
			if err := proto.Unmarshal(st.kv[k], v); err != nil || v.LastSignedHeight == 0 {
				t.Fatalf("%q: %v %v", k, v, err)
			}
			v.LastSignedHeight = 0
			st.kv[k], _ = proto.MarshalOptions{Deterministic: true}.Marshal(v)
		}
	}
	for _, k := range fresh.keys {
		if skip(k) {
			continue
		}
		if !bytes.Equal(fresh.kv[k], migrated.kv[k]) {
			t.Errorf("%q: built %x, migrated %x", k, fresh.kv[k], migrated.kv[k])
		}
	}
	for _, k := range migrated.keys {
		if _, ok := fresh.kv[k]; !ok && !skip(k) && k != v0 {
			t.Errorf("%q only in the migrated state", k)
		}
	}
	// Both are at state version 2.
	for _, st := range []*state{fresh, migrated} {
		if v := st.kv["upgrade/version"]; len(v) != 8 || binary.BigEndian.Uint64(v) != app.StateVersion {
			t.Fatalf("upgrade/version = %x", v)
		}
	}
	// The migration is deterministic: a second run gives the same app hash.
	b, _ := migrate(t, f)
	if !bytes.Equal(app.WorkingHash(a), app.WorkingHash(b)) {
		t.Fatal("two runs of the migration gave different app hashes")
	}
}

// A binary of the previous state version refuses the migrated state, and
// says which version to run.
func TestUpgradeV2OldBinaryHaltsOnTheMigratedState(t *testing.T) {
	f, err := upgradetest.LoadFixture(upgradetest.FixtureV1Path())
	if err != nil {
		t.Fatal(err)
	}
	a, _ := migrate(t, f)
	app.SetStateVersion(a, 1)
	_, err = finalize(a, f.PlanHeight+1)
	var he *app.HaltError
	if !errors.As(err, &he) || !strings.Contains(he.Message, "state is at version 2") {
		t.Fatalf("a version-1 binary on the migrated state: %v", err)
	}
}

// ask runs the module query path with req and decodes the answer into
// resp.
func ask(a *app.App, path string, req, resp proto.Message) error {
	data, err := module.MarshalJSON(req)
	if err != nil {
		return err
	}
	res, err := a.Query(context.Background(), &abci.QueryRequest{Path: path, Data: data})
	if err != nil {
		return err
	}
	if res.Code != 0 {
		return fmt.Errorf("%s: %s", path, res.Log)
	}
	return module.UnmarshalJSON(res.Value, resp)
}

func signTx(t *testing.T, name string, nonce uint64, msgs ...proto.Message) []byte {
	t.Helper()
	body, err := tx.Build(apptest.ChainID, nonce, "", msgs...)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.Sign(body, apptest.Key(name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// checkMigratedStats: the statistics the migration computes (state version
// 2 keeps them, release v0.2.0 did not) are what the v0.2.0 records say,
// counted here independently of x/credits: credits issued, retired and
// cancelled by category and in total from the v1 batches, retired by
// fiscal year and by use from the v1 retirement records (one use each),
// and projects by status from the v1 projects.
func checkMigratedStats(t *testing.T, old, now *state) {
	t.Helper()
	counter := func(key []byte) uint64 {
		v, ok := now.kv[string(key)]
		if !ok {
			return 0
		}
		c := &creditsv1.Counter{}
		if err := proto.Unmarshal(v, c); err != nil {
			t.Fatalf("counter %x: %v", key, err)
		}
		return c.Value
	}
	issued, retired, cancelled := map[creditsv1.Category]uint64{}, map[creditsv1.Category]uint64{}, map[creditsv1.Category]uint64{}
	var all [3]uint64
	for _, b := range under(t, old, "credits/b/", 8, func() *creditsv1.Batch { return &creditsv1.Batch{} }) {
		issued[b.Category] += b.Issued
		retired[b.Category] += b.Retired
		cancelled[b.Category] += b.Cancelled
		all[0], all[1], all[2] = all[0]+b.Issued, all[1]+b.Retired, all[2]+b.Cancelled
	}
	if all[0] == 0 || all[1] == 0 || all[2] == 0 {
		t.Fatalf("the fixture should issue, retire and cancel credits: %v", all)
	}
	measures := []creditsv1.StatMeasure{creditsv1.StatMeasure_STAT_MEASURE_ISSUED, creditsv1.StatMeasure_STAT_MEASURE_RETIRED, creditsv1.StatMeasure_STAT_MEASURE_CANCELLED}
	for i, m := range measures {
		if got := counter(creditstypes.StatStoreKey(creditstypes.DimTotal, m, nil)); got != all[i] {
			t.Errorf("total %s after the migration: %d, the v1 batches say %d", m, got, all[i])
		}
	}
	for cat, n := range issued {
		for i, want := range []uint64{n, retired[cat], cancelled[cat]} {
			if got := counter(creditstypes.StatStoreKey(creditstypes.DimCategory, measures[i], creditstypes.CategoryValue(cat))); got != want {
				t.Errorf("%s %s after the migration: %d, the v1 batches say %d", cat, measures[i], got, want)
			}
		}
	}
	byYear, byUse := map[uint32]uint64{}, map[creditsv1.Use]uint64{}
	records := 0
	for _, r := range under(t, old, "credits/t/", -1, func() *creditsv1.Retirement { return &creditsv1.Retirement{} }) {
		byYear[r.FiscalYear] += r.Quantity
		byUse[r.Use] += r.Quantity //nolint:staticcheck // v0.2.0's one use
		records++
	}
	if got := counter(creditstypes.StatStoreKey(creditstypes.DimTotal, creditsv1.StatMeasure_STAT_MEASURE_RETIREMENTS, nil)); got != uint64(records) || records == 0 {
		t.Errorf("%d retirements counted after the migration, the fixture has %d", got, records)
	}
	for fy, want := range byYear {
		if got := counter(creditstypes.StatStoreKey(creditstypes.DimFiscalYear, creditsv1.StatMeasure_STAT_MEASURE_RETIRED, creditstypes.YearValue(fy))); got != want {
			t.Errorf("retired in FY%d after the migration: %d, the v1 records say %d", fy, got, want)
		}
	}
	for u, want := range byUse {
		if got := counter(creditstypes.StatStoreKey(creditstypes.DimUse, creditsv1.StatMeasure_STAT_MEASURE_RETIRED, creditstypes.UseValue(u))); got != want {
			t.Errorf("retired for %s after the migration: %d, the v1 records say %d", u, got, want)
		}
	}
	statuses := map[projectsv1.ProjectStatus]uint64{}
	for _, p := range under(t, old, "projects/p/", 8, func() *projectsv1.Project { return &projectsv1.Project{} }) {
		statuses[p.Status]++
	}
	if len(statuses) == 0 {
		t.Fatal("the fixture has no projects")
	}
	for s, want := range statuses {
		v := now.kv[string(module.Key([]byte(projectstypes.StorePrefix), projectstypes.StatusCountKey(s)))]
		if len(v) != 8 || binary.BigEndian.Uint64(v) != want {
			t.Errorf("projects %s after the migration: %x, the v1 projects say %d", s, v, want)
		}
	}
}
