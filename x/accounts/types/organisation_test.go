package types_test

import (
	"errors"
	"testing"

	"github.com/jcredit/jcredit/x/accounts/types"
)

// TestCorporateNumber is the 法人番号 check-digit table: real numbers
// published on the National Tax Agency's site, each with one digit off,
// and malformed strings.
func TestCorporateNumber(t *testing.T) {
	for _, c := range []struct {
		name, number string
		ok           bool
	}{
		{"国税庁 (National Tax Agency)", "7000012050002", true},
		{"トヨタ自動車株式会社", "1180301018771", true},
		{"a company (sum 74, remainder 2 -> 7)", "7123456789012", true},
		{"東京都 (a local government: base 00…, 3 in the 8th digit)", "8000020130001", true},
		{"wrong check digit", "6000012050002", false},
		{"wrong check digit (Toyota, 2 for 1)", "2180301018771", false},
		{"one base digit off", "7000012050003", false},
		{"two digits swapped in the base", "7000012500002", false},
		{"wrong length: the 12-digit base alone", "000012050002", false},
		{"wrong length: 14 digits", "70000120500020", false},
		{"empty", "", false},
		{"non-digit", "700001205000A", false},
		{"hyphenated", "7-0000-1205-0002", false},
		{"full-width digits", "７００００１２０５０００２", false},
		{"space", "700001205000 ", false},
		{"check digit 0 never occurs", "0000012050002", false},
	} {
		err := types.ValidateCorporateNumber(c.number)
		if c.ok != (err == nil) {
			t.Errorf("%s: ValidateCorporateNumber(%q) = %v, want ok=%v", c.name, c.number, err, c.ok)
		}
		if err != nil && !errors.Is(err, types.ErrInvalidCorporateNumber) {
			t.Errorf("%s: %v is not ErrInvalidCorporateNumber", c.name, err)
		}
	}
	// The ordinance's modulus 9 cannot tell 0 from 9: documented, not hidden.
	if d, _ := types.CorporateCheckDigit("000012050002"); d != '7' {
		t.Fatalf("check digit %c", d)
	}
	if a, _ := types.CorporateCheckDigit("000012050002"); a != func() byte { b, _ := types.CorporateCheckDigit("900012050002"); return b }() {
		t.Fatal("0 and 9 should give the same check digit (modulus 9)")
	}
}

func TestCountry(t *testing.T) {
	for _, ok := range []string{"JP", "US", "SG", "GB", "AX", "SS", "BQ", "CW", "ZW", "AD"} {
		if err := types.ValidateCountry(ok); err != nil {
			t.Errorf("ValidateCountry(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{
		"XX", "AA", "QM", "XA", "ZZ", // user-assigned
		"UK", "EU", "UN", // exceptionally reserved, not assigned
		"SU", "YU", "AN", // withdrawn
		"XK", // Kosovo: a user-assigned code, not ISO's
		"jp", "Jp", "J", "JPN", "", "392",
	} {
		if err := types.ValidateCountry(bad); !errors.Is(err, types.ErrInvalidCountry) {
			t.Errorf("ValidateCountry(%q) = %v, want ErrInvalidCountry", bad, err)
		}
	}
}
