package types

import (
	"encoding/binary"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// ModuleName is the codespace, store prefix, genesis key and query route.
const ModuleName = "credits"

// StorePrefix is where the module's keys live in the app's tree.
const StorePrefix = ModuleName + "/"

// Key layout under StorePrefix (state version 2). Numbers are 8-byte
// big-endian so that keys sort as the numbers do; every part has a fixed
// width, so no separators are needed inside a key. Accounts are named by
// their stable number (x/accounts), never by address, so a key rotation
// touches nothing here. No value is empty: index entries hold
// module.IndexValue (or something useful), so that ICS23 can prove any key
// absent.
//
//	b/<batch#>                                    -> Batch (with supply counters)
//	i/<report id>                                 -> batch# (one issuance per report)
//	r/<batch#><start>                             -> Range{end, owner_account, status, ...}
//	o/<account#><status 1B><vintage YYYYMMDD><batch#><start> -> end (8B)
//	t/<retirement id>                             -> Retirement
//	a/<account#><retirement#>                     -> 0x01 (retirements by retiring account)
//	e/<account#><retirement#>                     -> 0x01 (by beneficiary account)
//	n/<len 2B><beneficiary name><retirement#>     -> 0x01 (by beneficiary name)
//	y/<fiscal year 4B><retirement#>               -> 0x01 (by fiscal year)
//	u/<use 1B><retirement#>                       -> 0x01 (by use; one entry per use)
//	rt/, rp/, rc/                                 -> by time, project, category (keys_retirements.go)
//	xb/<batch#><cancellation#>                    -> 0x01 (cancellations by batch; keys_retirements.go)
//	c/<cancellation id>                           -> Cancellation
//	s/<name>                                      -> last number of a sequence (8B)
//
// The owner index orders an account's ranges by status, then vintage
// (oldest first), batch and serial: a transfer or retirement by quantity
// walks exactly the ranges it consumes, and "does account n hold active
// credits" is one seek.
var (
	BatchPrefix        = []byte("b/")
	ReportPrefix       = []byte("i/")
	RangePrefix        = []byte("r/")
	OwnerPrefix        = []byte("o/")
	RetirementPrefix   = []byte("t/")
	ByAccountPrefix    = []byte("a/")
	ByBenefAcctPrefix  = []byte("e/")
	ByBenefNamePrefix  = []byte("n/")
	ByFiscalYearPrefix = []byte("y/")
	ByUsePrefix        = []byte("u/")
	CancellationPrefix = []byte("c/")
	SeqPrefix          = []byte("s/")
)

// Sequence names.
const (
	SeqBatch        = "batch"
	SeqRetirement   = "retirement"
	SeqCancellation = "cancellation"
)

// BatchKey is the key of batch number n under StorePrefix.
func BatchKey(n uint64) []byte { return module.Key(BatchPrefix, module.Uint64(n)) }

// ReportKey is the key recording the batch issued for a report.
func ReportKey(reportID string) []byte { return module.Key(ReportPrefix, []byte(reportID)) }

// RangeKey is the key of the range of batch that starts at start.
func RangeKey(batch, start uint64) []byte {
	return module.Key(RangePrefix, module.Uint64(batch), module.Uint64(start))
}

// RangeBatchPrefix is the prefix of every range of batch.
func RangeBatchPrefix(batch uint64) []byte { return module.Key(RangePrefix, module.Uint64(batch)) }

// SeqKey is the key of a sequence's last number.
func SeqKey(name string) []byte { return module.Key(SeqPrefix, []byte(name)) }

// RetirementKey is the key of a retirement record.
func RetirementKey(id string) []byte { return module.Key(RetirementPrefix, []byte(id)) }

// CancellationKey is the key of a cancellation record.
func CancellationKey(id string) []byte { return module.Key(CancellationPrefix, []byte(id)) }

// VintageKey turns "YYYY-MM-DD" into the 8 bytes "YYYYMMDD".
func VintageKey(date string) []byte {
	if len(date) != 10 {
		return []byte("00000000")
	}
	return []byte(date[0:4] + date[5:7] + date[8:10])
}

// OwnerAccountPrefix is the owner index prefix of every range of account n.
func OwnerAccountPrefix(n uint64) []byte { return module.Key(OwnerPrefix, module.Uint64(n)) }

// OwnerStatusPrefix is the owner index prefix of account n's ranges in
// status st.
func OwnerStatusPrefix(n uint64, st creditsv1.RangeStatus) []byte {
	return module.Key(OwnerPrefix, module.Uint64(n), []byte{byte(st)})
}

// OwnerKey is the owner index key of a range.
func OwnerKey(n uint64, st creditsv1.RangeStatus, vintageStart string, batch, start uint64) []byte {
	return module.Key(OwnerStatusPrefix(n, st), VintageKey(vintageStart), module.Uint64(batch), module.Uint64(start))
}

// ownerKeyLen is the length of an owner index key under StorePrefix.
var ownerKeyLen = len(OwnerPrefix) + 8 + 1 + 8 + 8 + 8

// ParseOwnerKey returns the batch# and start of an owner index key.
func ParseOwnerKey(k []byte) (batch, start uint64, ok bool) {
	if len(k) != ownerKeyLen {
		return 0, 0, false
	}
	tail := k[len(k)-16:]
	return binary.BigEndian.Uint64(tail[:8]), binary.BigEndian.Uint64(tail[8:]), true
}

// RetirementIndexKey is the key of retirement number seq in the index
// prefix, under head (the indexed value).
func RetirementIndexKey(prefix []byte, head []byte, seq uint64) []byte {
	return module.Key(prefix, head, module.Uint64(seq))
}

// RetirementIndexKeys are the index entries of retirement record r, number
// n: by retiring account, by beneficiary account (if any), by beneficiary
// name, fiscal year, each of its uses, its time, and each project and
// category its blocks draw from (keys_retirements.go).
func RetirementIndexKeys(r *creditsv1.Retirement, n uint64) [][]byte {
	keys := [][]byte{RetirementIndexKey(ByAccountPrefix, module.Uint64(r.AccountNumber), n)}
	if r.BeneficiaryAccountNumber != 0 {
		keys = append(keys, RetirementIndexKey(ByBenefAcctPrefix, module.Uint64(r.BeneficiaryAccountNumber), n))
	}
	keys = append(keys,
		RetirementIndexKey(ByBenefNamePrefix, NameHead(r.Beneficiary), n),
		RetirementIndexKey(ByFiscalYearPrefix, FiscalYearHead(r.FiscalYear), n))
	for _, u := range r.Uses {
		keys = append(keys, RetirementIndexKey(ByUsePrefix, []byte{byte(u)}, n))
	}
	keys = append(keys, RetirementIndexKey(ByTimePrefix, TimeHead(r.GetTime().AsTime()), n))
	return append(keys, retirementClassKeys(r, n)...)
}

// NameHead is the index head of a beneficiary name: its length, then it.
func NameHead(name string) []byte {
	var l [2]byte
	binary.BigEndian.PutUint16(l[:], uint16(len(name)))
	return module.Key(l[:], []byte(name))
}

// FiscalYearHead is the index head of a fiscal year.
func FiscalYearHead(fy uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], fy)
	return b[:]
}

// RangeStoreKey is the full state key (with the "credits/" prefix) of the
// range of batch that starts at start. A proof that serial S is (or is not)
// retired is a membership proof of the range containing S.
func RangeStoreKey(batch, start uint64) []byte {
	return module.Key([]byte(StorePrefix), RangeKey(batch, start))
}

// RetirementStoreKey is the full state key of the retirement record id
// ("JCR-00000001").
func RetirementStoreKey(id string) []byte {
	return module.Key([]byte(StorePrefix), RetirementKey(id))
}

// BatchStoreKey is the full state key of batch number n.
func BatchStoreKey(n uint64) []byte {
	return module.Key([]byte(StorePrefix), BatchKey(n))
}

// CancellationStoreKey is the full state key of the cancellation record id.
func CancellationStoreKey(id string) []byte {
	return module.Key([]byte(StorePrefix), CancellationKey(id))
}
