package types

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// Statistics and account totals: counters kept in state (a Counter each,
// deleted at 0, so an absent key is a proven 0).
//
//	st/<dimension 1B><measure 1B><value>                  -> Counter
//	ta/<account# 8B><use 1B><fiscal year 4B>              -> Counter (credits retired for it)
//
// The dimension and measure bytes are the StatDimension and StatMeasure
// enum numbers, and one more dimension that the queries do not name on its
// own: use within fiscal year (DimUseFiscalYear). Values:
//
//	total          (none)
//	category       1B Category
//	vintage year   4B year
//	methodology    the code's bytes (the rest of the key)
//	prefecture     the JIS X 0401 code's 2 bytes ("" when unknown)
//	fiscal year    4B year
//	use            1B Use
//	use in year    1B Use, 4B year
//
// Active credits are not counted but computed (issued - locked - retired -
// cancelled), so that a retirement writes one counter per batch dimension.
// Retirement records are counted in total and by fiscal year. An account
// total's use 0 counts every use, each retirement once.
var (
	StatsPrefix         = []byte("st/")
	AccountTotalsPrefix = []byte("ta/")
)

// Dimension bytes of the statistics' keys.
const (
	DimTotal       = byte(creditsv1.StatDimension_STAT_DIMENSION_TOTAL)
	DimCategory    = byte(creditsv1.StatDimension_STAT_DIMENSION_CATEGORY)
	DimVintageYear = byte(creditsv1.StatDimension_STAT_DIMENSION_VINTAGE_YEAR)
	DimMethodology = byte(creditsv1.StatDimension_STAT_DIMENSION_METHODOLOGY)
	DimPrefecture  = byte(creditsv1.StatDimension_STAT_DIMENSION_PREFECTURE)
	DimFiscalYear  = byte(creditsv1.StatDimension_STAT_DIMENSION_FISCAL_YEAR)
	DimUse         = byte(creditsv1.StatDimension_STAT_DIMENSION_USE)
	// DimUseFiscalYear counts retirements by use within a fiscal year.
	DimUseFiscalYear = byte(8)
)

// StatKey is the key of one statistic under StorePrefix.
func StatKey(dim byte, m creditsv1.StatMeasure, value []byte) []byte {
	return module.Key(StatsPrefix, []byte{dim, byte(m)}, value)
}

// StatPrefix is the prefix of every value of a dimension's measure.
func StatPrefix(dim byte, m creditsv1.StatMeasure) []byte {
	return module.Key(StatsPrefix, []byte{dim, byte(m)})
}

// StatStoreKey is StatKey with the module's store prefix: what a proof of a
// total proves.
func StatStoreKey(dim byte, m creditsv1.StatMeasure, value []byte) []byte {
	return module.Key([]byte(StorePrefix), StatKey(dim, m, value))
}

// Values of the statistics' keys.

func CategoryValue(c creditsv1.Category) []byte { return []byte{byte(c)} }
func YearValue(y uint32) []byte                 { return binary.BigEndian.AppendUint32(nil, y) }
func UseValue(u creditsv1.Use) []byte           { return []byte{byte(u)} }
func UseYearValue(u creditsv1.Use, fy uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{byte(u)}, fy)
}

// BatchStatValues are the values of batch b in each batch dimension, in
// the order the counters are updated: total, category, vintage year,
// methodology, prefecture.
func BatchStatValues(b *creditsv1.Batch) [5]struct {
	Dim   byte
	Value []byte
} {
	return [5]struct {
		Dim   byte
		Value []byte
	}{
		{DimTotal, nil},
		{DimCategory, CategoryValue(b.Category)},
		{DimVintageYear, YearValue(VintageYear(b.VintageStart))},
		{DimMethodology, []byte(b.Methodology)},
		{DimPrefecture, []byte(b.Origin.GetPrefectureCode())},
	}
}

// AccountTotalKey is the key of what was retired for account n, for use
// (0: every use) in fiscal year fy, under StorePrefix.
func AccountTotalKey(n uint64, use creditsv1.Use, fy uint32) []byte {
	return module.Key(AccountTotalsPrefix, module.Uint64(n), []byte{byte(use)}, YearValue(fy))
}

// AccountTotalsOf is the prefix of account n's totals.
func AccountTotalsOf(n uint64) []byte {
	return module.Key(AccountTotalsPrefix, module.Uint64(n))
}

// ParseAccountTotalKey reads the use and fiscal year of an account total's
// key, given without AccountTotalsOf.
func ParseAccountTotalKey(rest []byte) (creditsv1.Use, uint32, bool) {
	if len(rest) != 5 {
		return 0, 0, false
	}
	return creditsv1.Use(rest[0]), binary.BigEndian.Uint32(rest[1:]), true
}

// UseCode is how people write a use: "re100", "global-warming-act".
func UseCode(u creditsv1.Use) string {
	name, ok := creditsv1.Use_name[int32(u)]
	if !ok || u == creditsv1.Use_USE_UNSPECIFIED {
		return ""
	}
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(name, "USE_")), "_", "-")
}

// UseOfCode parses a use as people write it (any case, '-' or '_',
// with or without the USE_ prefix).
func UseOfCode(s string) (creditsv1.Use, bool) {
	name := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "-", "_"))
	if !strings.HasPrefix(name, "USE_") {
		name = "USE_" + name
	}
	v, ok := creditsv1.Use_value[name]
	if !ok || v == 0 {
		return 0, false
	}
	return creditsv1.Use(v), true
}

// MeasureCode is how a subject writes a measure: "retired".
func MeasureCode(m creditsv1.StatMeasure) string {
	name, ok := creditsv1.StatMeasure_name[int32(m)]
	if !ok || m == creditsv1.StatMeasure_STAT_MEASURE_UNSPECIFIED {
		return ""
	}
	return strings.ToLower(strings.TrimPrefix(name, "STAT_MEASURE_"))
}

// Total names one counter: a statistic (Account 0) or an account total.
// It is the subject of a proof of kind "total", written as text by
// String: the measure, then the parts that are set, in this order:
//
//	retired,use=re100,fiscal_year=2025
//	retired,account=12,use=re100,fiscal_year=2025      (retired for account 12)
//	retired,account=12,fiscal_year=2025                (for it, every use)
//	issued,category=RE   retired,vintage_year=2024   cancelled,methodology=EN-S-001
//	issued,prefecture=26 (prefecture=unknown: batches that record none)
//	retirements,fiscal_year=2025
//
// (commas, so that a subject is one segment of a URL path).
//
// At most one batch dimension (category, vintage year, methodology,
// prefecture) is set, and then no use, fiscal year or account; use counts
// retired credits, fiscal year retired credits and retirements; an account
// total counts retired credits and names its fiscal year. Active credits
// are not a counter (prove issued, locked, retired and cancelled).
type Total struct {
	Measure     creditsv1.StatMeasure
	Account     uint64
	Category    creditsv1.Category
	VintageYear uint32
	Methodology string
	// Prefecture is the JIS X 0401 code; HasPrefecture with "" means
	// batches whose place of creation is unknown.
	Prefecture    string
	HasPrefecture bool
	Use           creditsv1.Use
	FiscalYear    uint32
}

// UnknownPrefecture is how a subject writes an unknown prefecture.
const UnknownPrefecture = "unknown"

// String is the total's one canonical spelling.
func (t Total) String() string {
	parts := []string{MeasureCode(t.Measure)}
	if t.Account != 0 {
		parts = append(parts, "account="+strconv.FormatUint(t.Account, 10))
	}
	if t.Category != 0 {
		parts = append(parts, "category="+CategoryCode(t.Category))
	}
	if t.VintageYear != 0 {
		parts = append(parts, "vintage_year="+strconv.FormatUint(uint64(t.VintageYear), 10))
	}
	if t.Methodology != "" {
		parts = append(parts, "methodology="+t.Methodology)
	}
	if t.HasPrefecture {
		p := t.Prefecture
		if p == "" {
			p = UnknownPrefecture
		}
		parts = append(parts, "prefecture="+p)
	}
	if t.Use != 0 {
		parts = append(parts, "use="+UseCode(t.Use))
	}
	if t.FiscalYear != 0 {
		parts = append(parts, "fiscal_year="+strconv.FormatUint(uint64(t.FiscalYear), 10))
	}
	return strings.Join(parts, ",")
}

// ParseTotal reads a total's subject (as String writes it; enum values in
// any case) and checks that it names a counter the registry keeps.
func ParseTotal(s string) (Total, error) {
	parts := strings.Split(s, ",")
	var t Total
	m, ok := creditsv1.StatMeasure_value["STAT_MEASURE_"+strings.ToUpper(parts[0])]
	if !ok || m == 0 {
		return t, fmt.Errorf("%q: a total starts with what it counts: issued, active, locked, retired, cancelled or retirements", s)
	}
	t.Measure = creditsv1.StatMeasure(m)
	seen := map[string]bool{}
	for _, p := range parts[1:] {
		name, val, ok := strings.Cut(p, "=")
		if !ok || val == "" {
			return t, fmt.Errorf("%q: %q is not name=value", s, p)
		}
		if seen[name] {
			return t, fmt.Errorf("%q: %s is given twice", s, name)
		}
		seen[name] = true
		switch name {
		case "account":
			n, err := strconv.ParseUint(val, 10, 64)
			if err != nil || n == 0 {
				return t, fmt.Errorf("%q: account is an account number (1 or more), not %q", s, val)
			}
			t.Account = n
		case "category":
			c, ok := CategoryOfCode(strings.ToUpper(val))
			if !ok {
				return t, fmt.Errorf("%q: category is a code (ES, RE, RH, IP, AG, WA, FO), not %q", s, val)
			}
			t.Category = c
		case "vintage_year", "fiscal_year":
			y, err := strconv.ParseUint(val, 10, 32)
			if err != nil || y < 1900 || y > 9999 {
				return t, fmt.Errorf("%q: %s is a year like 2025, not %q", s, name, val)
			}
			if name == "vintage_year" {
				t.VintageYear = uint32(y)
			} else {
				t.FiscalYear = uint32(y)
			}
		case "methodology":
			t.Methodology = val
		case "prefecture":
			t.HasPrefecture = true
			if !strings.EqualFold(val, UnknownPrefecture) {
				if !ValidPrefectureCode(val) {
					return t, fmt.Errorf("%q: prefecture is a JIS X 0401 code 01 to 47 (or unknown), not %q", s, val)
				}
				t.Prefecture = val
			}
		case "use":
			u, ok := UseOfCode(val)
			if !ok {
				return t, fmt.Errorf("%q: %q is not a use", s, val)
			}
			t.Use = u
		default:
			return t, fmt.Errorf("%q: unknown part %q (account, category, vintage_year, methodology, prefecture, use, fiscal_year)", s, name)
		}
	}
	return t, t.check()
}

// check refuses the combinations no counter keeps.
func (t Total) check() error {
	batchDims := 0
	for _, set := range []bool{t.Category != 0, t.VintageYear != 0, t.Methodology != "", t.HasPrefecture} {
		if set {
			batchDims++
		}
	}
	retirementDims := t.Use != 0 || t.FiscalYear != 0
	switch {
	case t.Measure == creditsv1.StatMeasure_STAT_MEASURE_ACTIVE:
		return fmt.Errorf("%s: active credits are not counted but computed (issued - locked - retired - cancelled): prove those", t)
	case t.Account != 0:
		if t.Measure != creditsv1.StatMeasure_STAT_MEASURE_RETIRED {
			return fmt.Errorf("%s: an account's totals count retired credits", t)
		}
		if batchDims > 0 {
			return fmt.Errorf("%s: an account's totals are by use and fiscal year only", t)
		}
		if t.FiscalYear == 0 {
			return fmt.Errorf("%s: name the fiscal year of the account's total", t)
		}
	case batchDims > 1:
		return fmt.Errorf("%s: the registry counts by one of category, vintage year, methodology and prefecture at a time", t)
	case batchDims == 1 && retirementDims:
		return fmt.Errorf("%s: use and fiscal year count retirements, not batches by category, vintage, methodology or prefecture", t)
	case batchDims == 1 && t.Measure == creditsv1.StatMeasure_STAT_MEASURE_RETIREMENTS:
		return fmt.Errorf("%s: retirement records are counted in total, by use and by fiscal year", t)
	case retirementDims && t.Measure != creditsv1.StatMeasure_STAT_MEASURE_RETIRED && t.Measure != creditsv1.StatMeasure_STAT_MEASURE_RETIREMENTS:
		return fmt.Errorf("%s: by use and fiscal year the registry counts retired credits and retirements", t)
	case t.Use != 0 && t.Measure == creditsv1.StatMeasure_STAT_MEASURE_RETIREMENTS:
		return fmt.Errorf("%s: retirement records are counted in total and by fiscal year, not by use", t)
	}
	return nil
}

// Key is the total's key under StorePrefix.
func (t Total) Key() []byte {
	if t.Account != 0 {
		return AccountTotalKey(t.Account, t.Use, t.FiscalYear)
	}
	switch {
	case t.Category != 0:
		return StatKey(DimCategory, t.Measure, CategoryValue(t.Category))
	case t.VintageYear != 0:
		return StatKey(DimVintageYear, t.Measure, YearValue(t.VintageYear))
	case t.Methodology != "":
		return StatKey(DimMethodology, t.Measure, []byte(t.Methodology))
	case t.HasPrefecture:
		return StatKey(DimPrefecture, t.Measure, []byte(t.Prefecture))
	case t.Use != 0 && t.FiscalYear != 0:
		return StatKey(DimUseFiscalYear, t.Measure, UseYearValue(t.Use, t.FiscalYear))
	case t.Use != 0:
		return StatKey(DimUse, t.Measure, UseValue(t.Use))
	case t.FiscalYear != 0:
		return StatKey(DimFiscalYear, t.Measure, YearValue(t.FiscalYear))
	}
	return StatKey(DimTotal, t.Measure, nil)
}

// StoreKey is the total's full state key.
func (t Total) StoreKey() []byte { return module.Key([]byte(StorePrefix), t.Key()) }

// Describe says what the total counts, for a sentence: "retired for use
// RE100 in FY2025".
func (t Total) Describe() string {
	var b strings.Builder
	b.WriteString(MeasureCode(t.Measure))
	if t.Measure == creditsv1.StatMeasure_STAT_MEASURE_RETIREMENTS {
		b.WriteString(" (records)")
	}
	if t.Account != 0 {
		fmt.Fprintf(&b, " for account #%d", t.Account)
	}
	switch {
	case t.Category != 0:
		fmt.Fprintf(&b, " of category %s", CategoryCode(t.Category))
	case t.VintageYear != 0:
		fmt.Fprintf(&b, " of vintage %d", t.VintageYear)
	case t.Methodology != "":
		fmt.Fprintf(&b, " under methodology %s", t.Methodology)
	case t.HasPrefecture && t.Prefecture == "":
		b.WriteString(" created in an unrecorded place")
	case t.HasPrefecture:
		fmt.Fprintf(&b, " created in prefecture %s", t.Prefecture)
	}
	if t.Use != 0 {
		fmt.Fprintf(&b, " for use %s", strings.TrimPrefix(t.Use.String(), "USE_"))
	} else if t.Account != 0 {
		b.WriteString(" for every use")
	}
	if t.FiscalYear != 0 {
		fmt.Fprintf(&b, " in FY%d", t.FiscalYear)
	}
	return b.String()
}

// LowerEnum writes an enum value's name as the query parameters do:
// STAT_DIMENSION_VINTAGE_YEAR -> vintage_year.
func LowerEnum(name, prefix string) string { return strings.ToLower(strings.TrimPrefix(name, prefix)) }
