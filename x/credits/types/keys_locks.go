package types

import (
	"encoding/binary"

	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// Settlement locks (issue 14), under StorePrefix:
//
//	lk/<lock id>                       -> Lock (open and closed, as history)
//	lx/<expiry height 8B><lock# 8B>    -> 0x01 (open locks by expiry height)
//
// The expiry index is ordered by height, then lock number, so EndBlock
// finds the locks due at its height with one seek and expires them in the
// same order on every validator.
var (
	LockPrefix       = []byte("lk/")
	LockExpiryPrefix = []byte("lx/")
)

// SeqLock names the lock sequence.
const SeqLock = "lock"

const lockTag = "LK"

// LockID is the id of lock number n, "LK-00000001".
func LockID(n uint64) string { return recordID(lockTag, n) }

// ParseLockID returns the number of a lock id; only the canonical
// spelling is accepted.
func ParseLockID(id string) (uint64, bool) { return parseRecordID(lockTag, id) }

// LockKey is the key of a lock record.
func LockKey(id string) []byte { return module.Key(LockPrefix, []byte(id)) }

// LockStoreKey is the full state key of the lock id, which a lock's proof
// proves.
func LockStoreKey(id string) []byte { return module.Key([]byte(StorePrefix), LockKey(id)) }

// LockExpiryKey is the expiry index entry of lock number n expiring at
// height h (h > 0).
func LockExpiryKey(h int64, n uint64) []byte {
	return module.Key(LockExpiryPrefix, module.Uint64(uint64(h)), module.Uint64(n))
}

// LockExpiryUpTo is the end (exclusive) of the expiry index entries of
// heights up to and including h.
func LockExpiryUpTo(h int64) []byte {
	return module.Key(LockExpiryPrefix, module.Uint64(uint64(h)+1))
}

// ParseLockExpiryKey returns the height and lock number of an expiry index
// key.
func ParseLockExpiryKey(k []byte) (h int64, n uint64, ok bool) {
	if len(k) != len(LockExpiryPrefix)+16 {
		return 0, 0, false
	}
	tail := k[len(LockExpiryPrefix):]
	return int64(binary.BigEndian.Uint64(tail[:8])), binary.BigEndian.Uint64(tail[8:]), true
}
