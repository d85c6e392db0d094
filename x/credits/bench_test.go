package credits

// Benchmarks for the performance targets of issue 5 (run them with
//
//	go test ./x/credits -run '^$' -bench . -benchtime 2000x
//
// ): issuing 10 and 10^9 credits costs the same; transfer and retirement
// at 10^3 and 10^6 ranges in state grow at most logarithmically; serial
// lookup at 10^6 ranges. The state is a real IAVL tree over pebble in a
// temporary directory, as in a node.

import (
	"crypto/ecdsa"
	"fmt"
	"math/rand"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	appstore "github.com/jcredit/jcredit/app/store"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// benchEnv is a committed state with n ranges in batch 1 (held round-robin
// by 1000 accounts, so no two neighbours merge) and one huge range of
// batch 2 held by alice, from which the operations draw.
type benchEnv struct {
	tree         *appstore.Tree
	k            *Keeper
	alice, bob   common.Address
	batch1       *creditsv1.Batch
	height       int64
	cleanup      func()
	rangesInTree int
}

// benchAddr is the address of the i-th benchmark account (memoised: deriving
// a key costs more than the operations measured).
func benchAddr(i int) common.Address {
	if a, ok := benchAddrs[i]; ok {
		return a
	}
	a := crypto.PubkeyToAddress(mustKey(crypto.Keccak256([]byte(fmt.Sprint("bench", i)))).PublicKey)
	benchAddrs[i] = a
	return a
}

var benchAddrs = map[int]common.Address{}

// benchNum is the account number of benchAddr(i): the accounts are created
// in order from i = -2.
func benchNum(i int) uint64 { return uint64(i + 3) }

func mustKey(b []byte) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(b)
	if err != nil {
		panic(err)
	}
	return k
}

// newBenchTree returns an empty committed-state tree in a new temporary
// directory (e.cleanup closes and removes it) holding accounts
// benchAddr(-2) (bob), benchAddr(-1) (alice) and benchAddr(0) to
// benchAddr(holders-1).
func newBenchTree(tb testing.TB, pattern string, holders int) *benchEnv {
	tb.Helper()
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		tb.Fatal(err)
	}
	tree, err := appstore.OpenDir("state", dir)
	if err != nil {
		os.RemoveAll(dir)
		tb.Fatal(err)
	}
	acc := accounts.NewKeeper()
	e := &benchEnv{tree: tree, k: NewKeeper(acc), alice: benchAddr(-1), bob: benchAddr(-2),
		cleanup: func() { tree.Close(); os.RemoveAll(dir) }}
	for i := -2; i < holders; i++ {
		acc.CreateAccount(tree, &accountsv1.Account{Address: benchAddr(i).Hex(), LegalName: "x", Country: "JP",
			EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER},
			Status: accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE})
	}
	return e
}

func newBenchEnv(b *testing.B, n int) *benchEnv {
	b.Helper()
	holders := 1000
	e := newBenchTree(b, "credits-bench", holders)
	tree := e.tree
	st := store(tree)
	putUseTable(st, DefaultUseTable(), true) // what InitGenesis writes
	e.batch1 = &creditsv1.Batch{Id: types.BatchID(1), Number: 1, ProjectId: "P", ReportId: "R1", Methodology: "EN-S-001",
		Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageStart: "2020-04-01", VintageEnd: "2021-03-31",
		Issued: uint64(2 * n), Active: uint64(2 * n)}
	for i := 0; i < n; i++ {
		putRange(st, e.batch1, &creditsv1.Range{BatchId: e.batch1.Id, Start: uint64(2*i + 1), End: uint64(2*i + 2),
			OwnerAccount: benchNum(i % holders), Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE})
	}
	setBatch(st, e.batch1)
	b2 := &creditsv1.Batch{Id: types.BatchID(2), Number: 2, ProjectId: "P", ReportId: "R2", Methodology: "EN-S-001",
		Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageStart: "2019-04-01", VintageEnd: "2020-03-31",
		Issued: 1 << 40, Active: 1 << 40}
	putRange(st, b2, &creditsv1.Range{BatchId: b2.Id, Start: 1, End: 1 << 40, OwnerAccount: benchNum(-1), Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE})
	setBatch(st, b2)
	st.Set(types.SeqKey(types.SeqBatch), module.Uint64(2))
	if _, _, err := tree.Commit(); err != nil {
		b.Fatal(err)
	}
	e.rangesInTree = n + 1
	return e
}

// cpuPerOp starts counting the process's CPU time (user + system: GC and
// pebble's background work included) and returns the function that
// reports it per operation as cpu-ns/op, which a loaded machine disturbs
// far less than wall time.
func cpuPerOp(b *testing.B) func() {
	var ru0 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	return func() {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		cpu := ru.Utime.Nano() + ru.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano()
		b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
	}
}

var benchTime = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

// run executes one operation as a transaction over the tree and commits
// every 100 operations, as blocks would.
func (e *benchEnv) run(tb testing.TB, signer common.Address, f func(ctx module.Context) error) {
	e.runOver(tb, e.tree, signer, f)
}

// runOver is run with the transaction's write buffer over under, which
// reads and writes the tree (a readCounter over it, say).
func (e *benchEnv) runOver(tb testing.TB, under module.KVStore, signer common.Address, f func(ctx module.Context) error) {
	e.height++
	tx := appstore.NewCache(under)
	ctx := module.NewContext(tx, "bench", e.height, benchTime)
	ctx.Signer, ctx.TxHash = signer, module.Uint64(uint64(e.height))
	ctx.Account, _ = accounts.NewKeeper().AccountNumber(tx, signer)
	if err := f(ctx); err != nil {
		tb.Fatal(err)
	}
	tx.Write()
	if e.height%100 == 0 {
		if _, _, err := e.tree.Commit(); err != nil {
			tb.Fatal(err)
		}
	}
}

var benchSizes = []struct {
	name string
	n    int
}{{"ranges=1e3", 1_000}, {"ranges=1e6", 1_000_000}}

// envs are built once per size and shared by the benchmarks of a run.
var envs = map[int]*benchEnv{}

func envFor(b *testing.B, n int) *benchEnv {
	if e, ok := envs[n]; ok {
		return e
	}
	b.StopTimer()
	e := newBenchEnv(b, n)
	b.StartTimer()
	envs[n] = e
	return e
}

// reports numbers the monitoring reports of the issuance benchmarks.
var reports int

func benchIssue(b *testing.B, qty uint64) {
	e := envFor(b, 1_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		reports++
		e.run(b, common.Address{}, func(ctx module.Context) error {
			_, err := e.k.IssueBatch(ctx, &creditsv1.IssuanceRequest{
				ProjectId: "P", ReportId: fmt.Sprint("issue-", reports), Methodology: "EN-S-001",
				Category: creditsv1.Category_CATEGORY_FOREST, VintageStart: "2024-04-01", VintageEnd: "2025-03-31",
				Allocations: []*creditsv1.Allocation{{Account: benchNum(-2), Quantity: qty}},
			})
			return err
		})
	}
}

func BenchmarkIssue10(b *testing.B)  { benchIssue(b, 10) }
func BenchmarkIssue1e9(b *testing.B) { benchIssue(b, 1_000_000_000) }

// BenchmarkTransfer moves one credit from alice to bob by quantity, oldest
// first: alice's range shrinks and bob's grows (they merge), so the number
// of ranges stays put while the tree holds 10^3 or 10^6 of them.
func BenchmarkTransfer(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			e := envFor(b, sz.n)
			msg := &creditsv1.MsgTransfer{Recipient: e.bob.Hex(), Quantity: 1}
			b.ResetTimer()
			defer cpuPerOp(b)()
			for i := 0; i < b.N; i++ {
				e.run(b, e.alice, func(ctx module.Context) error { return e.k.Transfer(ctx, msg) })
			}
		})
	}
}

// BenchmarkTransferSerials moves an explicit serial block from the middle
// of batch 1 (one of the 10^3 or 10^6 ranges) and back.
func BenchmarkTransferSerials(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			e := envFor(b, sz.n)
			rng := rand.New(rand.NewSource(1))
			b.ResetTimer()
			defer cpuPerOp(b)()
			for i := 0; i < b.N; i++ {
				j := rng.Intn(sz.n)
				owner := benchAddr(j % 1000)
				s := types.FormatSerial(types.SerialOf(e.batch1, uint64(2*j+1), uint64(2*j+2)))
				e.run(b, owner, func(ctx module.Context) error {
					return e.k.Transfer(ctx, &creditsv1.MsgTransfer{Recipient: e.bob.Hex(), Serials: []string{s}})
				})
				e.run(b, e.bob, func(ctx module.Context) error {
					return e.k.Transfer(ctx, &creditsv1.MsgTransfer{Recipient: owner.Hex(), Serials: []string{s}})
				})
			}
		})
	}
}

// BenchmarkRetire retires one credit by quantity (a new retired range and a
// retirement record each time).
func BenchmarkRetire(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			e := envFor(b, sz.n)
			msg := &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Example K.K.", Use: creditsv1.Use_USE_RE100, FiscalYear: 2025}
			b.ResetTimer()
			defer cpuPerOp(b)()
			for i := 0; i < b.N; i++ {
				e.run(b, e.alice, func(ctx module.Context) error { return e.k.Retire(ctx, msg) })
			}
		})
	}
}

// BenchmarkSerialLookup finds the range holding a random serial of batch 1
// in committed state.
func BenchmarkSerialLookup(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			e := envFor(b, sz.n)
			snap, err := e.tree.At(e.tree.Version())
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewSource(2))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s := types.SerialOf(e.batch1, 1+uint64(rng.Intn(2*sz.n)), 0)
				s.End = s.Start
				if _, _, _, err := FindRange(snap, s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
