package types

import (
	"sort"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
)

// ParseAccountArg reads how people name an account in a query: a 0x
// address (one of its keys) or its decimal number. Exactly one of addr and
// number is set on success.
func ParseAccountArg(s string) (addr common.Address, number uint64, err error) {
	if strings.HasPrefix(s, "0x") {
		addr, err = ParseAddress(s)
		return addr, 0, err
	}
	n, perr := strconv.ParseUint(s, 10, 64)
	if perr != nil || n == 0 || strconv.FormatUint(n, 10) != s {
		return common.Address{}, 0, ErrInvalidAddress.Wrapf("%q is neither a 0x address nor an account number", s)
	}
	return common.Address{}, n, nil
}

// AccountRef is how read answers show an account that a record names by
// number (queryv1.AccountRef, declared in query.proto): the number with
// the account's address and legal name at the height of the answer
// (resolved at read time, not part of the record).
type AccountRef = queryv1.AccountRef

// Lookup reads account number n (nil if there is none).
type Lookup func(n uint64) (*accountsv1.Account, error)

// Refs resolves account numbers for an answer's "accounts": sorted, each
// once, 0 and unknown numbers left out.
func Refs(lookup Lookup, numbers ...uint64) ([]*AccountRef, error) {
	sorted := append([]uint64(nil), numbers...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	var out []*AccountRef
	for i, n := range sorted {
		if n == 0 || (i > 0 && sorted[i-1] == n) {
			continue
		}
		acc, err := lookup(n)
		if err != nil {
			return nil, err
		}
		if acc == nil {
			continue
		}
		out = append(out, &AccountRef{Number: n, Address: acc.Address, LegalName: acc.LegalName})
	}
	return out, nil
}
