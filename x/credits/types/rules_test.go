package types_test

import (
	"math/rand"
	"testing"
	"time"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
)

// Fiscal years turn at midnight JST between 31 March and 1 April, whatever
// the zone a time is written in.
func TestFiscalYearInJST(t *testing.T) {
	for _, tc := range []struct {
		at        string
		fy        uint32
		aprToJune bool
	}{
		{"2026-03-31T23:59:59+09:00", 2025, false},
		{"2026-03-31T14:59:59Z", 2025, false}, // the same instant in UTC
		{"2026-04-01T00:00:00+09:00", 2026, true},
		{"2026-03-31T15:00:00Z", 2026, true}, // still 31 March in UTC
		{"2026-06-30T23:59:59+09:00", 2026, true},
		{"2026-06-30T15:00:00Z", 2026, false}, // 1 July 00:00 JST
		{"2027-01-15T12:00:00+09:00", 2026, false},
		{"2026-12-31T15:00:00Z", 2026, false}, // 1 January 2027 JST: still fiscal 2026
	} {
		at, err := time.Parse(time.RFC3339, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if fy := types.FiscalYear(at); fy != tc.fy {
			t.Errorf("%s: fiscal %d, want %d", tc.at, fy, tc.fy)
		}
		if got := types.InAprilToJune(at); got != tc.aprToJune {
			t.Errorf("%s: April to June %v", tc.at, got)
		}
	}
	for date, fy := range map[string]uint32{"2024-04-01": 2024, "2024-03-31": 2023, "2024-12-31": 2024, "2025-01-01": 2024, "bad": 0} {
		if got := types.DateFiscalYear(date); got != fy {
			t.Errorf("%s: fiscal %d, want %d", date, got, fy)
		}
	}
}

// The energy of a batch divides among its serials so that any blocks
// making up the batch sum to it exactly.
func TestEnergySharesSumExactly(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 200; i++ {
		issued := uint64(1 + rng.Intn(5000))
		total := uint64(rng.Int63n(1 << 40))
		if i%10 == 0 {
			total = ^uint64(0) / 2 // no overflow in the products
		}
		var sum uint64
		for start := uint64(1); start <= issued; {
			end := min(issued, start+uint64(rng.Intn(300)))
			share := types.EnergyShare(total, issued, start, end)
			if share > total {
				t.Fatalf("share %d of %d", share, total)
			}
			sum += share
			start = end + 1
		}
		if sum != total {
			t.Fatalf("issued %d, total %d: blocks sum to %d", issued, total, sum)
		}
	}
	// A serial's share differs from the average by less than one unit.
	if s := types.EnergyShare(1000, 3, 1, 1); s != 333 {
		t.Fatalf("first of three: %d", s)
	}
	if s := types.EnergyShare(1000, 3, 3, 3); s != 334 {
		t.Fatalf("last of three: %d", s)
	}
	if s := types.EnergyShare(10, 0, 1, 1); s != 0 {
		t.Fatalf("empty batch: %d", s)
	}
}

func TestIdentifiers(t *testing.T) {
	es, fo := creditsv1.Category_CATEGORY_ENERGY_SAVING, creditsv1.Category_CATEGORY_FOREST
	for _, tc := range []struct {
		scheme, ctype string
		cat           creditsv1.Category
		ok            bool
	}{
		{"JC", "ER", es, true}, {"JC", "FM", fo, true}, {"JCL", "ERL", es, true}, {"JCL", "FM", fo, true},
		{"JC", "ERL", es, false}, {"JCL", "ER", es, false}, {"JC", "ER", fo, false}, {"JC", "FM", es, false},
		{"KC", "KC", es, true}, {"KCP", "KCP", es, true}, {"KC", "KCP", es, false},
		{"JP", "JRM", fo, true}, {"JP", "KRM", fo, true}, {"JP", "ER", es, false}, {"JP", "jrm", fo, false},
		{"VCS", "ER", es, false}, {"", "", es, false},
	} {
		if err := types.CheckIdentifiers(tc.scheme, tc.ctype, tc.cat); (err == nil) != tc.ok {
			t.Errorf("%s/%s %s: %v", tc.scheme, tc.ctype, tc.cat, err)
		}
	}
	for _, c := range []string{"JCP-000001-R001", "0012-2023", "A", "KC/2010/15"} {
		if !types.ValidCertificationNumber(c) {
			t.Errorf("%q refused", c)
		}
	}
	for _, c := range []string{"", "-1", "with space", "あ"} {
		if types.ValidCertificationNumber(c) {
			t.Errorf("%q accepted", c)
		}
	}
}

func TestCorsiaPhases(t *testing.T) {
	for year, p := range map[uint32]creditsv1.CorsiaPhase{
		2020: 0, 2021: creditsv1.CorsiaPhase_CORSIA_PHASE_PILOT, 2023: creditsv1.CorsiaPhase_CORSIA_PHASE_PILOT,
		2024: creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST, 2026: creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST,
		2027: creditsv1.CorsiaPhase_CORSIA_PHASE_SECOND, 2035: creditsv1.CorsiaPhase_CORSIA_PHASE_FOURTH, 2036: 0,
	} {
		if got := types.CorsiaPhaseOf(year); got != p {
			t.Errorf("%d: %s, want %s", year, got, p)
		}
	}
	if s := types.CorsiaPhaseYears(creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST); s != "first phase 2024-2026" {
		t.Errorf("%q", s)
	}
}

// Free text naming a prefecture maps to its JIS X 0401 code; text naming
// none maps to "" (unknown).
func TestPrefectureCodes(t *testing.T) {
	for text, code := range map[string]string{
		"JP-26": "26", "jp-01": "01", "26": "26", "京都府": "26", "京都": "26", "Kyoto": "26", "kyoto-fu": "26",
		"Kyoto Prefecture": "26", "東京都": "13", "東京": "13", "Tokyo-to": "13", "北海道": "01", "Hokkaido": "01",
		"沖縄県": "47", " Okinawa ": "47", "大阪": "27",
		"JP-48": "", "00": "", "Kanto": "", "": "", "京": "",
	} {
		if got := types.PrefectureCodeOf(text); got != code {
			t.Errorf("%q: %q, want %q", text, got, code)
		}
	}
	if err := types.CheckLocation(&creditsv1.Location{PrefectureCode: "26", MunicipalityCode: "26206"}); err != nil {
		t.Error(err)
	}
	for _, l := range []*creditsv1.Location{
		nil, {}, {PrefectureCode: "48"}, {PrefectureCode: "6"}, {PrefectureCode: "26", MunicipalityCode: "13101"},
		{PrefectureCode: "26", MunicipalityCode: "2620"},
	} {
		if err := types.CheckLocation(l); err == nil {
			t.Errorf("%v accepted", l)
		}
	}
}

func TestSamePlace(t *testing.T) {
	kyoto := &creditsv1.Location{PrefectureCode: "26"}
	kameoka := &creditsv1.Location{PrefectureCode: "26", Municipality: "亀岡市", MunicipalityCode: "26206"}
	uji := &creditsv1.Location{PrefectureCode: "26", Municipality: "宇治市", MunicipalityCode: "26204"}
	ujiByName := &creditsv1.Location{PrefectureCode: "26", Municipality: "宇治市"}
	tokyo := &creditsv1.Location{PrefectureCode: "13"}
	for _, tc := range []struct {
		a, b *creditsv1.Location
		same bool
	}{
		{kyoto, tokyo, false}, {kameoka, uji, false}, {kameoka, ujiByName, false}, {uji, ujiByName, true},
		{kyoto, kameoka, true}, {kameoka, kameoka, true}, {nil, tokyo, true}, {&creditsv1.Location{}, tokyo, true},
	} {
		if got := types.SamePlace(tc.a, tc.b); got != tc.same {
			t.Errorf("%v / %v: same=%v", tc.a, tc.b, got)
		}
	}
}
