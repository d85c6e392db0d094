package proof

import (
	"bytes"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
)

// The WebAssembly verifier uses mirror; the native one the modules' own
// functions. They must agree.
func TestMirrorKeysMatchTheModules(t *testing.T) {
	for _, id := range []string{"JCR-00000001", "JCR-12345678", "JCR-123456789"} {
		if !bytes.Equal(mirror.retirement(id), keysOf.retirement(id)) {
			t.Fatalf("retirement key of %s differs", id)
		}
	}
	for _, n := range []uint64{1, 42, 1 << 40} {
		if !bytes.Equal(mirror.batch(n), keysOf.batch(n)) || !bytes.Equal(mirror.rng(n, n+7), keysOf.rng(n, n+7)) {
			t.Fatalf("batch or range key of %d differs", n)
		}
		if mirror.formatBatchID(n) != keysOf.formatBatchID(n) {
			t.Fatalf("batch id of %d differs", n)
		}
		id := keysOf.formatBatchID(n)
		a, errA := mirror.batchID(id)
		b, errB := keysOf.batchID(id)
		if a != b || errA != nil || errB != nil {
			t.Fatalf("batch id %s parses differently", id)
		}
	}
	for _, s := range []string{"JC-00000001-RE-2024-0000000001", "JC-00000042-FO-2019-0000123456", "JC-123456789-ES-2030-12345678901"} {
		b1, n1, _, err1 := mirror.serial(s)
		b2, n2, _, err2 := keysOf.serial(s)
		if err1 != nil || err2 != nil || b1 != b2 || n1 != n2 {
			t.Fatalf("serial %s: mirror %d/%d %v, module %d/%d %v", s, b1, n1, err1, b2, n2, err2)
		}
	}
	for _, name := range []string{"meti", "moe", "someone"} {
		addr := apptest.Addr(name).Hex()
		k1, _, err1 := mirror.account(addr)
		k2, _, err2 := keysOf.account(addr)
		if err1 != nil || err2 != nil || !bytes.Equal(k1, k2) {
			t.Fatalf("account key of %s differs", addr)
		}
	}
}
