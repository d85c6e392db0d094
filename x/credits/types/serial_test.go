package types_test

import (
	"errors"
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
)

func TestSerialRoundTrip(t *testing.T) {
	cases := []struct {
		s    types.Serial
		want string
	}{
		{types.Serial{Batch: 1, Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageYear: 2024, Start: 1, End: 1}, "JC-00000001-RE-2024-0000000001"},
		{types.Serial{Batch: 42, Category: creditsv1.Category_CATEGORY_ENERGY_SAVING, VintageYear: 2013, Start: 1, End: 1_000_000_000}, "JC-00000042-ES-2013-0000000001-1000000000"},
		{types.Serial{Batch: 123_456_789, Category: creditsv1.Category_CATEGORY_FOREST, VintageYear: 2030, Start: 12_345_678_901, End: 12_345_678_999}, "JC-123456789-FO-2030-12345678901-12345678999"},
		{types.Serial{Batch: 7, Category: creditsv1.Category_CATEGORY_WASTE, VintageYear: 999, Start: 5, End: 6}, "JC-00000007-WA-0999-0000000005-0000000006"},
	}
	for _, c := range cases {
		got := types.FormatSerial(c.s)
		if got != c.want {
			t.Errorf("format %+v = %s, want %s", c.s, got, c.want)
		}
		back, err := types.ParseSerial(got)
		if err != nil || back != c.s {
			t.Errorf("parse %s = %+v, %v", got, back, err)
		}
		if back.Quantity() != c.s.End-c.s.Start+1 {
			t.Errorf("quantity of %s", got)
		}
	}
	for _, cat := range []creditsv1.Category{1, 2, 3, 4, 5, 6, 7} {
		s := types.Serial{Batch: 3, Category: cat, VintageYear: 2024, Start: 9, End: 9}
		if back, err := types.ParseSerial(s.String()); err != nil || back != s {
			t.Errorf("category %s does not round-trip: %v", cat, err)
		}
	}
}

// malformed are strings ParseSerial must reject: each differs from a valid
// serial in one way.
var malformed = []string{
	"",
	"JC-00000001-RE-2024", // no serial
	"JC-00000001-RE-2024-0000000001-0000000002-3",         // too many fields
	"JX-00000001-RE-2024-0000000001",                      // prefix
	"jc-00000001-RE-2024-0000000001",                      // case
	"JC-1-RE-2024-0000000001",                             // batch not padded
	"JC-000000001-RE-2024-0000000001",                     // batch over-padded
	"JC-00000000-RE-2024-0000000001",                      // batch 0
	"JC-00000001-XX-2024-0000000001",                      // category
	"JC-00000001-re-2024-0000000001",                      // category case
	"JC-00000001-RE-24-0000000001",                        // year
	"JC-00000001-RE-0000-0000000001",                      // year 0
	"JC-00000001-RE-2024-1",                               // serial not padded
	"JC-00000001-RE-2024-0000000000",                      // serial 0
	"JC-00000001-RE-2024-00000000001",                     // serial over-padded
	"JC-00000001-RE-2024-0000000005-0000000005",           // block of one
	"JC-00000001-RE-2024-0000000005-0000000004",           // reversed
	"JC-00000001-RE-2024-+000000005",                      // sign
	"JC-00000001-RE-2024-0000000001 ",                     // trailing space
	"JC-00000001-RE-2024-99999999999999999999",            // overflow
	"JC-00000001-RE-2024-0000000001-",                     // empty end
	"JC-00000001-RE-2024-0000000001-00000000１2",           // non-ASCII digit
	"JC--00000001-RE-2024-0000000001",                     // empty field
	"JC-00000001-RE-2024-0000000001-18446744073709551616", // end overflow
}

func TestParseSerialRejectsMalformed(t *testing.T) {
	for _, s := range malformed {
		if got, err := types.ParseSerial(s); !errors.Is(err, types.ErrInvalidSerial) {
			t.Errorf("ParseSerial(%q) = %+v, %v; want ErrInvalidSerial", s, got, err)
		}
	}
}

func TestBatchID(t *testing.T) {
	if id := types.BatchID(42); id != "JC-00000042" {
		t.Fatal(id)
	}
	if n, err := types.ParseBatchID("JC-00000042"); err != nil || n != 42 {
		t.Fatal(n, err)
	}
	for _, bad := range []string{"JC-42", "JC-00000000", "JCB-00000001", "JC-00000001-RE"} {
		if _, err := types.ParseBatchID(bad); !errors.Is(err, types.ErrInvalidSerial) {
			t.Errorf("ParseBatchID(%q): %v", bad, err)
		}
	}
}

// FuzzParseSerial: whatever ParseSerial accepts is canonical, so it formats
// back to the same string; and formatting never yields a string the parser
// rejects. The seed corpus (valid and malformed strings) runs in go test.
func FuzzParseSerial(f *testing.F) {
	f.Add("JC-00000001-RE-2024-0000000001")
	f.Add("JC-00000042-ES-2013-0000000001-1000000000")
	f.Add("JC-123456789-FO-2030-12345678901-12345678999")
	for _, s := range malformed {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, str string) {
		s, err := types.ParseSerial(str)
		if err != nil {
			if !errors.Is(err, types.ErrInvalidSerial) {
				t.Fatalf("ParseSerial(%q): error of the wrong kind: %v", str, err)
			}
			return
		}
		if out := types.FormatSerial(s); out != str {
			t.Fatalf("ParseSerial(%q) formats back as %q", str, out)
		}
		if s.Start < 1 || s.End < s.Start || s.Batch < 1 {
			t.Fatalf("ParseSerial(%q) accepted %+v", str, s)
		}
	})
}
