package types

import (
	"encoding/binary"

	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// GX-ETS totals (issue 14), under StorePrefix:
//
//	gx/<8B operator account#><4B fiscal year>  -> GxRetired
var GxRetiredPrefix = []byte("gx/")

// GxRetiredKey is the key of what operator n retired for fiscal year fy.
func GxRetiredKey(n uint64, fy uint32) []byte {
	return module.Key(GxRetiredPrefix, module.Uint64(n), binary.BigEndian.AppendUint32(nil, fy))
}

// GxRetiredStoreKey is the full state key of GxRetiredKey(n, fy).
func GxRetiredStoreKey(n uint64, fy uint32) []byte {
	return module.Key([]byte(StorePrefix), GxRetiredKey(n, fy))
}
