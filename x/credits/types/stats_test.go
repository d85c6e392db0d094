package types

import (
	"bytes"
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// A total has one spelling: parsing what String writes gives the same
// total and key; other spellings parse to the canonical one; combinations
// no counter keeps are refused.
func TestTotalSpelling(t *testing.T) {
	for _, c := range []struct {
		in, canonical string
		key           []byte
	}{
		{"retired", "retired", StatKey(DimTotal, creditsv1.StatMeasure_STAT_MEASURE_RETIRED, nil)},
		{"retired,use=re100,fiscal_year=2025", "", StatKey(DimUseFiscalYear, creditsv1.StatMeasure_STAT_MEASURE_RETIRED, UseYearValue(creditsv1.Use_USE_RE100, 2025))},
		{"retired,fiscal_year=2025,use=RE100", "retired,use=re100,fiscal_year=2025", nil},
		{"retired,use=global_warming_act_emission_factor", "retired,use=global-warming-act-emission-factor", StatKey(DimUse, creditsv1.StatMeasure_STAT_MEASURE_RETIRED, UseValue(creditsv1.Use_USE_GLOBAL_WARMING_ACT_EMISSION_FACTOR))},
		{"retirements,fiscal_year=2024", "", StatKey(DimFiscalYear, creditsv1.StatMeasure_STAT_MEASURE_RETIREMENTS, YearValue(2024))},
		{"issued,category=re", "issued,category=RE", StatKey(DimCategory, creditsv1.StatMeasure_STAT_MEASURE_ISSUED, CategoryValue(creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY))},
		{"cancelled,prefecture=UNKNOWN", "cancelled,prefecture=unknown", StatKey(DimPrefecture, creditsv1.StatMeasure_STAT_MEASURE_CANCELLED, nil)},
		{"locked,methodology=EN-S-001", "", StatKey(DimMethodology, creditsv1.StatMeasure_STAT_MEASURE_LOCKED, []byte("EN-S-001"))},
		{"retired,account=12,fiscal_year=2025", "", AccountTotalKey(12, 0, 2025)},
		{"retired,fiscal_year=2025,account=12,use=sbti", "retired,account=12,use=sbti,fiscal_year=2025", AccountTotalKey(12, creditsv1.Use_USE_SBTI, 2025)},
	} {
		tot, err := ParseTotal(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		want := c.canonical
		if want == "" {
			want = c.in
		}
		if tot.String() != want {
			t.Fatalf("%s is written %s, want %s", c.in, tot.String(), want)
		}
		again, err := ParseTotal(tot.String())
		if err != nil || again != tot {
			t.Fatalf("%s: round trip %v %v", c.in, again, err)
		}
		if c.key != nil && !bytes.Equal(tot.Key(), c.key) {
			t.Fatalf("%s: key %x, want %x", c.in, tot.Key(), c.key)
		}
	}
	for _, bad := range []string{"", "active", "retired,", "retired,use=", "retired,use=nothing", "retired,category=XX", "issued,category=RE,vintage_year=2024",
		"retired,category=RE,use=re100", "issued,use=re100", "retirements,use=re100", "retirements,category=RE", "retired,account=0,fiscal_year=2025",
		"retired,account=12", "issued,account=12,fiscal_year=2025", "retired,fiscal_year=99", "retired,prefecture=48", "retired,use=re100,use=cdp", "retired,colour=green"} {
		if tot, err := ParseTotal(bad); err == nil {
			t.Fatalf("%q parsed as %s", bad, tot)
		}
	}
}
