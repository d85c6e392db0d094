package credits

// BenchmarkKeyRotation (issue 10, "what must hold"): a key rotation costs
// the same whether the account holds 10, 10^3 or 10^5 ranges (half of them
// retired), since state is keyed by the account's stable number and a
// rotation changes the address -> number mapping only (five writes; see
// TestKeyRotationCostDoesNotGrowWithTheRangesHeld). `make bench` prints the
// 10^5 / 10 and 10^3 / 10 ratios, measured in the same process in turn.

import (
	"fmt"
	"syscall"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	appstore "github.com/jcredit/jcredit/app/store"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// rotationEnvs are built once per size (the benchmark function runs more
// than once per size).
var rotationEnvs = map[int]*benchEnv{}

// newRotationEnv: alice (benchNum(-1)) holds n one-credit ranges of batch
// 1, at every other serial (so that none merges with the next), half of
// them retired.
func newRotationEnv(b *testing.B, n int) *benchEnv {
	b.Helper()
	if e, ok := rotationEnvs[n]; ok {
		return e
	}
	e := newBenchTree(b, "credits-rotation-bench", 0)
	tree := e.tree
	st := store(tree)
	e.batch1 = &creditsv1.Batch{Id: types.BatchID(1), Number: 1, ProjectId: "P", ReportId: "R1", Methodology: "EN-S-001",
		Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageStart: "2020-04-01", VintageEnd: "2021-03-31",
		Issued: uint64(n)}
	for i := 0; i < n; i++ {
		// The serials between hers were never issued: a hole, as a
		// cancelled-and-pruned or differently-owned range would leave.
		r := &creditsv1.Range{BatchId: e.batch1.Id, Start: uint64(2*i + 1), End: uint64(2*i + 1),
			OwnerAccount: benchNum(-1), Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE}
		if i%2 == 1 {
			r.Status = creditsv1.RangeStatus_RANGE_STATUS_RETIRED
			e.batch1.Retired++
		} else {
			e.batch1.Active++
		}
		putRange(st, e.batch1, r)
	}
	setBatch(st, e.batch1)
	st.Set(types.SeqKey(types.SeqBatch), module.Uint64(1))
	if _, _, err := tree.Commit(); err != nil {
		b.Fatal(err)
	}
	e.rangesInTree = n
	rotationEnvs[n] = e
	return e
}

// rotations numbers the keys alice rotates to, across runs.
var rotations int

// rotator rotates alice's key in one environment, a fresh key each time (a
// rotated-away address is never reused).
type rotator struct {
	e      *benchEnv
	acc    *accounts.Keeper
	signer common.Address
	cpu    int64
}

// prepare makes the next rotation's message (key and proof), outside any
// measurement.
func (r *rotator) prepare(b *testing.B) *accountsv1.MsgRotateKey {
	rotations++
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprint("rotation-bench", rotations))))
	if err != nil {
		b.Fatal(err)
	}
	sig, err := accounts.SignRotation("bench", r.signer, k)
	if err != nil {
		b.Fatal(err)
	}
	return &accountsv1.MsgRotateKey{NewAddress: crypto.PubkeyToAddress(k.PublicKey).Hex(), NewKeySignature: sig}
}

// rotate runs m as a transaction over the tree and adds its CPU time to
// r.cpu; every 100 rotations the tree commits, as blocks would, outside
// the measurement (a commit's fsync on a shared machine would drown the
// rotation's own work, and it writes what the rotations wrote).
func (r *rotator) rotate(b *testing.B, m *accountsv1.MsgRotateKey) {
	e := r.e
	e.height++
	cpu0 := cpuTime()
	tx := appstore.NewCache(e.tree)
	ctx := module.NewContext(tx, "bench", e.height, benchTime)
	ctx.Signer = r.signer
	ctx.Account, _ = r.acc.AccountNumber(tx, r.signer)
	if err := r.acc.RotateKey(ctx, m); err != nil {
		b.Fatal(err)
	}
	tx.Write()
	r.cpu += cpuTime() - cpu0
	r.signer = common.HexToAddress(m.NewAddress)
	e.alice = r.signer
	if e.height%100 == 0 {
		if _, _, err := e.tree.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkKeyRotation rotates alice's key in three states — she holds 10,
// 10^3 or 10^5 ranges — in turn (the order shifted every round), so that
// the shared machine's load bursts hit all three alike, and reports each
// one's CPU time per rotation and the ratios to the 10-range one. One
// operation is one rotation in each state.
func BenchmarkKeyRotation(b *testing.B) {
	b.StopTimer()
	sizes := []int{10, 1_000, 100_000}
	rs := make([]*rotator, len(sizes))
	for i, n := range sizes {
		e := newRotationEnv(b, n)
		rs[i] = &rotator{e: e, acc: accounts.NewKeeper(), signer: e.alice}
		rs[i].rotate(b, rs[i].prepare(b)) // warm the tree's node cache
		rs[i].cpu = 0
	}
	for i := 0; i < b.N; i++ {
		for j := range rs {
			r := rs[(i+j)%len(rs)]
			m := r.prepare(b)
			b.StartTimer()
			r.rotate(b, m)
			b.StopTimer()
		}
	}
	per := func(r *rotator) float64 { return float64(r.cpu) / float64(b.N) }
	b.ReportMetric(per(rs[0]), "cpu-ns/rotation@10")
	b.ReportMetric(per(rs[1]), "cpu-ns/rotation@1e3")
	b.ReportMetric(per(rs[2]), "cpu-ns/rotation@1e5")
	b.ReportMetric(per(rs[1])/per(rs[0]), "ratio-1e3/10")
	b.ReportMetric(per(rs[2])/per(rs[0]), "ratio-1e5/10")
}
