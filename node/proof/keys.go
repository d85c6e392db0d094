package proof

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// The state keys the kinds prove, and the two identifiers they parse. In a
// native build these are x/credits' and x/accounts' own functions
// (keys_native.go). The WebAssembly verifier cannot import those packages
// (they pull in the databases), so keys_js.go uses the mirrors below, which
// keys_test.go checks against the modules' functions.
type keyFuncs struct {
	retirement func(id string) []byte
	batch      func(n uint64) []byte
	rng        func(batch, start uint64) []byte
	account    func(address string) ([]byte, string, error) // key, canonical address
	// serial parses one serial into its batch and number.
	serial  func(s string) (batch, n uint64, canonical string, err error)
	batchID func(id string) (uint64, error)
	// formatBatchID renders a batch number as its id.
	formatBatchID func(n uint64) string
}

func mirrorCat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func mirrorU64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// mirror is the key layout of x/credits (keys.go) and x/accounts (keys.go).
var mirror = keyFuncs{
	retirement: func(id string) []byte { return mirrorCat([]byte("credits/t/"), []byte(id)) },
	batch:      func(n uint64) []byte { return mirrorCat([]byte("credits/b/"), mirrorU64(n)) },
	rng: func(batch, start uint64) []byte {
		return mirrorCat([]byte("credits/r/"), mirrorU64(batch), mirrorU64(start))
	},
	account: func(address string) ([]byte, string, error) {
		h, ok := strings.CutPrefix(address, "0x")
		if !ok || len(h) != 40 {
			return nil, "", fmt.Errorf("%q is not a 0x-prefixed 20-byte hex address", address)
		}
		var raw [20]byte
		for i := 0; i < 20; i++ {
			v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
			if err != nil {
				return nil, "", fmt.Errorf("%q is not a hex address", address)
			}
			raw[i] = byte(v)
		}
		// The record's address is checked against the key; the canonical
		// (checksummed) spelling is not recomputed here.
		return mirrorCat([]byte("accounts/a/"), raw[:]), "", nil
	},
	serial: func(s string) (uint64, uint64, string, error) {
		parts := strings.Split(s, "-")
		if len(parts) != 5 || parts[0] != "JC" {
			return 0, 0, "", fmt.Errorf("%q is not one serial (JC-<batch>-<category>-<year>-<serial>)", s)
		}
		b, err1 := strconv.ParseUint(parts[1], 10, 64)
		n, err2 := strconv.ParseUint(parts[4], 10, 64)
		if err1 != nil || err2 != nil || b == 0 || n == 0 {
			return 0, 0, "", fmt.Errorf("%q is not one serial", s)
		}
		return b, n, s, nil
	},
	batchID: func(id string) (uint64, error) {
		rest, ok := strings.CutPrefix(id, "JC-")
		n, err := strconv.ParseUint(rest, 10, 64)
		if !ok || err != nil || n == 0 {
			return 0, fmt.Errorf("batch id %q must look like JC-00000001", id)
		}
		return n, nil
	},
	formatBatchID: func(n uint64) string { return fmt.Sprintf("JC-%08d", n) },
}
