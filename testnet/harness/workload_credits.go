package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"sort"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/node/testnet"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Credits is a workload of credit transfers and retirements among holder
// accounts. At genesis every holder owns PerHolder credits of each of two
// batches (migrated from the legacy registry, as the credits genesis
// allows); each transaction then either transfers a few credits (by
// quantity, oldest first) to another holder or retires a few for a carbon
// offset.
//
// Its checks, on every node: per batch, issued = active + retired +
// cancelled, and the ranges of all holders tile serials 1..issued with no
// overlap and no gap; and every holder's active and retired totals are
// exactly what the committed transactions imply.
//
// With a Reserve (one of the Holders that signs nothing), ministries in
// the load cancel the reserve's genesis credits one block of serials at a
// time (CancelMsgs); the balance check then takes the cancellations into
// account.
type Credits struct {
	Holders   []string
	PerHolder uint64
	// Reserve, if set, names the holder whose genesis credits the
	// cancellations take (it must not be a signer of the load).
	Reserve string
	// Use, if set, is the retirements' use instead of a carbon offset
	// (which needs batches that record their place of origin: a network
	// started by release v0.2.0 has none).
	Use   creditsv1.Use
	addrs map[string]string // filled by Bind
}

// creditBatches are the two genesis batches of the load.
var creditBatches = []struct {
	cat         creditsv1.Category
	methodology string
}{
	{creditsv1.Category_CATEGORY_ENERGY_SAVING, "EN-S-001"},
	{creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, "EN-R-002"},
}

// NewCredits returns the workload for holders holder1..n.
func NewCredits(n int, perHolder uint64) Credits {
	w := Credits{PerHolder: perHolder, addrs: map[string]string{}}
	for i := 1; i <= n; i++ {
		w.Holders = append(w.Holders, fmt.Sprintf("holder%d", i))
	}
	return w
}

// Users are the holder accounts the network must open at genesis.
func (w Credits) Users() []testnet.User {
	var out []testnet.User
	for _, h := range w.Holders {
		out = append(out, testnet.User{Name: h, Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER}})
	}
	return out
}

// Genesis is the credits module's genesis: the batches and each holder's
// range of each.
func (w Credits) Genesis(addrs map[string]string) (map[string]json.RawMessage, error) {
	g, err := w.GenesisState(addrs)
	if err != nil {
		return nil, err
	}
	for _, b := range g.Batches {
		b.Origin = &creditsv1.Location{PrefectureCode: "26"} // created in Kyoto
	}
	bz, err := protojson.Marshal(g)
	if err != nil {
		return nil, err
	}
	return map[string]json.RawMessage{"credits": bz}, nil
}

// GenesisState is the credits genesis with only the fields release v0.2.0
// (state version 1) knew: what a network started from that release is
// given (Genesis adds the batches' origin).
func (w Credits) GenesisState(addrs map[string]string) (*creditsv1.GenesisState, error) {
	g := &creditsv1.GenesisState{}
	issued := w.PerHolder * uint64(len(w.Holders))
	for i, b := range creditBatches {
		id := creditstypes.BatchID(uint64(i + 1))
		g.Batches = append(g.Batches, &creditsv1.Batch{
			Id: id, Number: uint64(i + 1), ProjectId: fmt.Sprintf("legacy-project-%d", i+1), ReportId: fmt.Sprintf("legacy-report-%d", i+1),
			Methodology: b.methodology, Category: b.cat, VintageStart: "2024-04-01", VintageEnd: "2025-03-31", Issued: issued,
		})
		for j, h := range w.Holders {
			addr, ok := addrs[h]
			if !ok {
				return nil, fmt.Errorf("no genesis account %q", h)
			}
			g.Ranges = append(g.Ranges, &creditsv1.Range{
				BatchId: id, Start: uint64(j)*w.PerHolder + 1, End: uint64(j+1) * w.PerHolder, Owner: addr,
				Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE,
			})
		}
	}
	return g, nil
}

// reserveBlock is the serials of the reserve's genesis range of batch i
// that the cancellation of number seq takes: two credits, from the start
// of the range, alternating between the two batches. The reserve never
// sends, so its genesis ranges stay where genesis put them.
func (w Credits) reserveBlock(seq int) (creditstypes.Serial, bool) {
	j := -1
	for i, h := range w.Holders {
		if h == w.Reserve {
			j = i
		}
	}
	i, k := seq%len(creditBatches), uint64(seq/len(creditBatches))
	start := uint64(j)*w.PerHolder + 1 + 2*k
	if j < 0 || start+1 > uint64(j+1)*w.PerHolder {
		return creditstypes.Serial{}, false
	}
	b := creditBatches[i]
	return creditstypes.SerialOf(&creditsv1.Batch{Id: creditstypes.BatchID(uint64(i + 1)), Number: uint64(i + 1), Category: b.cat, VintageStart: "2024-04-01"}, start, start+1), true
}

// CancelMsgs is a ministry's next cancellation of the reserve's credits
// (nil once the reserve's genesis ranges are used up).
func (w Credits) CancelMsgs(signer string, seq int) []proto.Message {
	s, ok := w.reserveBlock(seq)
	if !ok {
		return nil
	}
	return []proto.Message{&creditsv1.MsgCancel{Serials: []string{s.String()}, Reason: fmt.Sprintf("e2e load: cancelled by %s (#%d)", signer, seq)}}
}

// Msgs transfers 1-5 credits to another holder (three times in four) or
// retires 1-3 to offset an event in Tokyo (a carbon offset uses credits
// created elsewhere; fiscal 2025 lies between the vintage and now).
func (w Credits) Msgs(signer string, seq int, rnd *rand.Rand) []proto.Message {
	retire := rnd.Intn(4) == 0
	if retire && w.Use != creditsv1.Use_USE_UNSPECIFIED && w.Use != creditsv1.Use_USE_CARBON_OFFSET {
		return []proto.Message{&creditsv1.MsgRetire{
			Quantity: uint64(1 + rnd.Intn(3)), Beneficiary: "load beneficiary " + signer,
			Use: w.Use, Details: fmt.Sprintf("e2e load #%d", seq), FiscalYear: 2025,
		}}
	}
	if retire {
		return []proto.Message{&creditsv1.MsgRetire{
			Quantity: uint64(1 + rnd.Intn(3)), Beneficiary: "load beneficiary " + signer,
			Use: creditsv1.Use_USE_CARBON_OFFSET, Details: fmt.Sprintf("e2e load #%d", seq), FiscalYear: 2025,
			OffsetTarget: &creditsv1.OffsetTarget{Kind: creditsv1.OffsetKind_OFFSET_KIND_EVENT, Name: "e2e load event",
				Location: &creditsv1.Location{PrefectureCode: "13"}},
		}}
	}
	to := signer
	for to == signer {
		to = w.Holders[rnd.Intn(len(w.Holders))]
	}
	return []proto.Message{&creditsv1.MsgTransfer{Recipient: w.addr(to), Quantity: uint64(1 + rnd.Intn(5))}}
}

func (w Credits) addr(name string) string { return w.addrs[name] }

// Address is holder name's address (after Bind).
func (w Credits) Address(name string) string { return w.addrs[name] }

// Bind records the holders' addresses from the network's keys; call it
// before starting the load.
func (w Credits) Bind(n *Network) {
	for _, h := range w.Holders {
		w.addrs[h] = crypto.PubkeyToAddress(n.Keys[h].PublicKey).Hex()
	}
}

// Verify checks conservation and every holder's balance on nd.
func (w Credits) Verify(ctx context.Context, nd *Node, ok []*TrackedTx) error {
	// The ledger the committed transactions imply.
	type bal struct{ active, retired uint64 }
	want := map[string]*bal{}
	for _, h := range w.Holders {
		want[w.addr(h)] = &bal{active: w.PerHolder * uint64(len(creditBatches))}
	}
	for _, t := range ok {
		from := want[w.addr(t.Signer)]
		for _, m := range t.Msgs {
			if c, isCancel := m.(*creditsv1.MsgCancel); isCancel {
				for _, str := range c.Serials {
					s, err := creditstypes.ParseSerial(str)
					if err != nil {
						return fmt.Errorf("tx %s cancelled %q: %w", t.Hash, str, err)
					}
					want[w.addr(w.Reserve)].active -= s.Quantity()
				}
				continue
			}
			switch m := m.(type) {
			case *creditsv1.MsgTransfer:
				from.active -= m.Quantity
				want[m.Recipient].active += m.Quantity
			case *creditsv1.MsgRetire:
				from.active -= m.Quantity
				from.retired += m.Quantity
			}
		}
	}

	supply := map[string]*creditsv1.Batch{}
	batchReq := &creditsv1.QueryBatchesRequest{Page: &queryv1.PageRequest{Limit: module.MaxPageLimit}}
	for {
		var page creditsv1.QueryBatchesResponse
		if err := ask(ctx, nd, "/credits/Batches", batchReq, &page); err != nil {
			return err
		}
		for _, b := range page.Batches {
			if b.Issued != b.Active+b.Locked+b.Retired+b.Cancelled {
				return fmt.Errorf("%s: batch %s: issued %d != active %d + locked %d + retired %d + cancelled %d", nd.Name, b.Id, b.Issued, b.Active, b.Locked, b.Retired, b.Cancelled)
			}
			supply[b.Id] = b
		}
		if batchReq.Page.Cursor = page.Page.GetNextCursor(); batchReq.Page.Cursor == "" {
			break
		}
	}
	ranges := map[string][]*creditsv1.Holding{}
	sums := map[string]*creditsv1.Batch{}
	for _, h := range w.Holders {
		var active, retired uint64
		req := &creditsv1.QueryHoldingsRequest{Account: w.addr(h), Page: &queryv1.PageRequest{Limit: module.MaxPageLimit}}
		for {
			var ans creditsv1.QueryHoldingsResponse
			if err := ask(ctx, nd, "/credits/Holdings", req, &ans); err != nil {
				return err
			}
			if ans.AccountNumber == 0 || len(ans.Accounts) != 1 || ans.Accounts[0].Address != w.addr(h) {
				return fmt.Errorf("%s: holdings of %s name account %d as %v", nd.Name, h, ans.AccountNumber, ans.Accounts)
			}
			for _, r := range ans.Holdings {
				ranges[r.BatchId] = append(ranges[r.BatchId], r)
				s := sums[r.BatchId]
				if s == nil {
					s = &creditsv1.Batch{}
					sums[r.BatchId] = s
				}
				switch r.Status {
				case creditsv1.RangeStatus_RANGE_STATUS_ACTIVE:
					active += r.Quantity
					s.Active += r.Quantity
				case creditsv1.RangeStatus_RANGE_STATUS_RETIRED:
					retired += r.Quantity
					s.Retired += r.Quantity
				case creditsv1.RangeStatus_RANGE_STATUS_CANCELLED:
					s.Cancelled += r.Quantity
				}
			}
			if req.Page.Cursor = ans.Page.GetNextCursor(); req.Page.Cursor == "" {
				break
			}
		}
		if wb := want[w.addr(h)]; active != wb.active || retired != wb.retired {
			return fmt.Errorf("%s: %s holds %d active and %d retired; the committed transactions imply %d and %d",
				nd.Name, h, active, retired, wb.active, wb.retired)
		}
	}
	mine := map[string]bool{}
	for i := range creditBatches {
		mine[creditstypes.BatchID(uint64(i+1))] = true
	}
	for id, b := range supply {
		if !mine[id] {
			continue // issued on chain to others: conservation checked above
		}
		s := sums[id]
		if s == nil || s.Active != b.Active || s.Retired != b.Retired || s.Cancelled != b.Cancelled || b.Locked != 0 {
			return fmt.Errorf("%s: batch %s: counters %d/%d/%d but the holders' ranges sum to %v", nd.Name, id, b.Active, b.Retired, b.Cancelled, s)
		}
		rs := ranges[id]
		sort.Slice(rs, func(i, j int) bool { return rs[i].Start < rs[j].Start })
		next := uint64(1)
		for _, r := range rs {
			if r.Start != next || r.End < r.Start {
				return fmt.Errorf("%s: batch %s: range %d-%d where serial %d was expected (overlap or gap)", nd.Name, id, r.Start, r.End, next)
			}
			next = r.End + 1
		}
		if next != b.Issued+1 {
			return fmt.Errorf("%s: batch %s: ranges end at %d, issued %d", nd.Name, id, next-1, b.Issued)
		}
	}
	return nil
}

// ask runs the module query path with req on nd and decodes the answer
// into resp.
func ask(ctx context.Context, nd *Node, path string, req, resp proto.Message) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	data, err := module.MarshalJSON(req)
	if err != nil {
		return err
	}
	res, err := nd.Client().ABCIQuery(ctx, path, data)
	if err != nil {
		return fmt.Errorf("%s: query %s: %w", nd.Name, path, err)
	}
	if res.Response.Code != 0 {
		return fmt.Errorf("%s: query %s: %s", nd.Name, path, res.Response.Log)
	}
	return module.UnmarshalJSON(res.Response.Value, resp)
}

// Mixed runs Credits for the holders' transactions and OpenAccounts for
// every other signer (accounts with the secretariat role), and checks both.
//
// Signers named in Cancellers (ministries) cancel the Credits.Reserve's
// credits instead.
type Mixed struct {
	Credits    Credits
	Cancellers []string
}

func (m Mixed) isHolder(signer string) bool {
	for _, h := range m.Credits.Holders {
		if h == signer {
			return true
		}
	}
	return false
}

// Msgs picks the workload by signer.
func (m Mixed) Msgs(signer string, seq int, rnd *rand.Rand) []proto.Message {
	if m.isHolder(signer) {
		return m.Credits.Msgs(signer, seq, rnd)
	}
	for _, c := range m.Cancellers {
		if c == signer {
			return m.Credits.CancelMsgs(signer, seq)
		}
	}
	return OpenAccounts{}.Msgs(signer, seq, rnd)
}

// Verify runs both workloads' checks.
func (m Mixed) Verify(ctx context.Context, nd *Node, ok []*TrackedTx) error {
	if err := m.Credits.Verify(ctx, nd, ok); err != nil {
		return err
	}
	return OpenAccounts{}.Verify(ctx, nd, ok)
}
