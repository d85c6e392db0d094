package credits_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	dbm "github.com/cosmos/cosmos-db"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// keeperEnv is a credits keeper over a real IAVL tree (in memory) with a
// real accounts keeper, for tests of keeper functions that are not
// messages (IssueBatch, the account hooks).
type keeperEnv struct {
	t     testing.TB
	tree  *store.Tree
	acc   *accounts.Keeper
	cred  *credits.Keeper
	cache *store.Cache
	ctx   module.Context
}

func newKeeperEnv(t testing.TB, names ...string) *keeperEnv {
	t.Helper()
	tree, err := store.Open(dbm.NewMemDB())
	if err != nil {
		t.Fatal(err)
	}
	e := &keeperEnv{t: t, tree: tree, acc: accounts.NewKeeper()}
	e.cred = credits.NewKeeper(e.acc)
	e.cache = store.NewCache(tree)
	e.ctx = module.NewContext(e.cache, apptest.ChainID, 1, apptest.GenesisTime)
	accs := apptest.DefaultAccounts()
	for _, n := range names {
		accs = append(accs, apptest.GenesisAccount{Name: n, Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER}})
	}
	if err := e.acc.InitGenesis(e.ctx, apptest.AccountsGenesis(accs)); err != nil {
		t.Fatal(err)
	}
	if err := e.cred.InitGenesis(e.ctx, nil); err != nil {
		t.Fatal(err)
	}
	return e
}

// request builds an issuance request for report to the named recipients
// (an unknown name is account 0, which no account has).
func (e *keeperEnv) request(report string, cat creditsv1.Category, alloc ...any) *creditsv1.IssuanceRequest {
	req := &creditsv1.IssuanceRequest{
		ProjectId: "P-0001", ReportId: report, Methodology: "EN-S-001", Category: cat,
		VintageStart: "2024-04-01", VintageEnd: "2025-03-31",
	}
	for i := 0; i+1 < len(alloc); i += 2 {
		req.Allocations = append(req.Allocations, &creditsv1.Allocation{
			Account: e.num(alloc[i].(string)), Quantity: uint64(alloc[i+1].(int)),
		})
	}
	return req
}

// num is the number of the account name's key signs for (0: none).
func (e *keeperEnv) num(name string) uint64 {
	n, _ := e.acc.AccountNumber(e.cache, apptest.Addr(name))
	return n
}

// holder is an account present at genesis in scenario chains.
type holder struct {
	name   string
	roles  []accountsv1.Role
	status accountsv1.AccountStatus
}

// genBatch is a batch migrated at genesis, allocated to named holders in
// order.
type genBatch struct {
	category     creditsv1.Category
	vintageStart string
	corsia       bool
	alloc        []alloc
	// scheme and creditType default as issuance's do (JC; ER, or FM for
	// forest); origin is the prefecture code of the project (default 26,
	// Kyoto); labels the batch carries.
	scheme, creditType string
	origin             string
	labels             []*creditsv1.Label
	electricityKwh     uint64
}

type alloc struct {
	name string
	qty  uint64
}

// newChain starts a real app (IAVL on disk, real signatures) whose genesis
// holds the default administrators, the given holders and batches 1..n.
func newChain(t testing.TB, holders []holder, batches ...genBatch) *apptest.Chain {
	t.Helper()
	return newChainWith(t, nil, holders, batches...)
}

// newChainWith is newChain with the accounts genesis changed by edit
// (parameters such as the trusted-recipient delay).
func newChainWith(t testing.TB, edit func(*accountsv1.GenesisState), holders []holder, batches ...genBatch) *apptest.Chain {
	t.Helper()
	ag := &accountsv1.GenesisState{}
	for _, a := range apptest.DefaultAccounts() {
		holders = append([]holder{{name: a.Name, roles: a.Roles}}, holders...)
	}
	for _, h := range holders {
		kind := accountsv1.EntityKind_ENTITY_KIND_CORPORATION
		ag.Accounts = append(ag.Accounts, &accountsv1.Account{
			Address: apptest.Addr(h.name).Hex(), LegalName: h.name, EntityKind: kind,
			Country: "JP", Roles: h.roles, Status: h.status,
		})
	}
	cg := &creditsv1.GenesisState{}
	for i, gb := range batches {
		n := uint64(i + 1)
		b := &creditsv1.Batch{
			Id: creditstypes.BatchID(n), Number: n, ProjectId: fmt.Sprintf("P-%d", n), ReportId: fmt.Sprintf("R-%d", n),
			Methodology: "EN-S-001", Category: gb.category, VintageStart: gb.vintageStart,
			VintageEnd: gb.vintageStart[:4] + "-12-31", CorsiaEligible: gb.corsia,
			SchemeSymbol: gb.scheme, CreditType: gb.creditType, Labels: gb.labels,
			ProjectName: fmt.Sprintf("Project %d", n), Origin: &creditsv1.Location{PrefectureCode: "26"},
			ElectricityKwh: gb.electricityKwh,
		}
		if gb.origin != "" {
			b.Origin.PrefectureCode = gb.origin
		}
		if creditstypes.Legacy(gb.scheme) {
			b.ReportId = ""
			b.CertificationNumber = fmt.Sprintf("%s-CERT-%d", gb.scheme, n)
			b.Legacy = &creditsv1.LegacyOrigin{OriginalProjectId: b.ProjectId, OriginalSerialStart: 1001}
		}
		next := uint64(1)
		for _, a := range gb.alloc {
			cg.Ranges = append(cg.Ranges, &creditsv1.Range{
				BatchId: b.Id, Start: next, End: next + a.qty - 1, Owner: apptest.Addr(a.name).Hex(),
				Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE,
			})
			next += a.qty
		}
		b.Issued = next - 1
		if b.Legacy != nil {
			b.Legacy.OriginalSerialEnd = 1000 + b.Issued
		}
		cg.Batches = append(cg.Batches, b)
	}
	if edit != nil {
		edit(ag)
	}
	// Cleanups run last-registered first: the invariant is checked, then
	// every spent transaction is replayed (which must change nothing).
	c := apptest.New(t, app.GenesisState{"accounts": mustJSON(t, ag), "credits": mustJSON(t, cg)}).ReplayAtEnd()
	t.Cleanup(func() { conserved(t, c) })
	return c
}

// conserved checks the conservation invariant on c's committed state:
// per batch issued = active + locked + retired + cancelled, the ranges
// tiling the batch. Every scenario chain checks it when its test ends.
func conserved(t testing.TB, c *apptest.Chain) {
	t.Helper()
	snap, err := c.App.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if err := credits.CheckInvariants(snap); err != nil {
		t.Errorf("conservation: %v", err)
	}
}

func mustJSON(t testing.TB, m proto.Message) json.RawMessage {
	bz, err := protojson.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return bz
}

func holders(names ...string) []holder {
	var out []holder
	for _, n := range names {
		out = append(out, holder{name: n, roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER}})
	}
	return out
}

// rejects delivers msg from name and checks that it fails with want's
// codespace and code and leaves the state unchanged but for the spent
// nonce.
func rejects(t testing.TB, c *apptest.Chain, want *module.Error, name string, msg proto.Message) {
	t.Helper()
	res := c.ExecFails(name, msg)
	if res.Codespace != want.Codespace || res.Code != want.Code {
		t.Fatalf("want %s/%d (%s), got %s/%d: %s", want.Codespace, want.Code, want.Desc, res.Codespace, res.Code, res.Log)
	}
}

// execRefused delivers msg from name, checks that it is refused and leaves
// the state unchanged but for the spent nonce (apptest.ExecFails), and
// returns the result for its log.
func execRefused(t testing.TB, c *apptest.Chain, name string, msg proto.Message) *abci.ExecTxResult {
	t.Helper()
	return c.ExecFails(name, msg)
}

// holdings is an account's whole holdings answer, every page read: its
// ranges in the owner index's order and the totals they add up to.
type holdings struct {
	Account       string // the account's current address
	AccountNumber uint64
	Ranges        []*creditsv1.Holding
	Active        uint64
	Retired       uint64
	Cancelled     uint64
}

// batchIDs lists the batches the holdings draw from, each once.
func (h holdings) batchIDs() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range h.Ranges {
		if !seen[r.BatchId] {
			seen[r.BatchId] = true
			out = append(out, r.BatchId)
		}
	}
	return out
}

// readHoldings pages through the Holdings answers of account (address or
// number) that ask returns.
func readHoldings(t testing.TB, account string, ask func(req *creditsv1.QueryHoldingsRequest) *creditsv1.QueryHoldingsResponse) holdings {
	t.Helper()
	var h holdings
	req := &creditsv1.QueryHoldingsRequest{Account: account, Page: &queryv1.PageRequest{Limit: 7}}
	for {
		ans := ask(req)
		h.AccountNumber = ans.AccountNumber
		for _, a := range ans.Accounts {
			if a.Number == ans.AccountNumber {
				h.Account = a.Address
			}
		}
		for _, r := range ans.Holdings {
			h.Ranges = append(h.Ranges, r)
			switch r.Status {
			case creditsv1.RangeStatus_RANGE_STATUS_ACTIVE:
				h.Active += r.Quantity
			case creditsv1.RangeStatus_RANGE_STATUS_RETIRED:
				h.Retired += r.Quantity
			case creditsv1.RangeStatus_RANGE_STATUS_CANCELLED:
				h.Cancelled += r.Quantity
			}
		}
		if ans.Page.NextCursor == "" {
			return h
		}
		req.Page.Cursor = ans.Page.NextCursor
	}
}

func holdingsOf(t testing.TB, c *apptest.Chain, name string) holdings {
	t.Helper()
	return readHoldings(t, apptest.Addr(name).Hex(), func(req *creditsv1.QueryHoldingsRequest) *creditsv1.QueryHoldingsResponse {
		ans := &creditsv1.QueryHoldingsResponse{}
		if err := c.Read("/credits/Holdings", req, ans); err != nil {
			t.Fatal(err)
		}
		return ans
	})
}

// rangesOf lists name's ranges as "serials status" strings.
func rangesOf(t testing.TB, c *apptest.Chain, name string) []string {
	t.Helper()
	var out []string
	for _, r := range holdingsOf(t, c, name).Ranges {
		out = append(out, r.Serials+" "+strings.TrimPrefix(r.Status.String(), "RANGE_STATUS_"))
	}
	return out
}

// serialOf is the Serial answer for serial.
func serialOf(t testing.TB, c *apptest.Chain, serial string) *creditsv1.QuerySerialResponse {
	t.Helper()
	ans := &creditsv1.QuerySerialResponse{}
	if err := c.Read("/credits/Serial", &creditsv1.QuerySerialRequest{Serial: serial}, ans); err != nil {
		t.Fatal(err)
	}
	return ans
}

func batchOf(t testing.TB, c *apptest.Chain, id string) *creditsv1.Batch {
	t.Helper()
	ans := &creditsv1.QueryBatchResponse{}
	if err := c.Read("/credits/Batch", &creditsv1.QueryBatchRequest{Id: id}, ans); err != nil {
		t.Fatalf("batch %s: %v", id, err)
	}
	return ans.Batch
}

func sameStrings(t testing.TB, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s:\n got  %q\n want %q", what, got, want)
	}
}

type abciEvent = abci.Event

type abciExecResult = abci.ExecTxResult

func hasEvent(evs []abci.Event, typ, key, value string) bool {
	for _, e := range evs {
		if e.Type != typ {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == key && a.Value == value && a.Index {
				return true
			}
		}
	}
	return false
}
