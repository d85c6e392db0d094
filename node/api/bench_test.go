package api_test

import (
	"context"
	"os"
	"testing"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/nodetest"
	"github.com/jcredit/jcredit/node/proof"
)

// Benchmarks against a real single-validator node (CometBFT + app in
// process): building a retirement proof over CometBFT's HTTP RPC (what
// `jcreditd proof` does), fetching one from the public API, verifying it,
// and its size. go test -run - -bench . ./node/api
func BenchmarkRetirementProofRealNode(b *testing.B) {
	n, home, base := startNode(b)
	c := nodetest.Client(b, n)
	bl := &proof.Builder{Source: proof.RPCSource{Client: c.RPC}}
	genesis, err := os.ReadFile(node.GenesisFile(home))
	if err != nil {
		b.Fatal(err)
	}
	trust, err := proof.ParseTrust(genesis)
	if err != nil {
		b.Fatal(err)
	}
	var raw []byte

	b.Run("build-rpc", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bd, err := bl.Retirement(context.Background(), retirementID)
			if err != nil {
				b.Fatal(err)
			}
			if raw, err = bd.Marshal(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(raw)), "bundle-bytes")
	})
	b.Run("fetch-api", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			status, body, _ := get(b, base+"/api/v1/proofs/retirement/"+retirementID)
			if status != 200 {
				b.Fatalf("%d %s", status, body)
			}
		}
	})
	b.Run("verify", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := proof.VerifyJSON(raw, trust); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(raw)), "bundle-bytes")
	})
}
