package credits

import (
	"encoding/binary"

	"github.com/jcredit/jcredit/x/module"

	"github.com/ethereum/go-ethereum/common"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// ModuleName is the codespace, store prefix, genesis key and query route.
const ModuleName = "credits"

// StorePrefix is where the module's keys live in the app's tree.
const StorePrefix = ModuleName + "/"

// Key layout under StorePrefix. Numbers are 8-byte big-endian so that keys
// sort as the numbers do; every part has a fixed width, so no separators
// are needed inside a key.
//
//	b/<batch#>                                  -> Batch (with supply counters)
//	i/<report id>                               -> batch# (one issuance per report)
//	r/<batch#><start>                           -> Range{end, owner, status, ...}
//	o/<owner 20B><status 1B><vintage YYYYMMDD><batch#><start> -> end (8B)
//	t/<retirement id>                           -> Retirement
//	a/<account 20B><retirement#>                -> empty (retirements by retiring account)
//	e/<account 20B><retirement#>                -> empty (by beneficiary account)
//	n/<len 2B><beneficiary name><retirement#>   -> empty (by beneficiary name)
//	y/<fiscal year 4B><retirement#>             -> empty (by fiscal year)
//	u/<use 1B><retirement#>                     -> empty (by use)
//	c/<cancellation id>                         -> Cancellation
//	s/<name>                                    -> last number of a sequence
//
// The owner index orders an account's ranges by status, then vintage (oldest
// first), batch and serial: a transfer or retirement by quantity walks
// exactly the ranges it consumes, and "does addr hold active credits" is one
// seek.
var (
	batchPrefix        = []byte("b/")
	reportPrefix       = []byte("i/")
	rangePrefix        = []byte("r/")
	ownerPrefix        = []byte("o/")
	retirementPrefix   = []byte("t/")
	byAccountPrefix    = []byte("a/")
	byBenefAcctPrefix  = []byte("e/")
	byBenefNamePrefix  = []byte("n/")
	byFiscalYearPrefix = []byte("y/")
	byUsePrefix        = []byte("u/")
	cancellationPrefix = []byte("c/")
	seqPrefix          = []byte("s/")
)

// Sequence names.
const (
	seqBatch        = "batch"
	seqRetirement   = "retirement"
	seqCancellation = "cancellation"
)

func batchKey(batch uint64) []byte     { return module.Key(batchPrefix, module.Uint64(batch)) }
func reportKey(reportID string) []byte { return module.Key(reportPrefix, []byte(reportID)) }
func rangeKey(batch, start uint64) []byte {
	return module.Key(rangePrefix, module.Uint64(batch), module.Uint64(start))
}
func rangeBatchPrefix(batch uint64) []byte { return module.Key(rangePrefix, module.Uint64(batch)) }
func seqKey(name string) []byte            { return module.Key(seqPrefix, []byte(name)) }
func retirementKey(id string) []byte       { return module.Key(retirementPrefix, []byte(id)) }
func cancellationKey(id string) []byte     { return module.Key(cancellationPrefix, []byte(id)) }

// vintageKey turns "YYYY-MM-DD" into the 8 bytes "YYYYMMDD".
func vintageKey(date string) []byte {
	if len(date) != 10 {
		return []byte("00000000")
	}
	return []byte(date[0:4] + date[5:7] + date[8:10])
}

// ownerStatusPrefix is the owner index prefix of addr's ranges in status st.
func ownerStatusPrefix(addr common.Address, st creditsv1.RangeStatus) []byte {
	return module.Key(ownerPrefix, addr.Bytes(), []byte{byte(st)})
}

func ownerKey(addr common.Address, st creditsv1.RangeStatus, vintageStart string, batch, start uint64) []byte {
	return module.Key(ownerStatusPrefix(addr, st), vintageKey(vintageStart), module.Uint64(batch), module.Uint64(start))
}

// ownerKeyLen is the length of an owner index key under the module prefix.
var ownerKeyLen = len(ownerPrefix) + common.AddressLength + 1 + 8 + 8 + 8

// parseOwnerKey returns the batch# and start of an owner index key.
func parseOwnerKey(k []byte) (batch, start uint64, ok bool) {
	if len(k) != ownerKeyLen {
		return 0, 0, false
	}
	tail := k[len(k)-16:]
	return binary.BigEndian.Uint64(tail[:8]), binary.BigEndian.Uint64(tail[8:]), true
}

func retirementIndexKey(prefix []byte, head []byte, seq uint64) []byte {
	return module.Key(prefix, head, module.Uint64(seq))
}

func nameHead(name string) []byte {
	var l [2]byte
	binary.BigEndian.PutUint16(l[:], uint16(len(name)))
	return module.Key(l[:], []byte(name))
}

func fiscalYearHead(fy uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], fy)
	return b[:]
}

// RangeStoreKey is the full state key (with the "credits/" prefix) of the
// range of batch that starts at start. A proof that serial S is (or is not)
// retired is a membership proof of the range containing S: find it with
// FindRange, then prove this key.
func RangeStoreKey(batch, start uint64) []byte {
	return module.Key([]byte(StorePrefix), rangeKey(batch, start))
}

// RetirementStoreKey is the full state key of the retirement record id
// ("JCR-00000001").
func RetirementStoreKey(id string) []byte {
	return module.Key([]byte(StorePrefix), retirementKey(id))
}

// BatchStoreKey is the full state key of batch number n.
func BatchStoreKey(n uint64) []byte {
	return module.Key([]byte(StorePrefix), batchKey(n))
}

// CancellationStoreKey is the full state key of the cancellation record id.
func CancellationStoreKey(id string) []byte {
	return module.Key([]byte(StorePrefix), cancellationKey(id))
}
