package bench

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jcredit/jcredit/node/client"
)

// parseTraces reads the -traces listing pprof prints (value and leaf on
// the first line of a block, indented).
func TestParseTraces(t *testing.T) {
	out := `File: jcreditd
Type: cpu
Duration: 2s, Total samples = 30ms (1.5%)
-----------+-------------------------------------------------------
      10ms   github.com/ethereum/go-ethereum/crypto/secp256k1._Cfunc_secp256k1_ext_ecdsa_recover
             github.com/jcredit/jcredit/app/tx.Decode
             github.com/jcredit/jcredit/app.(*App).CheckTx
             github.com/cometbft/cometbft/abci/client.(*localClient).CheckTxAsync
             github.com/cometbft/cometbft/mempool.(*CListMempool).CheckTx
-----------+-------------------------------------------------------
    pebble:  flush
      20ms   runtime.scanobject
             runtime.gcDrain
             runtime.gcBgMarkWorker.func2 (inline)
             runtime.gcBgMarkWorker
-----------+-------------------------------------------------------
`
	st, err := parseTraces(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 || st[0].value != 10e6 || st[1].value != 20e6 || len(st[0].frames) != 5 || st[1].frames[3] != "runtime.gcBgMarkWorker" {
		t.Fatalf("parsed %+v", st)
	}
	if m := checkTxMarker(st[0].frames); m != "CHECKTX_NEW" {
		t.Fatalf("marker %q", m)
	}
}

func TestParseQuantity(t *testing.T) {
	for in, want := range map[string]float64{"10ms": 1e7, "1.5s": 1.5e9, "2mins": 120e9, "512kB": 512 << 10, "3MB": 3 << 20, "42B": 42, "77": 77} {
		if got, err := parseQuantity(in); err != nil || got != want {
			t.Errorf("%s: %v %v, want %v", in, got, err, want)
		}
	}
}

func TestPercentilesAndMedian(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	p50, p90, p99, mx := percentiles(ds)
	if p50 != 50*time.Millisecond || p90 != 90*time.Millisecond || p99 != 99*time.Millisecond || mx != 100*time.Millisecond {
		t.Fatalf("%v %v %v %v", p50, p90, p99, mx)
	}
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Fatal(m)
	}
	if m := median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Fatal(m)
	}
}

func TestParseMetrics(t *testing.T) {
	in := `# HELP cometbft_mempool_evicted_txs Number of evicted transactions.
# TYPE cometbft_mempool_evicted_txs counter
cometbft_mempool_evicted_txs{chain_id="jcredit-e2e"} 12
cometbft_abci_connection_method_timing_seconds_sum{chain_id="jcredit-e2e",method="check_tx",type="async"} 1.5
cometbft_abci_connection_method_timing_seconds_sum{chain_id="jcredit-e2e",method="check_tx",type="sync"} 0.5
cometbft_abci_connection_method_timing_seconds_sum{chain_id="jcredit-e2e",method="commit",type="sync"} 9
go_goroutines 10
`
	m, err := parseMetrics(strings.NewReader(in), "cometbft_")
	if err != nil {
		t.Fatal(err)
	}
	if m.sum(mEvicted) != 12 || m.sum(mABCITime, `method="check_tx"`) != 2 || m.sum("go_goroutines") != 0 {
		t.Fatalf("%v", m)
	}
}

// The profile summaries shell out to `go tool pprof`.
func TestGoToolPprofAvailable(t *testing.T) {
	if err := exec.Command("go", "tool", "pprof", "-h").Run(); err != nil {
		// pprof -h exits non-zero after printing its usage; only a
		// missing tool fails to start.
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("go tool pprof: %v", err)
		}
	}
}

// A CheckTx refusal reaches broadcast_tx_sync's client as an RPC error;
// node/client turns it into a *client.TxError, which the lanes read as
// CheckTx's verdict.
func TestVerdict(t *testing.T) {
	refused := &client.TxError{Result: client.Result{Code: 9, Codespace: "tx", Log: "nonce is ahead of the account's next nonce: got nonce 23, next is 22"}}
	res, err := verdict(nil, fmt.Errorf("wrapped: %w", refused))
	if err != nil || !isFuture(res) || !strings.HasPrefix(res.Log, "nonce is ahead") {
		t.Fatalf("%+v %v", res, err)
	}
	if res, err := verdict(&client.Result{}, nil); err != nil || res.Code != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := verdict(nil, errors.New("broadcast: mempool is full: number of txs 5000 (max: 5000)")); err == nil || !isMempoolFull(err) {
		t.Fatal("mempool full is not a verdict")
	}
}
