package app_test

// Calibration of gas against CPU time, transaction by transaction, through
// the whole app: blocks of freshly signed transactions (signatures not
// cached: the worst case, a proposer's transactions this node never saw)
// through FinalizeBlock and Commit on IAVL over pebble on disk. Each
// benchmark reports wall ns/op, CPU ns/op (the process's user+system time:
// GC and pebble's background work included) and gas/op, and cpu-ns/gas,
// which the cost table (module.Costs) aims to keep near 1 for every kind of
// transaction. Run:
//
//	go test ./app -run '^$' -bench 'Gas' -benchtime 2000x
//
// BenchmarkGasTransferUnmetered is BenchmarkGasTransfer with the meter off:
// the meter's own cost is the ratio of the two (make bench prints it).

import (
	"encoding/json"
	"fmt"
	"syscall"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// meter times blocks and sums the gas their transactions used.
type meter struct {
	b        *testing.B
	cpu, gas int64
	txs      int
}

// block runs txs as one block (FinalizeBlock + Commit), timed, and checks
// that every transaction succeeded.
func (m *meter) block(c *apptest.Chain, txs [][]byte) []*abci.ExecTxResult {
	m.b.Helper()
	cpu0 := cpuTime()
	m.b.StartTimer()
	res := c.Block(txs...)
	m.b.StopTimer()
	m.cpu += cpuTime() - cpu0
	for i, r := range res {
		if r.Code != 0 {
			m.b.Fatalf("tx %d: %s/%d %s", i, r.Codespace, r.Code, r.Log)
		}
		m.gas += r.GasUsed
	}
	m.txs += len(txs)
	return res
}

func (m *meter) report() {
	if m.txs == 0 {
		return
	}
	m.b.ReportMetric(float64(m.cpu)/float64(m.txs), "cpu-ns/op")
	m.b.ReportMetric(float64(m.gas)/float64(m.txs), "gas/op")
	if m.gas > 0 {
		m.b.ReportMetric(float64(m.cpu)/float64(m.gas), "cpu-ns/gas")
	}
}

// perBlock is how many transactions the calibration blocks carry.
const perBlock = 100

// runBlocks signs b.N transactions, perBlock to a block, msg(i) from
// sender(i) with the sender's next nonce.
func runBlocks(b *testing.B, c *apptest.Chain, sender func(i int) string, msg func(i int) proto.Message) {
	m := &meter{b: b}
	b.StopTimer()
	b.ResetTimer()
	nonces := map[string]uint64{}
	for done := 0; done < b.N; {
		var txs [][]byte
		for ; len(txs) < perBlock && done < b.N; done++ {
			s := sender(done)
			if _, ok := nonces[s]; !ok {
				nonces[s] = c.Nonce(s)
			}
			txs = append(txs, c.Sign(s, nonces[s], msg(done)))
			nonces[s]++
		}
		m.block(c, txs)
	}
	m.report()
}

func benchTransfer(b *testing.B, unmetered bool) {
	c := creditChain(b, perBlock, 1_000_000)
	app.SetUnmetered(c.App, unmetered)
	runBlocks(b, c, func(i int) string { return fmt.Sprintf("s%d", i%perBlock) },
		func(int) proto.Message { return transferMsg("bob", 1) })
}

// BenchmarkMeterOverhead measures what the gas meter costs ordinary
// transfers, robustly on a shared machine: two identical chains, one
// metered and one not, execute the same blocks of 100 transfers
// alternately (the order swapped every block), and each side's CPU time
// is summed. meter-% is (metered / unmetered - 1) x 100.
func BenchmarkMeterOverhead(b *testing.B) {
	on, off := creditChain(b, perBlock, 1_000_000), creditChain(b, perBlock, 1_000_000)
	app.SetUnmetered(off.App, true)
	b.StopTimer()
	b.ResetTimer()
	var cpuOn, cpuOff int64
	run := func(c *apptest.Chain, txs [][]byte) int64 {
		cpu0 := cpuTime()
		b.StartTimer()
		res := c.Block(txs...)
		b.StopTimer()
		for i, r := range res {
			if r.Code != 0 {
				b.Fatalf("tx %d: %s", i, r.Log)
			}
		}
		return cpuTime() - cpu0
	}
	for done, blk := 0, 0; done < b.N; blk++ {
		var txs [][]byte
		for ; len(txs) < perBlock && done < b.N; done++ {
			s := fmt.Sprintf("s%d", done%perBlock)
			txs = append(txs, on.Sign(s, on.Nonce(s), transferMsg("bob", 1)))
		}
		if blk%2 == 0 {
			cpuOn += run(on, txs)
			cpuOff += run(off, txs)
		} else {
			cpuOff += run(off, txs)
			cpuOn += run(on, txs)
		}
	}
	b.ReportMetric(float64(cpuOn)/float64(b.N), "metered-cpu-ns/tx")
	b.ReportMetric(float64(cpuOff)/float64(b.N), "unmetered-cpu-ns/tx")
	b.ReportMetric(100*(float64(cpuOn)/float64(cpuOff)-1), "meter-%")
}

// BenchmarkGasTransferLargeState is BenchmarkGasTransfer in a state of
// 100,000 more ranges (held round-robin by 1,000 more accounts, so that
// none merge): gas does not depend on the state's size, CPU time does
// (deeper IAVL paths, fewer cache hits), and this shows by how much.
func BenchmarkGasTransferLargeState(b *testing.B) {
	c := largeCreditChain(b, 100_000)
	runBlocks(b, c, func(i int) string { return fmt.Sprintf("s%d", i%perBlock) },
		func(int) proto.Message { return transferMsg("bob", 1) })
}

// BenchmarkGasTransfer: an ordinary transfer of one credit by quantity,
// from 100 senders to one recipient (whose ranges merge).
func BenchmarkGasTransfer(b *testing.B) { benchTransfer(b, false) }

// BenchmarkGasTransferUnmetered: the same with the gas meter off.
func BenchmarkGasTransferUnmetered(b *testing.B) { benchTransfer(b, true) }

// BenchmarkGasRetire: a retirement of one credit by quantity.
func BenchmarkGasRetire(b *testing.B) {
	c := creditChain(b, perBlock, 1_000_000)
	runBlocks(b, c, func(i int) string { return fmt.Sprintf("s%d", i%perBlock) },
		func(int) proto.Message {
			return &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Example K.K.", Use: creditsv1.Use_USE_RE100, FiscalYear: 2025}
		})
}

// BenchmarkGasSerialTransfer: the largest serial transfer a transaction
// can carry (19 messages of 100 single credits, 1,900 range splits), one
// per block.
func BenchmarkGasSerialTransfer(b *testing.B) {
	c := creditChain(b, 0, 0)
	m := &meter{b: b}
	b.StopTimer()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body, err := txBody(c, "alice", app.MaxTxGas).Build(serialTransferMsgs(uint64(1+i*4000), 19)...)
		if err != nil {
			b.Fatal(err)
		}
		m.block(c, [][]byte{signBody(b, "alice", body)})
	}
	m.report()
}

// BenchmarkGasIssue: a ministry certifies a verified monitoring report,
// which issues its batch of credits (one range) to the operator.
func BenchmarkGasIssue(b *testing.B) {
	c, reports := issuanceChain(b, b.N)
	b.StopTimer()
	runBlocks(b, c, func(i int) string { return []string{"meti", "moe", "maff"}[i%3] },
		func(i int) proto.Message { return &projectsv1.MsgCertifyReport{ReportId: reports[i]} })
}

// issuanceChain has n verified reports waiting for certification: n/3+1
// registered projects (crediting 2023-2030) with a report for each of the
// fiscal years 2023-2025, whose periods have ended at the chain's genesis.
func issuanceChain(b *testing.B, n int) (*apptest.Chain, []string) {
	accs := apptest.DefaultAccounts()
	accs = append(accs,
		apptest.GenesisAccount{Name: "kyoto", Roles: []accountsv1.Role{accountsv1.Role_ROLE_CREATOR}},
		apptest.GenesisAccount{Name: "kiwa", Roles: []accountsv1.Role{accountsv1.Role_ROLE_VERIFIER}})
	pg, err := json.Marshal(map[string]any{"methodologies": []map[string]any{
		{"code": "EN-S-001", "title": "Boiler replacement", "category": "CATEGORY_ENERGY_SAVING"}}})
	if err != nil {
		b.Fatal(err)
	}
	c := apptest.New(b, app.GenesisState{"accounts": apptest.AccountsGenesis(accs), "projects": pg})
	many := func(name string, msgs []proto.Message) []*abci.ExecTxResult {
		var txs [][]byte
		n := c.Nonce(name)
		for i, m := range msgs {
			txs = append(txs, c.Sign(name, n+uint64(i), m))
		}
		res := c.Block(txs...)
		for i, r := range res {
			if r.Code != 0 {
				b.Fatalf("setup tx %d of %s: %s", i, name, r.Log)
			}
		}
		return res
	}
	attr := func(r *abci.ExecTxResult, typ, key string) string {
		for _, ev := range r.Events {
			for _, a := range ev.Attributes {
				if ev.Type == typ && a.Key == key {
					return a.Value
				}
			}
		}
		b.Fatalf("no %s %s", typ, key)
		return ""
	}
	var submits []proto.Message
	for p := 0; p < n/3+1; p++ {
		submits = append(submits, &projectsv1.MsgSubmitProject{
			Name: fmt.Sprintf("Plant %d boiler replacement", p), Kind: projectsv1.ProjectKind_PROJECT_KIND_STANDARD,
			Methodology: "EN-S-001", Prefecture: "JP-26", CreditingStart: "2023-04-01", CreditingEnd: "2031-03-31",
			ExpectedReductions: 12000, PlanHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		})
	}
	var ids []string
	var validate, register, reports []proto.Message
	for _, r := range many("kyoto", submits) {
		id := attr(r, projects.EventProjectStatus, "project")
		ids = append(ids, id)
		validate = append(validate, &projectsv1.MsgValidateProject{ProjectId: id})
		register = append(register, &projectsv1.MsgRegisterProject{ProjectId: id})
		for fy := 2023; fy <= 2025; fy++ {
			reports = append(reports, &projectsv1.MsgSubmitReport{ProjectId: id,
				PeriodStart: fmt.Sprintf("%d-04-01", fy), PeriodEnd: fmt.Sprintf("%d-03-31", fy+1),
				ClaimedTCo2: 500, DocumentHash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"})
		}
	}
	many("kiwa", validate)
	many("meti", register)
	var verify []proto.Message
	var reportIDs []string
	for _, r := range many("kyoto", reports) {
		id := attr(r, projects.EventReportStatus, "report")
		reportIDs = append(reportIDs, id)
		verify = append(verify, &projectsv1.MsgVerifyReport{ReportId: id, VerifiedTCo2: 480})
	}
	many("kiwa", verify)
	return c, reportIDs
}
