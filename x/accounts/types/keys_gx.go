package types

import (
	"encoding/binary"
	"fmt"

	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// GX-ETS operators (issue 14), under StorePrefix:
//
//	gx/o/<8B account#>                 -> GxOperator
//	gx/e/<8B account#><4B fiscal year> -> GxEmissions (verified emissions)
var (
	GxOperatorPrefix  = []byte("gx/o/")
	GxEmissionsPrefix = []byte("gx/e/")
)

// DefaultGxEtsCapPercent is the share of verified emissions J-Credits may
// cover in GX-ETS compliance unless a ministry quorum set another.
const DefaultGxEtsCapPercent = 10

// GxOperatorKey is the key of account n's operator record.
func GxOperatorKey(n uint64) []byte { return module.Key(GxOperatorPrefix, module.Uint64(n)) }

// GxEmissionsKey is the key of account n's verified emissions of fiscal
// year fy.
func GxEmissionsKey(n uint64, fy uint32) []byte {
	return module.Key(GxEmissionsPrefix, module.Uint64(n), binary.BigEndian.AppendUint32(nil, fy))
}

// GxOperatorStoreKey and GxEmissionsStoreKey are the full state keys.
func GxOperatorStoreKey(n uint64) []byte { return module.Key([]byte(StorePrefix), GxOperatorKey(n)) }

// GxEmissionsStoreKey is the full state key of GxEmissionsKey(n, fy).
func GxEmissionsStoreKey(n uint64, fy uint32) []byte {
	return module.Key([]byte(StorePrefix), GxEmissionsKey(n, fy))
}

// GxCap is the J-Credit cap of an operator: floor(verified * percent /
// 100), in integers (no rounding up, no floats). verified is at most a
// few 10^8 t-CO2 and percent at most 100, so the product fits in 64 bits.
func GxCap(verified uint64, percent uint32) uint64 { return verified * uint64(percent) / 100 }

// CheckCorporateNumber checks a 法人番号: 13 digits, the first a check
// digit equal to 9 - (Σ P_n·Q_n mod 9) over the other twelve digits, P_n
// the n-th from the right and Q_n 1 for odd n, 2 for even n (National Tax
// Agency, 法人番号の指定等に関する省令 第2条).
func CheckCorporateNumber(s string) error {
	if len(s) != 13 {
		return fmt.Errorf("corporate number %q must be 13 digits", s)
	}
	sum := 0
	for i := 1; i <= 12; i++ {
		c := s[13-i]
		if c < '0' || c > '9' {
			return fmt.Errorf("corporate number %q must be 13 digits", s)
		}
		q := 1
		if i%2 == 0 {
			q = 2
		}
		sum += int(c-'0') * q
	}
	if s[0] < '0' || s[0] > '9' {
		return fmt.Errorf("corporate number %q must be 13 digits", s)
	}
	if want := 9 - sum%9; int(s[0]-'0') != want {
		return fmt.Errorf("corporate number %s has check digit %c; its other digits give %d (check for a typo)", s, s[0], want)
	}
	return nil
}
