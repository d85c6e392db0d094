package module

import "encoding/binary"

// Key concatenates key parts into one store key. Modules build keys from
// fixed-width parts (prefixes, 20-byte addresses, Uint64 numbers), so no
// separators are needed and key order follows the parts' order.
func Key(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Uint64 encodes v big-endian in 8 bytes, so that keys sort as the numbers
// do.
func Uint64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }
