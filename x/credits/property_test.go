package credits_test

import (
	"fmt"
	"math/rand"
	"sort"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The property test drives random issue / transfer / retire / cancel /
// lock / settle / release sequences, with lock expiry at the end of every
// step (as EndBlock), (and the odd key rotation) over many accounts through the real
// handlers (validation and execution, each operation in its own write
// buffer, as in a transaction) and keeps a model with one entry per serial. After every operation the
// state must satisfy CheckInvariants (per batch issued = active + locked +
// retired + cancelled, ranges tile the batch without overlap, indexes consistent);
// regularly, every serial of every batch is looked up and must be where
// the model says, with the model's status and retirement record. Each
// operation must succeed exactly when the model says it can.
//
// The scheme's rules are part of the model, written here independently
// of x/credits (publishedTable, below): batches are issued with random
// categories, scheme symbols, labels and places of origin, ministries add
// and remove labels, and retirements name random sets of uses, fiscal
// years, CORSIA phases and offset targets. A retirement succeeds exactly
// when every use accepts every credit it takes, by the published table, as
// the labels stand — so no sequence of operations retires a credit for a
// use its batch's category, labels or identifiers do not allow.

type mCredit struct {
	owner  string
	status creditsv1.RangeStatus
	retID  string
	lock   string // the open lock holding it (status LOCKED)
}

// mLock is an open settlement lock of the model.
type mLock struct {
	id      string
	holder  string
	expires int64
	mb      *mBatch
	i, j    int
	to      string // a two-step transfer's recipient ("": a settlement lock)
}

type mBatch struct {
	b       *creditsv1.Batch // as issued
	labels  []*creditsv1.Label
	credits []mCredit // index i is serial i+1
}

type model struct {
	batches []*mBatch
	retired uint64   // retirements so far
	locks   []*mLock // open locks, in id order
	nlocks  int      // locks so far
}

// unlock closes open lock l in the model: its credits become active,
// owned by owner.
func (m *model) unlock(l *mLock, owner string) {
	for k := l.i; k <= l.j; k++ {
		l.mb.credits[k] = mCredit{owner: owner, status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE}
	}
	for x, o := range m.locks {
		if o == l {
			m.locks = append(m.locks[:x], m.locks[x+1:]...)
			return
		}
	}
}

// candidates lists owner's active credits in the order a selection by
// quantity takes them: oldest vintage, then batch, then serial.
func (m *model) candidates(owner string, f *creditsv1.Filter, ok func(*creditsv1.Batch) bool) [][2]int {
	bs := append([]*mBatch(nil), m.batches...)
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].b.VintageStart < bs[j].b.VintageStart })
	var out [][2]int
	for _, mb := range bs {
		b := mb.b
		if f.GetBatchId() != "" && f.GetBatchId() != b.Id || f.GetCategory() != 0 && f.GetCategory() != b.Category ||
			f.GetVintageYear() != 0 && fmt.Sprint(f.GetVintageYear()) != b.VintageStart[:4] || !ok(b) {
			continue
		}
		for i, c := range mb.credits {
			if c.owner == owner && c.status == creditsv1.RangeStatus_RANGE_STATUS_ACTIVE {
				out = append(out, [2]int{int(b.Number) - 1, i})
			}
		}
	}
	return out
}

func TestPropertyRandomOperationsKeepTheInvariants(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { runProperty(t, seed, 300) })
	}
}

func runProperty(t *testing.T, seed int64, steps int) {
	names := []string{"h0", "h1", "h2", "h3", "h4", "h5", "h6", "h7"}
	e := newKeeperEnv(t, names...)
	// One suspended account, which may never receive credits.
	e.acc.CreateAccount(e.cache, &accountsv1.Account{Address: apptest.Addr("sleepy").Hex(), LegalName: "sleepy",
		EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP", Status: accountsv1.AccountStatus_ACCOUNT_STATUS_SUSPENDED})
	// The settlement agent of every lock.
	e.acc.CreateAccount(e.cache, &accountsv1.Account{Address: apptest.Addr("agent").Hex(), LegalName: "agent",
		EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP", Roles: []accountsv1.Role{accountsv1.Role_ROLE_SETTLEMENT}, Status: accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE})
	// Every holder is a GX-ETS operator with emissions large enough that
	// its cap never binds here (the cap: msg_retire_gx_test.go).
	for _, n := range names {
		for fy := uint32(credits.MinFiscalYear); fy <= 2030; fy++ {
			if err := e.acc.SetGxOperator(e.as("meti"), &accountsv1.MsgSetGxOperator{Address: apptest.Addr(n).Hex(),
				CorporateNumber: corporateNumber("180301018771"), FiscalYear: fy, VerifiedTCo2: 1_000_000_000, DocumentHash: reportHash}); err != nil {
				t.Fatal(err)
			}
		}
	}
	router := module.NewRouter()
	e.cred.RegisterMsgs(router)
	rng := rand.New(rand.NewSource(seed))
	m := &model{}
	height := int64(1)

	// exec runs one operation as a transaction: validate, handle, and keep
	// the writes only on success.
	exec := func(signer string, msg proto.Message) error {
		rt, ok := router.Route(msg.ProtoReflect().Descriptor().FullName())
		if !ok {
			t.Fatalf("no route for %T", msg)
		}
		if err := rt.Validate(msg); err != nil {
			return err
		}
		tx := store.NewCache(e.cache)
		ctx := e.ctx.WithStore(tx)
		ctx.Signer, ctx.Account, ctx.Height, ctx.TxHash = apptest.Addr(signer), e.num(signer), height, []byte{byte(height)}
		if err := rt.Handle(ctx, msg); err != nil {
			return err
		}
		tx.Write()
		return nil
	}
	cats := []creditsv1.Category{1, 2, 3, 5, 7}
	prefs := []string{"01", "13", "26"}
	pickName := func() string { return names[rng.Intn(len(names))] }
	randomFilter := func() *creditsv1.Filter {
		switch rng.Intn(5) {
		case 0:
			if len(m.batches) > 0 {
				return &creditsv1.Filter{BatchId: m.batches[rng.Intn(len(m.batches))].b.Id}
			}
		case 1:
			return &creditsv1.Filter{Category: cats[rng.Intn(len(cats))]}
		case 2:
			return &creditsv1.Filter{VintageYear: uint32(2018 + rng.Intn(6))}
		}
		return nil
	}
	randomBlock := func() (*mBatch, int, int) {
		mb := m.batches[rng.Intn(len(m.batches))]
		i := rng.Intn(len(mb.credits))
		j := i + rng.Intn(min(len(mb.credits)-i, 40))
		return mb, i, j
	}
	serialOf := func(mb *mBatch, i, j int) string {
		return creditstypes.FormatSerial(creditstypes.Serial{Batch: mb.b.Number, Category: mb.b.Category, VintageYear: vintageYearOf(mb.b), Start: uint64(i + 1), End: uint64(j + 1)})
	}
	heldBy := func(mb *mBatch, i, j int, owner string) bool {
		for k := i; k <= j; k++ {
			c := mb.credits[k]
			if c.status != creditsv1.RangeStatus_RANGE_STATUS_ACTIVE || owner != "" && c.owner != owner {
				return false
			}
		}
		return true
	}
	check := func(step int, what string, err error, want bool) {
		if (err == nil) != want {
			t.Fatalf("seed %d step %d %s: got %v, model expected success=%v", seed, step, what, err, want)
		}
	}
	counts := map[string]int{}

	for step := 0; step < steps; step++ {
		height++
		op := rng.Intn(10)
		if len(m.batches) == 0 || op == 0 {
			op = -1
		}
		if rng.Intn(40) == 0 {
			op = -2
		}
		switch {
		case op == -2: // key rotation: the account's key changes, its number (and so its credits) does not
			i := rng.Intn(len(names))
			from, to := names[i], fmt.Sprintf("%s-%d", names[i], step)
			e.rotate(from, to)
			for _, mb := range m.batches {
				for k := range mb.credits {
					if mb.credits[k].owner == from {
						mb.credits[k].owner = to
					}
				}
			}
			for _, l := range m.locks {
				if l.holder == from {
					l.holder = to
				}
			}
			names[i] = to
			counts["rotate"]++
		case op == -1: // issue
			req := &creditsv1.IssuanceRequest{
				ProjectId: "P-1", ReportId: fmt.Sprint("R-", step), Methodology: "EN-S-001",
				Category: cats[rng.Intn(len(cats))], VintageStart: fmt.Sprintf("%d-04-01", 2018+rng.Intn(6)),
				SchemeSymbol: []string{"JC", "JCL"}[rng.Intn(2)],
				Origin:       &creditsv1.Location{PrefectureCode: prefs[rng.Intn(len(prefs))]},
			}
			if rng.Intn(2) == 0 {
				req.Labels = append(req.Labels, randomCorsia(rng))
			}
			req.VintageEnd = req.VintageStart[:4] + "-12-31"
			perm := rng.Perm(len(names))
			for k := 0; k <= rng.Intn(3); k++ {
				req.Allocations = append(req.Allocations, &creditsv1.Allocation{Account: e.num(names[perm[k]]), Quantity: uint64(1 + rng.Intn(120))})
			}
			tx := store.NewCache(e.cache)
			ctx := e.ctx.WithStore(tx)
			id, err := e.cred.IssueBatch(ctx, req)
			check(step, "issue", err, true)
			tx.Write()
			b, err := e.cred.GetBatch(e.cache, id)
			if err != nil {
				t.Fatal(err)
			}
			mb := &mBatch{b: b}
			for _, l := range req.Labels {
				mb.labels = modelSetLabel(mb.labels, l, false)
			}
			for k, a := range req.Allocations {
				for q := uint64(0); q < a.Quantity; q++ {
					mb.credits = append(mb.credits, mCredit{owner: names[perm[k]], status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE})
				}
			}
			m.batches = append(m.batches, mb)
			counts["issue"]++
		case op <= 3: // transfer by quantity
			from, to := pickName(), pickName()
			if rng.Intn(20) == 0 {
				to = "sleepy"
			}
			qty, f := uint64(1+rng.Intn(150)), randomFilter()
			cands := m.candidates(from, f, func(*creditsv1.Batch) bool { return true })
			want := from != to && to != "sleepy" && uint64(len(cands)) >= qty
			err := exec(from, &creditsv1.MsgTransfer{Recipient: apptest.Addr(to).Hex(), Quantity: qty, Filter: f})
			check(step, fmt.Sprintf("transfer %d %s->%s %v", qty, from, to, f), err, want)
			if want {
				for _, c := range cands[:qty] {
					m.batches[c[0]].credits[c[1]].owner = to
				}
				counts["transfer-qty"]++
			}
		case op <= 5: // transfer by serials
			mb, i, j := randomBlock()
			from := mb.credits[i].owner
			if rng.Intn(4) == 0 {
				from = pickName()
			}
			to := pickName()
			want := from != to && heldBy(mb, i, j, from)
			err := exec(from, &creditsv1.MsgTransfer{Recipient: apptest.Addr(to).Hex(), Serials: []string{serialOf(mb, i, j)}})
			check(step, "transfer "+serialOf(mb, i, j)+" "+from+"->"+to, err, want)
			if want {
				for k := i; k <= j; k++ {
					mb.credits[k].owner = to
				}
				counts["transfer-serials"]++
			}
		case op == 6 && rng.Intn(2) == 0: // a ministry adds or removes a label
			mb := m.batches[rng.Intn(len(m.batches))]
			label := randomCorsia(rng)
			if rng.Intn(3) == 0 {
				label = &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_ICVCM_CCP}
			}
			has := modelHasLabel(mb.labels, label)
			remove := rng.Intn(2) == 0
			signer := "meti"
			if rng.Intn(8) == 0 {
				signer = pickName()
			}
			err := exec(signer, &creditsv1.MsgSetBatchLabel{BatchId: mb.b.Id, Label: label, Remove: remove, Reason: "review"})
			check(step, fmt.Sprintf("label %v remove=%v on %s", label, remove, mb.b.Id), err, signer == "meti" && has == remove)
			if err == nil {
				mb.labels = modelSetLabel(mb.labels, label, remove)
				counts["label"]++
			}
		case op <= 7: // retire, by quantity or serials, for one or two uses
			r := randomRetirement(rng, prefs)
			msg := r.msg
			var take [][2]int
			var from string
			ok := func(b *mBatch) bool { return r.accepts(b) }
			if rng.Intn(2) == 0 {
				from = pickName()
				msg.Quantity, msg.Filter = uint64(1+rng.Intn(100)), randomFilter()
				cands := m.candidates(from, msg.Filter, func(b *creditsv1.Batch) bool { return ok(m.batches[b.Number-1]) })
				if r.valid() && uint64(len(cands)) >= msg.Quantity {
					take = cands[:msg.Quantity]
				}
			} else {
				mb, i, j := randomBlock()
				from = mb.credits[i].owner
				msg.Serials = []string{serialOf(mb, i, j)}
				if r.valid() && heldBy(mb, i, j, from) && ok(mb) {
					n := int(mb.b.Number) - 1
					for k := i; k <= j; k++ {
						take = append(take, [2]int{n, k})
					}
				}
			}
			want := take != nil && r.yearAllowed(m, take)
			err := exec(from, msg)
			check(step, fmt.Sprintf("retire %s %d %v %v fy%d %v", from, msg.Quantity, msg.Serials, r.uses, msg.FiscalYear, msg.OffsetTarget), err, want)
			if want {
				m.retired++
				for _, c := range take {
					cr := &m.batches[c[0]].credits[c[1]]
					cr.status, cr.retID = creditsv1.RangeStatus_RANGE_STATUS_RETIRED, fmt.Sprintf("JCR-%08d", m.retired)
				}
				counts["retire"]++
				counts[fmt.Sprint(r.uses)]++
			} else {
				counts["retire refused"]++
			}
		case op >= 8 && rng.Intn(3) == 0: // lock serials for the agent
			mb, i, j := randomBlock()
			from := mb.credits[i].owner
			expires := height + 1 + int64(rng.Intn(30))
			want := heldBy(mb, i, j, from)
			to := "" // or a two-step transfer to a recipient (a lock too)
			var err error
			if rng.Intn(2) == 0 {
				to = pickName()
				want = want && to != from
				err = exec(from, &creditsv1.MsgOfferTransfer{Serials: []string{serialOf(mb, i, j)}, Recipient: apptest.Addr(to).Hex(), ExpiresHeight: expires})
				check(step, "offer "+serialOf(mb, i, j)+" by "+from+" to "+to, err, want)
			} else {
				err = exec(from, &creditsv1.MsgLock{Serials: []string{serialOf(mb, i, j)}, Agent: apptest.Addr("agent").Hex(), ExpiresHeight: expires})
				check(step, "lock "+serialOf(mb, i, j)+" by "+from, err, want)
			}
			if want {
				m.nlocks++
				l := &mLock{id: fmt.Sprintf("LK-%08d", m.nlocks), holder: from, expires: expires, mb: mb, i: i, j: j, to: to}
				for k := i; k <= j; k++ {
					mb.credits[k].status, mb.credits[k].lock = creditsv1.RangeStatus_RANGE_STATUS_LOCKED, l.id
				}
				m.locks = append(m.locks, l)
				counts["lock"]++
			}
		case op >= 8 && len(m.locks) > 0 && rng.Intn(2) == 0: // the agent (or an impostor) settles or releases
			l := m.locks[rng.Intn(len(m.locks))]
			if l.to != "" { // a two-step transfer: its recipient accepts, its sender cancels
				if rng.Intn(2) == 0 {
					signer := l.to
					if rng.Intn(4) == 0 {
						signer = pickName()
					}
					err := exec(signer, &creditsv1.MsgAcceptTransfer{LockId: l.id})
					check(step, "accept "+l.id+" by "+signer, err, signer == l.to)
					if err == nil {
						m.unlock(l, l.to)
						counts["accept"]++
					}
				} else {
					signer := l.holder
					if rng.Intn(4) == 0 {
						signer = pickName()
					}
					err := exec(signer, &creditsv1.MsgCancelTransfer{LockId: l.id})
					check(step, "cancel transfer "+l.id+" by "+signer, err, signer == l.holder)
					if err == nil {
						m.unlock(l, l.holder)
						counts["cancel transfer"]++
					}
				}
				break
			}
			signer := "agent"
			if rng.Intn(6) == 0 {
				signer = pickName()
			}
			if rng.Intn(2) == 0 {
				buyer := pickName()
				want := signer == "agent" && buyer != l.holder
				err := exec(signer, &creditsv1.MsgSettle{LockId: l.id, Buyer: apptest.Addr(buyer).Hex()})
				check(step, "settle "+l.id+" by "+signer+" to "+buyer, err, want)
				if want {
					m.unlock(l, buyer)
					counts["settle"]++
				}
			} else {
				err := exec(signer, &creditsv1.MsgRelease{LockId: l.id})
				check(step, "release "+l.id+" by "+signer, err, signer == "agent")
				if err == nil {
					m.unlock(l, l.holder)
					counts["release"]++
				}
			}
		default: // cancel (locked credits too: their locks end)
			mb, i, j := randomBlock()
			signer := "meti"
			if rng.Intn(8) == 0 {
				signer = pickName()
			}
			want := signer == "meti"
			for k := i; k <= j; k++ {
				st := mb.credits[k].status
				want = want && (st == creditsv1.RangeStatus_RANGE_STATUS_ACTIVE || st == creditsv1.RangeStatus_RANGE_STATUS_LOCKED)
			}
			err := exec(signer, &creditsv1.MsgCancel{Serials: []string{serialOf(mb, i, j)}, Reason: "audit"})
			check(step, "cancel "+serialOf(mb, i, j)+" by "+signer, err, want)
			if want {
				for k := i; k <= j; k++ {
					if id := mb.credits[k].lock; id != "" {
						for _, l := range m.locks {
							if l.id == id {
								m.unlock(l, l.holder)
								counts["lock cancelled"]++
								break
							}
						}
					}
				}
				for k := i; k <= j; k++ {
					mb.credits[k].status = creditsv1.RangeStatus_RANGE_STATUS_CANCELLED
				}
				counts["cancel"]++
			}
		}
		// The end of the block: due locks expire, oldest expiry first, at
		// most MaxExpiriesPerBlock of them.
		{
			tx := store.NewCache(e.cache)
			ctx := e.ctx.WithStore(tx)
			ctx.Height = height
			if _, err := e.cred.EndBlock(ctx); err != nil {
				t.Fatalf("seed %d step %d: end block: %v", seed, step, err)
			}
			tx.Write()
			due := []*mLock{}
			for _, l := range m.locks {
				if l.expires <= height {
					due = append(due, l)
				}
			}
			sort.SliceStable(due, func(a, b int) bool { return due[a].expires < due[b].expires })
			for x, l := range due {
				if x < credits.MaxExpiriesPerBlock {
					m.unlock(l, l.holder)
					counts["expire"]++
				}
			}
		}
		if err := credits.CheckInvariants(e.cache); err != nil {
			t.Fatalf("seed %d step %d: %v", seed, step, err)
		}
		if step%25 == 24 || step == steps-1 {
			compareAll(t, e, m)
			e.cache.Write()
			if _, _, err := e.tree.Commit(); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Logf("seed %d: %v", seed, counts)
}

// compareAll looks up every serial of every batch and checks it against
// the model.
func compareAll(t *testing.T, e *keeperEnv, m *model) {
	t.Helper()
	for _, mb := range m.batches {
		b := mb.b
		for i, want := range mb.credits {
			s := creditstypes.Serial{Batch: b.Number, Category: b.Category, VintageYear: vintageYearOf(b), Start: uint64(i + 1), End: uint64(i + 1)}
			r, _, _, err := credits.FindRange(e.cache, s)
			if err != nil {
				t.Fatalf("lookup %s: %v", s, err)
			}
			if r.OwnerAccount != e.num(want.owner) || r.OwnerAccount == 0 || r.Status != want.status || r.RetirementId != want.retID || r.LockId != want.lock {
				t.Fatalf("%s: state has account %d %s %q %q, model %s (account %d) %s %q %q", s, r.OwnerAccount, r.Status, r.RetirementId, r.LockId, want.owner, e.num(want.owner), want.status, want.retID, want.lock)
			}
		}
	}
}

func vintageYearOf(b *creditsv1.Batch) uint32 {
	var y uint32
	fmt.Sscanf(b.VintageStart[:4], "%d", &y)
	return y
}
