package app_test

// Benchmarks of whole blocks through the real app (IAVL over pebble on
// disk, signed transactions, FinalizeBlock + Commit). `make bench` runs them
// beside their baselines; see scripts/bench.sh.

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
)

// benchSupply is the size of the one batch the benchmark chains start with.
const benchSupply = 1_000_000_000

// creditChain starts a chain whose genesis gives alice one batch of supply
// renewable-electricity credits (vintage 2024) and opens holders bob and
// the senders s0..s{senders-1}, each with perSender credits of their own.
func creditChain(tb testing.TB, senders int, perSender uint64) *apptest.Chain {
	tb.Helper()
	ag := &accountsv1.GenesisState{}
	add := func(name string, roles ...accountsv1.Role) {
		ag.Accounts = append(ag.Accounts, &accountsv1.Account{
			Address: apptest.Addr(name).Hex(), LegalName: name, Country: "JP",
			EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Roles: roles,
		})
	}
	for _, a := range apptest.DefaultAccounts() {
		add(a.Name, a.Roles...)
	}
	add("alice", accountsv1.Role_ROLE_HOLDER)
	add("bob", accountsv1.Role_ROLE_HOLDER)
	b := &creditsv1.Batch{
		Id: creditstypes.BatchID(1), Number: 1, ProjectId: "P-1", ReportId: "R-1", Methodology: "EN-S-001",
		Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageStart: "2024-04-01", VintageEnd: "2025-03-31",
	}
	cg := &creditsv1.GenesisState{}
	next := uint64(1)
	give := func(name string, qty uint64) {
		cg.Ranges = append(cg.Ranges, &creditsv1.Range{BatchId: b.Id, Start: next, End: next + qty - 1,
			Owner: apptest.Addr(name).Hex(), Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE})
		next += qty
	}
	give("alice", benchSupply)
	for i := 0; i < senders; i++ {
		name := fmt.Sprintf("s%d", i)
		add(name, accountsv1.Role_ROLE_HOLDER)
		give(name, perSender)
	}
	b.Issued = next - 1
	cg.Batches = append(cg.Batches, b)
	return apptest.New(tb, app.GenesisState{"accounts": jsonOf(tb, ag), "credits": jsonOf(tb, cg)})
}

// largeCreditChain is creditChain(tb, 100, 1_000_000) with a second batch
// split into n single-credit ranges held round-robin by 1,000 holders.
func largeCreditChain(tb testing.TB, n int) *apptest.Chain {
	tb.Helper()
	ag := &accountsv1.GenesisState{}
	add := func(name string, roles ...accountsv1.Role) {
		ag.Accounts = append(ag.Accounts, &accountsv1.Account{
			Address: apptest.Addr(name).Hex(), LegalName: name, Country: "JP",
			EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Roles: roles,
		})
	}
	for _, a := range apptest.DefaultAccounts() {
		add(a.Name, a.Roles...)
	}
	add("alice", accountsv1.Role_ROLE_HOLDER)
	add("bob", accountsv1.Role_ROLE_HOLDER)
	cg := &creditsv1.GenesisState{}
	mk := func(num uint64, vintage string) *creditsv1.Batch {
		return &creditsv1.Batch{Id: creditstypes.BatchID(num), Number: num, ProjectId: "P-1", ReportId: fmt.Sprint("R-", num), Methodology: "EN-S-001",
			Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageStart: vintage, VintageEnd: vintage[:4] + "-12-31"}
	}
	b1, b2 := mk(1, "2024-04-01"), mk(2, "2023-04-01")
	next := uint64(1)
	for i := 0; i < perBlock; i++ {
		name := fmt.Sprintf("s%d", i)
		add(name, accountsv1.Role_ROLE_HOLDER)
		cg.Ranges = append(cg.Ranges, &creditsv1.Range{BatchId: b1.Id, Start: next, End: next + 999_999,
			Owner: apptest.Addr(name).Hex(), Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE})
		next += 1_000_000
	}
	b1.Issued = next - 1
	for i := 0; i < 1000; i++ {
		add(fmt.Sprintf("h%d", i), accountsv1.Role_ROLE_HOLDER)
	}
	for i := 0; i < n; i++ {
		cg.Ranges = append(cg.Ranges, &creditsv1.Range{BatchId: b2.Id, Start: uint64(i + 1), End: uint64(i + 1),
			Owner: apptest.Addr(fmt.Sprintf("h%d", i%1000)).Hex(), Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE})
	}
	b2.Issued = uint64(n)
	cg.Batches = append(cg.Batches, b1, b2)
	return apptest.New(tb, app.GenesisState{"accounts": jsonOf(tb, ag), "credits": jsonOf(tb, cg)})
}

func jsonOf(tb testing.TB, m proto.Message) []byte {
	tb.Helper()
	bz, err := protojson.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return bz
}

// serial names credit s of batch 1 (as creditChain makes it).
func serial(s uint64) string {
	return creditstypes.FormatSerial(creditstypes.Serial{Batch: 1, Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY,
		VintageYear: 2024, Start: s, End: s})
}

// serialTransferMsgs is the largest serial transfer a transaction can
// carry: msgs messages of credits.MaxSerialsPerMsg single credits each, every
// other credit from base on, so that no two moved credits merge and every
// one of them splits alice's range: the shape of issue 10's 1,900-transfer
// stall.
func serialTransferMsgs(base uint64, msgs int) []proto.Message {
	var out []proto.Message
	s := base
	for i := 0; i < msgs; i++ {
		m := &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex()}
		for j := 0; j < credits.MaxSerialsPerMsg; j++ {
			m.Serials = append(m.Serials, serial(s))
			s += 2
		}
		out = append(out, m)
	}
	return out
}

// finalizeBench runs one block through FinalizeBlock and Commit, timing only
// FinalizeBlock, fails on any transaction that does not succeed, and
// returns the gas the block used.
func finalizeBench(b *testing.B, c *apptest.Chain, txs [][]byte) int64 {
	b.Helper()
	c.Height++
	c.Time = c.Time.Add(60e9)
	b.StartTimer()
	res, err := c.App.FinalizeBlock(context.Background(), &abci.FinalizeBlockRequest{Txs: txs, Height: c.Height, Time: c.Time})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	var gas int64
	for i, r := range res.TxResults {
		if r.Code != 0 {
			b.Fatalf("tx %d: %s/%d %s", i, r.Codespace, r.Code, r.Log)
		}
		gas += r.GasUsed
	}
	if _, err := c.App.Commit(context.Background(), &abci.CommitRequest{}); err != nil {
		b.Fatal(err)
	}
	c.LastHash = res.AppHash
	return gas
}

// BenchmarkSerialTransferTx: one transaction of 19 messages × 100 single
// serials (1,900 range splits, ~62 KB): issue 10 finding 3. Before the lazy
// merge iterator its cost grew with the square of the buffered writes.
func BenchmarkSerialTransferTx(b *testing.B) {
	c := creditChain(b, 0, 0)
	msgs := 1900 / credits.MaxSerialsPerMsg
	b.StopTimer()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body, err := txBody(c, "alice", app.MaxTxGas).Build(serialTransferMsgs(uint64(1+i*4000), msgs)...)
		if err != nil {
			b.Fatal(err)
		}
		finalizeBench(b, c, [][]byte{signBody(b, "alice", body)})
	}
}

// BenchmarkSerialTransferBlock: a block of several such transactions (one
// signer, consecutive nonces, disjoint serials).
func BenchmarkSerialTransferBlock(b *testing.B) {
	for _, n := range []int{2, 4} {
		b.Run(fmt.Sprintf("txs=%d", n), func(b *testing.B) {
			c := creditChain(b, 0, 0)
			msgs := 1900 / credits.MaxSerialsPerMsg
			b.StopTimer()
			b.ResetTimer()
			base := uint64(1)
			for i := 0; i < b.N; i++ {
				nonce := c.Nonce("alice")
				var txs [][]byte
				for j := 0; j < n; j++ {
					body, err := tx.Body{ChainID: apptest.ChainID, Nonce: nonce + uint64(j), GasLimit: app.MaxTxGas}.Build(serialTransferMsgs(base, msgs)...)
					if err != nil {
						b.Fatal(err)
					}
					txs = append(txs, signBody(b, "alice", body))
					base += 4000
				}
				finalizeBench(b, c, txs)
			}
		})
	}
}

// txBody is a body from name with its next nonce and gas limit gas.
func txBody(c *apptest.Chain, name string, gas uint64) tx.Body {
	return tx.Body{ChainID: apptest.ChainID, Nonce: c.Nonce(name), GasLimit: gas}
}

// signBody signs body bytes as name.
func signBody(tb testing.TB, name string, body []byte) []byte {
	tb.Helper()
	raw, err := tx.Sign(body, apptest.Key(name))
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// BenchmarkMaxGasBlock: the worst block the limits allow for the shape
// that stalled the chain in issue 10: as many of the largest serial
// transfers (1,900 range splits each, gas limit MaxTxGas) as
// DefaultBlockMaxGas admits, one signer, consecutive nonces. ns/op is the
// block's FinalizeBlock time, cpu-ns/block the CPU time of FinalizeBlock
// and Commit: bounded, where it used to grow with the square of the block
// (8 such transactions took 276 s).
func BenchmarkMaxGasBlock(b *testing.B) {
	c := creditChain(b, 0, 0)
	fit := int(app.DefaultBlockMaxGas / int64(app.MaxTxGas))
	b.StopTimer()
	b.ResetTimer()
	base := uint64(1)
	var gas, cpu int64
	for i := 0; i < b.N; i++ {
		nonce := c.Nonce("alice")
		var txs [][]byte
		for j := 0; j < fit; j++ {
			body, err := tx.Body{ChainID: apptest.ChainID, Nonce: nonce + uint64(j), GasLimit: app.MaxTxGas}.Build(serialTransferMsgs(base, 1900/credits.MaxSerialsPerMsg)...)
			if err != nil {
				b.Fatal(err)
			}
			txs = append(txs, signBody(b, "alice", body))
			base += 4000
		}
		cpu0 := cpuTime()
		gas += finalizeBench(b, c, txs)
		cpu += cpuTime() - cpu0
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/block")
	b.ReportMetric(float64(fit), "txs/block")
	b.ReportMetric(float64(gas)/float64(b.N), "gas/block")
}

// BenchmarkCheckTxParallel: CheckTx of freshly signed transfers (no cached
// signature) from as many goroutines as GOMAXPROCS, as CometBFT's mempool
// connection and RPC feed it while the consensus connection executes a
// block. What CheckTx does under the app's lock serialises; what it does
// outside (decoding, signature recovery) runs in parallel.
func BenchmarkCheckTxParallel(b *testing.B) {
	const senders = 100
	c := creditChain(b, senders, 1000)
	txs := make([][]byte, b.N)
	for i := range txs {
		s := fmt.Sprintf("s%d", i%senders)
		txs[i] = c.Sign(s, uint64(i/senders), transferMsg("bob", 1))
	}
	var next atomic.Int64
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			raw := txs[next.Add(1)-1]
			if _, err := c.App.CheckTx(ctx, &abci.CheckTxRequest{Tx: raw, Type: abci.CHECK_TX_TYPE_CHECK}); err != nil {
				b.Error(err)
			}
		}
	})
	// CPU per CheckTx: ns/op is wall time over all goroutines, which on a
	// shared machine says more about the neighbours than about CheckTx.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkNodeTransfer: what one node does for each transfer of a block
// its mempool saw: CheckTx when the transaction arrives, a RECHECK after
// a block (half of them wait one block), then FinalizeBlock and Commit of
// blocks of 100 with the signatures CheckTx recovered. cpu-ns/op is the
// process's CPU per transfer (GC included), allocs/op its allocations.
func BenchmarkNodeTransfer(b *testing.B) {
	c := creditChain(b, perBlock, 1_000_000)
	ctx := context.Background()
	check := func(raw []byte, t abci.CheckTxType) {
		res, err := c.App.CheckTx(ctx, &abci.CheckTxRequest{Tx: raw, Type: t})
		if err != nil || res.Code != 0 {
			b.Fatalf("CheckTx: %v %v", err, res)
		}
	}
	nonces := map[string]uint64{}
	b.StopTimer()
	b.ReportAllocs()
	b.ResetTimer()
	var cpu int64
	for done := 0; done < b.N; {
		var txs [][]byte
		for ; len(txs) < perBlock && done < b.N; done++ {
			s := fmt.Sprintf("s%d", done%perBlock)
			if _, ok := nonces[s]; !ok {
				nonces[s] = c.Nonce(s)
			}
			txs = append(txs, c.Sign(s, nonces[s], transferMsg("bob", 1)))
			nonces[s]++
		}
		cpu0 := cpuTime()
		b.StartTimer()
		for _, raw := range txs {
			check(raw, abci.CHECK_TX_TYPE_CHECK)
		}
		for _, raw := range txs[:len(txs)/2] {
			check(raw, abci.CHECK_TX_TYPE_RECHECK)
		}
		for i, r := range c.Block(txs...) {
			if r.Code != 0 {
				b.Fatalf("tx %d: %s", i, r.Log)
			}
		}
		b.StopTimer()
		cpu += cpuTime() - cpu0
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}
