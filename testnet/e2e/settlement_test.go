//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/node/testnet"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/testnet/harness"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The settlement desks: desk i is seller i locking its credits for agent i
// (an account with the settlement role), which settles to one of the
// buyers or releases. The sellers hold a third genesis batch that the
// background load does not touch, so the load's own balance check stays
// exact while the desks lock, settle and release.
const (
	perSeller     = 500
	settleBatchNo = 3
	buyersN       = 2
)

func settlementSizes() (desks, rounds int) {
	if testing.Short() {
		return 3, 5
	}
	return 4, 14
}

// round is one lock and the closes the agent submitted for it.
type round struct {
	desk, k int
	lockID  string
	want    string // "settle", "release" or "expire"
	buyer   string
	closes  []closeTry
}

type closeTry struct {
	kind string // "settle" or "release"
	hash string
	code uint32
	err  error
}

// A settlement agent's closes race a validator's kill -9: every lock ends
// in exactly one final state, no lock is both settled and released, every
// credit is accounted for, and the nodes agree.
func TestSettlementUnderLoadWithAValidatorKilled(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("the e2e suite needs root: every node runs in its own network namespace (run it through `make e2e`, as root)")
	}
	desks, rounds := settlementSizes()
	w := workload()
	us := users(w)
	name := func(role string, i int) string { return fmt.Sprintf("%s%d", role, i) }
	for i := 1; i <= desks; i++ {
		us = append(us,
			testnet.User{Name: name("seller", i), Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER}},
			testnet.User{Name: name("agent", i), Roles: []accountsv1.Role{accountsv1.Role_ROLE_SETTLEMENT}})
	}
	for i := 1; i <= buyersN; i++ {
		us = append(us, testnet.User{Name: name("buyer", i), Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER}})
	}
	batch3 := types.BatchID(settleBatchNo)
	o := harness.Options{Providers: 1, NetNS: true, Users: us}
	o.ExtraGenesis = func(addrs map[string]string) (map[string]json.RawMessage, error) {
		g, err := w.Credits.GenesisState(addrs)
		if err != nil {
			return nil, err
		}
		g.Batches = append(g.Batches, &creditsv1.Batch{
			Id: batch3, Number: settleBatchNo, ProjectId: "settlement-project", ReportId: "settlement-report",
			Methodology: "EN-S-001", Category: creditsv1.Category_CATEGORY_ENERGY_SAVING,
			VintageStart: "2024-04-01", VintageEnd: "2025-03-31", Issued: perSeller * uint64(desks),
		})
		for i := 1; i <= desks; i++ {
			g.Ranges = append(g.Ranges, &creditsv1.Range{
				BatchId: batch3, Start: uint64(i-1)*perSeller + 1, End: uint64(i) * perSeller, Owner: addrs[name("seller", i)],
				Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE,
			})
		}
		for _, b := range g.Batches {
			b.Origin = &creditsv1.Location{PrefectureCode: "26"}
		}
		bz, err := protojson.Marshal(g)
		if err != nil {
			return nil, err
		}
		return map[string]json.RawMessage{"credits": bz}, nil
	}
	n := harness.New(t, o)
	sctx, scancel := ctxFor(2 * time.Minute)
	n.Start(sctx)
	scancel()
	w.Credits.Bind(n)
	addr := func(who string) string { return crypto.PubkeyToAddress(n.Keys[who].PublicKey).Hex() }
	load := n.StartLoad(w, signers(w), harness.LoadOptions{})
	n.AssertProgress(sizes().before, 2*time.Minute)

	ctx, cancel := ctxFor(10 * time.Minute)
	defer cancel()
	var (
		mu   sync.Mutex
		all  []*round
		done atomic.Int64
	)
	desk := func(i int) {
		seller, agent := name("seller", i), name("agent", i)
		for k := 0; k < rounds && ctx.Err() == nil; k++ {
			r := &round{desk: i, k: k}
			expiry := int64(40)
			switch {
			case k%4 == 3:
				r.want, expiry = "expire", 3
			case (k+i)%2 == 0:
				r.want, r.buyer = "settle", name("buyer", 1+(k+i)%buyersN)
			default:
				r.want = "release"
			}
			res, err := n.Submit(ctx, seller, &creditsv1.MsgLock{
				Quantity: uint64(1 + (k+i)%5), Agent: addr(agent), ExpiresHeight: n.Height(ctx) + expiry,
				Reference: fmt.Sprintf("e2e desk %d trade %d", i, k),
			})
			if err != nil || res.TxResult.Code != 0 {
				t.Errorf("desk %d round %d: lock: %v %v", i, k, err, res)
				continue
			}
			r.lockID = harness.EventAttr(res, "credits.lock", "lock_id")[0]
			mu.Lock()
			all = append(all, r)
			mu.Unlock()
			// The intended close, then the other one for the same lock,
			// which must be refused.
			var kinds []string
			switch r.want {
			case "settle":
				kinds = []string{"settle", "release"}
			case "release":
				kinds = []string{"release", "settle"}
			}
			for _, kind := range kinds {
				var msg proto.Message
				if kind == "settle" {
					msg = &creditsv1.MsgSettle{LockId: r.lockID, Buyer: addr(nonEmpty(r.buyer, name("buyer", 1)))}
				} else {
					msg = &creditsv1.MsgRelease{LockId: r.lockID}
				}
				res, err := n.Submit(ctx, agent, msg)
				c := closeTry{kind: kind, err: err}
				if err == nil {
					c.hash, c.code = fmt.Sprintf("%X", res.Hash), res.TxResult.Code
				}
				mu.Lock()
				r.closes = append(r.closes, c)
				mu.Unlock()
			}
			done.Add(1)
		}
	}
	var wg sync.WaitGroup
	for i := 1; i <= desks; i++ {
		wg.Add(1)
		go func(i int) { defer wg.Done(); desk(i) }(i)
	}

	// kill -9 a validator once a third of the rounds are through, while
	// the desks go on locking, settling and releasing.
	for done.Load() < int64(desks*rounds/3) && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
	}
	victim := n.Node("maff")
	f := harness.Fault{Scenario: "kill -9 validator maff mid-settlement", From: n.Height(ctx)}
	began := time.Now()
	victim.Kill()
	n.Logf("killed %s at height %d after %d settlement rounds", victim.Name, f.From, done.Load())
	n.AssertProgress(sizes().before, 2*time.Minute)
	if err := victim.Start(); err != nil {
		t.Fatal(err)
	}
	f.To, f.Duration = n.Height(ctx), time.Since(began)
	f.Recovery = catchUp(t, n, victim, time.Now())
	n.Logf("%s back at height %d after %s; %d settlement rounds done", victim.Name, f.To, f.Recovery, done.Load())
	wg.Wait()

	// Every lock closes: those left alone expire (the last expiry is at
	// most 40 blocks after the last lock).
	nd := n.AnyLive()
	for {
		open := locks(t, ctx, nd, creditsv1.LockStatus_LOCK_STATUS_OPEN)
		if len(open) == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("%d locks still open", len(open))
		}
		time.Sleep(time.Second)
	}
	finish(t, n, load, f)

	// The chain's record of every lock, on every node.
	mu.Lock()
	defer mu.Unlock()
	// Every close whose result the agent saw is in the chain once, with
	// that result; the intended close succeeded and its opposite was
	// refused.
	chain, err := n.CheckChain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		for j, c := range r.closes {
			if c.err != nil {
				continue
			}
			if hs := chain.TxHeights[c.hash]; len(hs) != 1 || chain.TxCodes[c.hash] != c.code {
				t.Errorf("lock %s: %s tx %s at heights %v with code %d, the agent saw code %d", r.lockID, c.kind, c.hash, hs, chain.TxCodes[c.hash], c.code)
			}
			if first := j == 0; first != (c.code == 0) {
				t.Errorf("lock %s (%s intended): %s #%d ended with code %d", r.lockID, r.want, c.kind, j+1, c.code)
			}
		}
	}
	number := map[string]uint64{}
	for _, who := range append(names("buyer", buyersN), names("seller", desks)...) {
		a, err := harness.QueryAccount(ctx, nd, addr(who))
		if err != nil || a == nil {
			t.Fatalf("account %s: %v", who, err)
		}
		number[who] = a.Number
	}
	var settledN, releasedN, expiredN int
	for _, v := range n.Live() {
		byID := map[string]*creditsv1.Lock{}
		for _, l := range locks(t, ctx, v, creditsv1.LockStatus_LOCK_STATUS_UNSPECIFIED) {
			byID[l.Id] = l
		}
		settledTo := map[uint64]uint64{}
		sold := map[uint64]uint64{}
		for _, l := range byID {
			switch l.Status {
			case creditsv1.LockStatus_LOCK_STATUS_SETTLED:
				settledTo[l.BuyerAccount] += l.Quantity
				sold[l.HolderAccount] += l.Quantity
			case creditsv1.LockStatus_LOCK_STATUS_RELEASED, creditsv1.LockStatus_LOCK_STATUS_EXPIRED, creditsv1.LockStatus_LOCK_STATUS_CANCELLED:
			default:
				t.Errorf("%s: lock %s ends %v, not in a final state", v.Name, l.Id, l.Status)
			}
		}
		settledN, releasedN, expiredN = 0, 0, 0
		for _, r := range all {
			l := byID[r.lockID]
			if l == nil {
				t.Fatalf("%s: lock %s (desk %d round %d) is not in the chain", v.Name, r.lockID, r.desk, r.k)
			}
			var won []closeTry
			for _, c := range r.closes {
				if c.err != nil {
					t.Logf("desk %d round %d: %s of %s: result unknown: %v", r.desk, r.k, c.kind, r.lockID, c.err)
				} else if c.code == 0 {
					won = append(won, c)
				}
			}
			if len(won) > 1 {
				t.Errorf("lock %s closed twice: %+v", r.lockID, won)
			}
			switch l.Status {
			case creditsv1.LockStatus_LOCK_STATUS_SETTLED:
				settledN++
			case creditsv1.LockStatus_LOCK_STATUS_RELEASED:
				releasedN++
			case creditsv1.LockStatus_LOCK_STATUS_EXPIRED:
				expiredN++
			}
			if len(won) == 1 {
				wantStatus := map[string]creditsv1.LockStatus{"settle": creditsv1.LockStatus_LOCK_STATUS_SETTLED, "release": creditsv1.LockStatus_LOCK_STATUS_RELEASED}[won[0].kind]
				if l.Status != wantStatus || !strings.EqualFold(l.ClosedTxHash, won[0].hash) {
					t.Errorf("%s: lock %s is %v closed by %q, but %s %s succeeded", v.Name, l.Id, l.Status, l.ClosedTxHash, won[0].kind, won[0].hash)
				}
			}
			if r.want == "expire" && l.Status != creditsv1.LockStatus_LOCK_STATUS_EXPIRED {
				t.Errorf("%s: lock %s left alone ends %v", v.Name, l.Id, l.Status)
			}
		}
		// The buyers hold exactly what was settled to them; the sellers
		// their genesis credits less what they sold.
		for _, who := range names("buyer", buyersN) {
			if got := activeOf(t, ctx, v, addr(who), batch3); got != settledTo[number[who]] {
				t.Errorf("%s: %s holds %d of %s; settled locks sent it %d", v.Name, who, got, batch3, settledTo[number[who]])
			}
		}
		for _, who := range names("seller", desks) {
			if got := activeOf(t, ctx, v, addr(who), batch3); got != perSeller-sold[number[who]] {
				t.Errorf("%s: %s holds %d of %s; genesis %d less %d settled", v.Name, who, got, batch3, perSeller, sold[number[who]])
			}
		}
		b := batchOf(t, ctx, v, batch3)
		if b.Issued != b.Active+b.Locked+b.Retired+b.Cancelled || b.Locked != 0 {
			t.Errorf("%s: batch %s: issued %d, active %d, locked %d, retired %d, cancelled %d", v.Name, b.Id, b.Issued, b.Active, b.Locked, b.Retired, b.Cancelled)
		}
	}
	if settledN == 0 || releasedN == 0 || expiredN == 0 {
		t.Errorf("want settled, released and expired locks; got %d, %d, %d", settledN, releasedN, expiredN)
	}
	t.Logf("%d settlement rounds by %d desks: %d settled, %d released, %d expired; each close's opposite refused; checked on %d nodes",
		len(all), desks, settledN, releasedN, expiredN, len(n.Live()))
}

func nonEmpty(s, alt string) string {
	if s != "" {
		return s
	}
	return alt
}

func names(role string, k int) []string {
	var out []string
	for i := 1; i <= k; i++ {
		out = append(out, fmt.Sprintf("%s%d", role, i))
	}
	return out
}

// query runs a module query on nd.
func query(t *testing.T, ctx context.Context, nd *harness.Node, path string, req, resp proto.Message) {
	t.Helper()
	data, err := module.MarshalJSON(req)
	if err != nil {
		t.Fatal(err)
	}
	qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := nd.Client().ABCIQuery(qctx, path, data)
	if err != nil || res.Response.Code != 0 {
		t.Fatalf("%s: query %s: %v %v", nd.Name, path, err, res)
	}
	if err := module.UnmarshalJSON(res.Response.Value, resp); err != nil {
		t.Fatal(err)
	}
}

// locks lists every lock with status (any if unspecified).
func locks(t *testing.T, ctx context.Context, nd *harness.Node, status creditsv1.LockStatus) []*creditsv1.Lock {
	t.Helper()
	var out []*creditsv1.Lock
	req := &creditsv1.QueryLocksRequest{Status: status, Page: &queryv1.PageRequest{Limit: module.MaxPageLimit}}
	for {
		var ans creditsv1.QueryLocksResponse
		query(t, ctx, nd, "/credits/Locks", req, &ans)
		out = append(out, ans.Locks...)
		if req.Page.Cursor = ans.Page.GetNextCursor(); req.Page.Cursor == "" {
			return out
		}
	}
}

// activeOf is addr's active credits of batch.
func activeOf(t *testing.T, ctx context.Context, nd *harness.Node, addr, batch string) uint64 {
	t.Helper()
	var sum uint64
	req := &creditsv1.QueryHoldingsRequest{Account: addr, Page: &queryv1.PageRequest{Limit: module.MaxPageLimit}}
	for {
		var ans creditsv1.QueryHoldingsResponse
		query(t, ctx, nd, "/credits/Holdings", req, &ans)
		for _, h := range ans.Holdings {
			if h.BatchId == batch && h.Status == creditsv1.RangeStatus_RANGE_STATUS_ACTIVE {
				sum += h.Quantity
			}
		}
		if req.Page.Cursor = ans.Page.GetNextCursor(); req.Page.Cursor == "" {
			return sum
		}
	}
}

func batchOf(t *testing.T, ctx context.Context, nd *harness.Node, id string) *creditsv1.Batch {
	t.Helper()
	var ans creditsv1.QueryBatchResponse
	query(t, ctx, nd, "/credits/Batch", &creditsv1.QueryBatchRequest{Id: id}, &ans)
	return ans.Batch
}
