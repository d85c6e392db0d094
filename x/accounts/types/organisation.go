package types

import (
	"sort"

	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// Errors of organisation details, declared here beside the checks so that
// the CLI and the API refuse a bad number with the same code as the chain
// (codes 100-119 are issue 15's range of the accounts codespace).
var (
	ErrInvalidCorporateNumber = module.NewError(ModuleName, 100, "invalid corporate number (法人番号)")
	ErrInvalidCountry         = module.NewError(ModuleName, 101, "invalid country code")
)

// CorporateNumberLen is the length of a 法人番号: one check digit and the
// twelve-digit base number (基礎番号, for a registered company its 会社法人等
// 番号).
const CorporateNumberLen = 13

// CorporateCheckDigit computes the check digit (検査用数字) of a 12-digit
// base number as the Ministry of Finance ordinance on corporate numbers
// prescribes (法人番号の指定等に関する省令, 平成26年財務省令第70号, 第2条;
// published by the National Tax Agency, 国税庁法人番号公表サイト):
//
//	check = 9 - ((Σ_{n=1..12} Pn × Qn) mod 9)
//
// where Pn is the n-th digit of the base counted from its lowest
// (rightmost) digit and Qn is 1 for odd n, 2 for even n. The result is
// 1..9, never 0. It reports false unless base is exactly 12 ASCII digits.
func CorporateCheckDigit(base string) (byte, bool) {
	if len(base) != CorporateNumberLen-1 {
		return 0, false
	}
	sum := 0
	for n := 1; n <= 12; n++ {
		c := base[12-n]
		if c < '0' || c > '9' {
			return 0, false
		}
		q := 1
		if n%2 == 0 {
			q = 2
		}
		sum += int(c-'0') * q
	}
	return byte('0' + 9 - sum%9), true
}

// ValidateCorporateNumber checks a 法人番号: 13 ASCII digits whose first is
// the check digit of the other twelve. (The rule catches any single wrong
// digit except a 0 written for a 9 or the reverse, which the ordinance's
// modulus 9 cannot tell apart.)
func ValidateCorporateNumber(s string) error {
	if len(s) != CorporateNumberLen {
		return ErrInvalidCorporateNumber.Wrapf("%q has %d characters; a corporate number has 13 digits (the check digit, then the 12-digit base)", s, len(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return ErrInvalidCorporateNumber.Wrapf("%q: character %d is not a digit 0-9 (write the number without hyphens or spaces)", s, i+1)
		}
	}
	want, _ := CorporateCheckDigit(s[1:])
	if s[0] != want {
		return ErrInvalidCorporateNumber.Wrapf("%q: the check digit is %c, but the base %s gives %c; check the number against the National Tax Agency's site (houjin-bangou.nta.go.jp)", s, s[0], s[1:], want)
	}
	return nil
}

// ValidateCountry accepts exactly the officially assigned ISO 3166-1
// alpha-2 codes (upper case), and nothing reserved, user-assigned ("XX",
// "AA", "QM".."QZ", "XA".."XZ", "ZZ") or withdrawn.
func ValidateCountry(code string) error {
	i := sort.SearchStrings(iso3166Alpha2, code)
	if i < len(iso3166Alpha2) && iso3166Alpha2[i] == code {
		return nil
	}
	return ErrInvalidCountry.Wrapf("%q is not an officially assigned ISO 3166-1 alpha-2 country code; give the two upper-case letters of the country, such as JP, US, SG", code)
}

// iso3166Alpha2 are the 249 officially assigned ISO 3166-1 alpha-2 codes,
// sorted (ISO 3166 Maintenance Agency, Online Browsing Platform). The list
// is part of the state machine: a change is a consensus change and ships
// with a release, not with a dependency update.
var iso3166Alpha2 = []string{
	"AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
	"BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ",
	"CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ",
	"DE", "DJ", "DK", "DM", "DO", "DZ",
	"EC", "EE", "EG", "EH", "ER", "ES", "ET",
	"FI", "FJ", "FK", "FM", "FO", "FR",
	"GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY",
	"HK", "HM", "HN", "HR", "HT", "HU",
	"ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT",
	"JE", "JM", "JO", "JP",
	"KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ",
	"LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
	"MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ",
	"NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
	"OM",
	"PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY",
	"QA",
	"RE", "RO", "RS", "RU", "RW",
	"SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ",
	"TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ",
	"UA", "UG", "UM", "US", "UY", "UZ",
	"VA", "VC", "VE", "VG", "VI", "VN", "VU",
	"WF", "WS",
	"YE", "YT",
	"ZA", "ZM", "ZW",
}
