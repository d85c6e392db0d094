package credits

// BenchmarkKeyRotation (issue 10, "what must hold"): a key rotation costs
// the same whether the account holds 10, 10^3 or 10^5 ranges (half of them
// retired), since state is keyed by the account's stable number and a
// rotation changes the address -> number mapping only. `make bench` prints
// the 10^5 / 10 and 10^3 / 10 ratios of the same run.

import (
	"crypto/ecdsa"
	"fmt"
	"os"
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
	dir, err := os.MkdirTemp("", "credits-rotation-bench")
	if err != nil {
		b.Fatal(err)
	}
	tree, err := appstore.OpenDir("state", dir)
	if err != nil {
		b.Fatal(err)
	}
	acc := accounts.NewKeeper()
	e := &benchEnv{tree: tree, k: NewKeeper(acc), alice: benchAddr(-1), bob: benchAddr(-2),
		cleanup: func() { tree.Close(); os.RemoveAll(dir) }}
	for i := -2; i < 0; i++ {
		acc.CreateAccount(tree, &accountsv1.Account{Address: benchAddr(i).Hex(), LegalName: "x", Country: "JP",
			EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER},
			Status: accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE})
	}
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

func BenchmarkKeyRotation(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"ranges=10", 10}, {"ranges=1e3", 1_000}, {"ranges=1e5", 100_000}} {
		b.Run(size.name, func(b *testing.B) {
			b.StopTimer()
			e := newRotationEnv(b, size.n)
			acc := accounts.NewKeeper()
			// Each rotation moves alice to a fresh key (a rotated-away
			// address is never reused); keys and proofs are made outside
			// the timer.
			// One untimed rotation first warms the tree's node cache.
			keys := make([]*ecdsa.PrivateKey, b.N+1)
			msgs := make([]*accountsv1.MsgRotateKey, b.N+1)
			from := e.alice
			for i := range keys {
				rotations++
				k, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprint("rotation-bench", rotations))))
				if err != nil {
					b.Fatal(err)
				}
				keys[i] = k
				sig, err := accounts.SignRotation("bench", from, k)
				if err != nil {
					b.Fatal(err)
				}
				to := crypto.PubkeyToAddress(k.PublicKey)
				msgs[i] = &accountsv1.MsgRotateKey{NewAddress: to.Hex(), NewKeySignature: sig}
				from = to
			}
			signer := e.alice
			// Each rotation is a transaction over the tree; every 100 the
			// tree commits, as blocks would, outside the timer: a commit's
			// fsync on the shared machine would drown the rotation's own
			// work, and what it writes is what the rotation wrote.
			rotate := func(m *accountsv1.MsgRotateKey) {
				e.height++
				tx := appstore.NewCache(e.tree)
				ctx := module.NewContext(tx, "bench", e.height, benchTime)
				ctx.Signer = signer
				ctx.Account, _ = acc.AccountNumber(tx, signer)
				if err := acc.RotateKey(ctx, m); err != nil {
					b.Fatal(err)
				}
				tx.Write()
				if e.height%100 == 0 {
					b.StopTimer()
					if _, _, err := e.tree.Commit(); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				signer = common.HexToAddress(m.NewAddress)
			}
			rotate(msgs[0])
			b.StartTimer()
			for i := 1; i <= b.N; i++ {
				rotate(msgs[i])
			}
			e.alice = signer
		})
	}
}
