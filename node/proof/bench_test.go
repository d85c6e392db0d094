package proof

import (
	"context"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
)

// Benchmarks: building a bundle (state proof + header + validators, no
// network), verifying it, and its size. Run with
// go test -run - -bench . ./node/proof
func benchBundle(b *testing.B, changing bool) (*Bundle, *Trust, *appSource) {
	c := apptest.New(b, nil)
	var src *appSource
	trust := TrustSet(fourVals.vals, apptest.ChainID)
	if changing {
		genesis, setAt := changingSets()
		src = newAppSource(b, c, setAt)
		trust = TrustSet(genesis.vals, apptest.ChainID)
	} else {
		src = newAppSource(b, c, func(int64) *signers { return fourVals })
	}
	for c.Height < 30 {
		src.block()
	}
	bd, err := (&Builder{Source: src}).Account(context.Background(), apptest.Addr("meti").Hex())
	if err != nil {
		b.Fatal(err)
	}
	return bd, trust, src
}

func BenchmarkBuild(b *testing.B) {
	_, _, src := benchBundle(b, false)
	bl := &Builder{Source: src}
	addr := apptest.Addr("meti").Hex()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := bl.Account(context.Background(), addr); err != nil {
			b.Fatal(err)
		}
	}
}

func benchVerify(b *testing.B, changing bool) {
	bd, trust, _ := benchBundle(b, changing)
	raw, err := bd.Marshal()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := VerifyJSON(raw, trust); err != nil {
			b.Fatal(err)
		}
	}
	// After the loop: ResetTimer clears reported metrics.
	b.ReportMetric(float64(len(raw)), "bundle-bytes")
}

// BenchmarkVerify: 4 validators, the trusted set signed the header.
func BenchmarkVerify(b *testing.B) { benchVerify(b, false) }

// BenchmarkVerifyHeaderChain: 4 validators replaced one by one; the bundle
// carries the header chain from genesis.
func BenchmarkVerifyHeaderChain(b *testing.B) { benchVerify(b, true) }
