package types

import (
	"encoding/binary"

	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// Keys of the scheme's rules and the facts they read (under StorePrefix,
// beside those of keys.go). Each is a single-key record, so that a proof of
// a retirement's rule version, a batch's label history or an import can be
// a proof of one key.
//
//	ut/<version 8B>                               -> UseTable (s/usetable: the current version)
//	lh/<batch# 8B><change# 8B>                     -> LabelChange
//	lg/<len 1B><scheme><len 1B><cert no.><original start 8B> -> original end 8B, batch# 8B (imported blocks)
//	cn/<len 1B><scheme><certification number>     -> batch# (J-Credit certification numbers, once each)
var (
	UseTablePrefix    = []byte("ut/")
	LabelChangePrefix = []byte("lh/")
	LegacyPrefix      = []byte("lg/")
	CertNumberPrefix  = []byte("cn/")
)

// SeqUseTable names the sequence whose value is the current use-table
// version.
const SeqUseTable = "usetable"

// UseTableKey is the key of use-table version v.
func UseTableKey(v uint64) []byte { return module.Key(UseTablePrefix, module.Uint64(v)) }

// UseTableStoreKey is the full state key of use-table version v.
func UseTableStoreKey(v uint64) []byte { return module.Key([]byte(StorePrefix), UseTableKey(v)) }

// LabelChangeKey is the key of change n of batch's labels.
func LabelChangeKey(batch, n uint64) []byte {
	return module.Key(LabelChangePrefix, module.Uint64(batch), module.Uint64(n))
}

// LabelChangeBatchPrefix is the prefix of every label change of batch.
func LabelChangeBatchPrefix(batch uint64) []byte {
	return module.Key(LabelChangePrefix, module.Uint64(batch))
}

// LabelChangeStoreKey is the full state key of change n of batch's labels.
func LabelChangeStoreKey(batch, n uint64) []byte {
	return module.Key([]byte(StorePrefix), LabelChangeKey(batch, n))
}

// short is a length-prefixed part of a key (parts are at most 255 bytes).
func short(s string) []byte { return append([]byte{byte(len(s))}, s...) }

// LegacyCertPrefix is the prefix of the imported blocks of one scheme
// symbol and certification number.
func LegacyCertPrefix(scheme, cert string) []byte {
	return module.Key(LegacyPrefix, short(scheme), short(cert))
}

// LegacyKey is the key of an imported block of original serials starting
// at start.
func LegacyKey(scheme, cert string, start uint64) []byte {
	return module.Key(LegacyCertPrefix(scheme, cert), module.Uint64(start))
}

// LegacyValue is the value of an imported block: its original end and the
// batch it became.
func LegacyValue(end, batch uint64) []byte {
	return module.Key(module.Uint64(end), module.Uint64(batch))
}

// ParseLegacyValue reverses LegacyValue.
func ParseLegacyValue(v []byte) (end, batch uint64, ok bool) {
	if len(v) != 16 {
		return 0, 0, false
	}
	return binary.BigEndian.Uint64(v[:8]), binary.BigEndian.Uint64(v[8:]), true
}

// CertNumberKey is the key recording the batch of a J-Credit
// certification number.
func CertNumberKey(scheme, cert string) []byte {
	return module.Key(CertNumberPrefix, short(scheme), []byte(cert))
}
