package module

import "github.com/jcredit/jcredit/x/module/base"

// Key concatenates key parts into one store key. Modules build keys from
// fixed-width parts (prefixes, 20-byte addresses, Uint64 numbers), so no
// separators are needed and key order follows the parts' order. (Defined
// in base, with Uint64 and IndexValue, for the types packages.)
func Key(parts ...[]byte) []byte { return base.Key(parts...) }

// Uint64 encodes v big-endian in 8 bytes, so that keys sort as the numbers
// do.
func Uint64(v uint64) []byte { return base.Uint64(v) }
