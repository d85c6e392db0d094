package types

import (
	"fmt"
	"math/bits"
	"regexp"
	"strings"
	"time"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// The facts the scheme's rules are written in, defined once: Japanese
// fiscal years, the official identifiers of a batch, places (JIS X 0401),
// CORSIA phases and how a batch's energy quantities divide among its
// serials. x/credits applies them; the CLI and the page explain them with
// the same functions.

// JST is Japan Standard Time (UTC+9, no daylight saving). A fixed zone, so
// that no node's time-zone database can change a result.
var JST = time.FixedZone("JST", 9*60*60)

// FiscalYear is the Japanese fiscal year (April to March) of t, read in
// JST: 2026-03-31 23:59 JST is fiscal 2025, 2026-04-01 00:00 JST fiscal
// 2026. t is always a block time, never the local clock.
func FiscalYear(t time.Time) uint32 {
	j := t.In(JST)
	if j.Month() < time.April {
		return uint32(j.Year() - 1)
	}
	return uint32(j.Year())
}

// InAprilToJune reports whether t falls from 1 April to 30 June (JST),
// when 温対法 reports may still count credits for the previous fiscal
// year.
func InAprilToJune(t time.Time) bool {
	m := t.In(JST).Month()
	return m >= time.April && m <= time.June
}

// DateFiscalYear is the fiscal year of a "YYYY-MM-DD" date (0 if it is
// malformed).
func DateFiscalYear(date string) uint32 {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0
	}
	if d.Month() < time.April {
		return uint32(d.Year() - 1)
	}
	return uint32(d.Year())
}

// EnergyShare is the part of a batch's energy quantity total carried by
// its serials [start, end] when the batch has issued credits: serial k
// carries floor(total*k/issued) - floor(total*(k-1)/issued). The shares
// of blocks that tile 1..issued sum to total exactly, whatever the blocks;
// the arithmetic is 128-bit, so it never overflows.
func EnergyShare(total, issued, start, end uint64) uint64 {
	if total == 0 || issued == 0 || start < 1 || end < start || end > issued {
		return 0
	}
	return floorMulDiv(total, end, issued) - floorMulDiv(total, start-1, issued)
}

func floorMulDiv(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	q, _ := bits.Div64(hi, lo, c) // hi < c because b <= c
	return q
}

// Scheme symbols (制度記号), https://japancredit.go.jp/about/number/.
const (
	SchemeJC  = "JC"  // J-Credit
	SchemeJCL = "JCL" // J-Credit usable for Keidanren's plan
	SchemeKC  = "KC"  // 国内クレジット, standard project
	SchemeKCP = "KCP" // 国内クレジット, programme-type project
	SchemeJP  = "JP"  // J-VER
)

// JCredit reports whether scheme is a J-Credit scheme symbol (JC, JCL),
// which the registry issues; the others are imported.
func JCredit(scheme string) bool { return scheme == SchemeJC || scheme == SchemeJCL }

// Legacy reports whether scheme is one of the earlier schemes' symbols
// (国内クレジット KC/KCP, J-VER JP), whose batches are imported.
func Legacy(scheme string) bool {
	return scheme == SchemeKC || scheme == SchemeKCP || scheme == SchemeJP
}

var creditTypeRE = regexp.MustCompile(`^[A-Z]{2,4}$`)

// CheckIdentifiers checks a batch's scheme symbol and credit type
// (クレジット種別) against the scheme's numbering: J-Credits are ER or FM
// (JC) and ERL or FM (JCL), forest credits always FM; 国内クレジット credits
// carry their scheme's own type (KC, KCP); J-VER types are two to four
// capitals (JRM, KRM, …).
func CheckIdentifiers(scheme, creditType string, cat creditsv1.Category) error {
	switch scheme {
	case SchemeJC, SchemeJCL:
		want := "ER"
		if scheme == SchemeJCL {
			want = "ERL"
		}
		if cat == creditsv1.Category_CATEGORY_FOREST {
			want = "FM"
		}
		if creditType != want {
			return fmt.Errorf("a %s credit of category %s has credit type %s, not %q", scheme, cat, want, creditType)
		}
	case SchemeKC, SchemeKCP:
		if creditType != scheme {
			return fmt.Errorf("国内クレジット credits of scheme %s have credit type %s, not %q", scheme, scheme, creditType)
		}
	case SchemeJP:
		if !creditTypeRE.MatchString(creditType) || creditType == "ER" || creditType == "ERL" || creditType == "FM" {
			return fmt.Errorf("J-VER credit type %q must be a J-VER type such as JRM or KRM (2 to 4 capitals)", creditType)
		}
	default:
		return fmt.Errorf("scheme symbol %q must be JC, JCL (J-Credit), KC, KCP (国内クレジット) or JP (J-VER)", scheme)
	}
	return nil
}

// DefaultCreditType is the credit type of a J-Credit whose certifying
// ministry named none: FM for forest, ERL under JCL, else ER.
func DefaultCreditType(scheme string, cat creditsv1.Category) string {
	switch {
	case cat == creditsv1.Category_CATEGORY_FOREST:
		return "FM"
	case scheme == SchemeJCL:
		return "ERL"
	}
	return "ER"
}

var certNumberRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$`)

// ValidCertificationNumber accepts 1 to 64 ASCII letters, digits and
// . _ / - (starting with a letter or digit).
func ValidCertificationNumber(s string) bool { return certNumberRE.MatchString(s) }

// CorsiaPhaseOf is the CORSIA compliance phase containing year (calendar
// year), or UNSPECIFIED outside 2021-2035.
func CorsiaPhaseOf(year uint32) creditsv1.CorsiaPhase {
	if year < 2021 || year > 2035 {
		return creditsv1.CorsiaPhase_CORSIA_PHASE_UNSPECIFIED
	}
	return creditsv1.CorsiaPhase(1 + (year-2021)/3)
}

// CorsiaPhaseYears names a phase's years, e.g. "first phase 2024-2026".
func CorsiaPhaseYears(p creditsv1.CorsiaPhase) string {
	if p < creditsv1.CorsiaPhase_CORSIA_PHASE_PILOT || p > creditsv1.CorsiaPhase_CORSIA_PHASE_FOURTH {
		return p.String()
	}
	start := 2021 + 3*(int(p)-1)
	name := [...]string{"pilot phase", "first phase", "second phase", "third phase", "fourth phase"}[p-1]
	return fmt.Sprintf("%s %d-%d", name, start, start+2)
}

// Prefectures are the 47 prefectures by JIS X 0401 code ("01" is index 0).
var Prefectures = [47]struct{ Ja, En string }{
	{"北海道", "Hokkaido"}, {"青森県", "Aomori"}, {"岩手県", "Iwate"}, {"宮城県", "Miyagi"}, {"秋田県", "Akita"},
	{"山形県", "Yamagata"}, {"福島県", "Fukushima"}, {"茨城県", "Ibaraki"}, {"栃木県", "Tochigi"}, {"群馬県", "Gunma"},
	{"埼玉県", "Saitama"}, {"千葉県", "Chiba"}, {"東京都", "Tokyo"}, {"神奈川県", "Kanagawa"}, {"新潟県", "Niigata"},
	{"富山県", "Toyama"}, {"石川県", "Ishikawa"}, {"福井県", "Fukui"}, {"山梨県", "Yamanashi"}, {"長野県", "Nagano"},
	{"岐阜県", "Gifu"}, {"静岡県", "Shizuoka"}, {"愛知県", "Aichi"}, {"三重県", "Mie"}, {"滋賀県", "Shiga"},
	{"京都府", "Kyoto"}, {"大阪府", "Osaka"}, {"兵庫県", "Hyogo"}, {"奈良県", "Nara"}, {"和歌山県", "Wakayama"},
	{"鳥取県", "Tottori"}, {"島根県", "Shimane"}, {"岡山県", "Okayama"}, {"広島県", "Hiroshima"}, {"山口県", "Yamaguchi"},
	{"徳島県", "Tokushima"}, {"香川県", "Kagawa"}, {"愛媛県", "Ehime"}, {"高知県", "Kochi"}, {"福岡県", "Fukuoka"},
	{"佐賀県", "Saga"}, {"長崎県", "Nagasaki"}, {"熊本県", "Kumamoto"}, {"大分県", "Oita"}, {"宮崎県", "Miyazaki"},
	{"鹿児島県", "Kagoshima"}, {"沖縄県", "Okinawa"},
}

// ValidPrefectureCode accepts the JIS X 0401 codes "01" to "47".
func ValidPrefectureCode(code string) bool {
	if len(code) != 2 || code[0] < '0' || code[0] > '4' || code[1] < '0' || code[1] > '9' {
		return false
	}
	n := int(code[0]-'0')*10 + int(code[1]-'0')
	return n >= 1 && n <= 47
}

// PrefectureName is "京都府 (Kyoto)" for "26", or the code itself.
func PrefectureName(code string) string {
	if !ValidPrefectureCode(code) {
		return code
	}
	p := Prefectures[int(code[0]-'0')*10+int(code[1]-'0')-1]
	return p.Ja + " (" + p.En + ")"
}

// PrefectureCodeOf maps a prefecture written as free text to its JIS X
// 0401 code: "26", "JP-26" (ISO 3166-2:JP, as release v0.2.0 stored it),
// "京都府", "京都", "Kyoto", "kyoto-fu", "Kyoto Prefecture". It returns ""
// when the text names no prefecture.
func PrefectureCodeOf(text string) string {
	s := strings.TrimSpace(text)
	if d, ok := strings.CutPrefix(strings.ToUpper(s), "JP-"); ok {
		s = d
	}
	if ValidPrefectureCode(s) {
		return s
	}
	low := strings.ToLower(s)
	for _, suffix := range []string{" prefecture", " pref.", " pref", "-ken", "-fu", "-to", " ken", " fu", " to"} {
		if l, ok := strings.CutSuffix(low, suffix); ok {
			low = l
			break
		}
	}
	for i, p := range Prefectures {
		ja := p.Ja
		for _, suffix := range []string{"県", "府", "都"} {
			if j, ok := strings.CutSuffix(ja, suffix); ok {
				ja = j
				break
			}
		}
		if s == p.Ja || s == ja || low == strings.ToLower(p.En) {
			return fmt.Sprintf("%02d", i+1)
		}
	}
	return ""
}

var municipalityCodeRE = regexp.MustCompile(`^[0-9]{5}$`)

// CheckLocation checks a place: a JIS X 0401 prefecture code, and a
// municipality code (if any) of five digits within that prefecture.
// Text lengths are the caller's.
func CheckLocation(l *creditsv1.Location) error {
	if l == nil || !ValidPrefectureCode(l.PrefectureCode) {
		return fmt.Errorf("prefecture_code %q must be a JIS X 0401 code, 01 (Hokkaido) to 47 (Okinawa)", l.GetPrefectureCode())
	}
	if c := l.MunicipalityCode; c != "" {
		if !municipalityCodeRE.MatchString(c) || c[:2] != l.PrefectureCode {
			return fmt.Errorf("municipality_code %q must be the five-digit local government code (JIS X 0402) of a municipality in prefecture %s", c, l.PrefectureCode)
		}
	}
	return nil
}

// SamePlace reports whether two places may be the same, as far as their
// records tell: the same prefecture, unless both name their municipality
// (by code, or else by name) and those differ. A carbon offset needs
// credits created elsewhere than what it offsets, so "cannot tell" counts
// as the same place.
func SamePlace(a, b *creditsv1.Location) bool {
	if a.GetPrefectureCode() == "" || b.GetPrefectureCode() == "" {
		return true
	}
	if a.PrefectureCode != b.PrefectureCode {
		return false
	}
	if a.MunicipalityCode != "" && b.MunicipalityCode != "" {
		return a.MunicipalityCode == b.MunicipalityCode
	}
	if a.Municipality != "" && b.Municipality != "" {
		return strings.TrimSpace(a.Municipality) == strings.TrimSpace(b.Municipality)
	}
	return true
}

// DescribePlace writes a place for people: "京都府 (Kyoto) 亀岡市".
func DescribePlace(l *creditsv1.Location) string {
	if l.GetPrefectureCode() == "" {
		return "an unknown place"
	}
	s := PrefectureName(l.PrefectureCode)
	if l.Municipality != "" {
		s += " " + l.Municipality
	}
	if l.MunicipalityCode != "" {
		s += " [" + l.MunicipalityCode + "]"
	}
	return s
}

// IssuanceIdentifiers are the official identifiers of the batch a request
// creates: the scheme symbol (default JC), credit type (default FM for
// forest, ERL under JCL, else ER) and certification number (default: the
// report id).
func IssuanceIdentifiers(req *creditsv1.IssuanceRequest) (scheme, creditType, cert string) {
	scheme, creditType, cert = req.SchemeSymbol, req.CreditType, req.CertificationNumber
	if scheme == "" {
		scheme = SchemeJC
	}
	if creditType == "" {
		creditType = DefaultCreditType(scheme, req.Category)
	}
	if cert == "" {
		cert = req.ReportId
	}
	return scheme, creditType, cert
}

// IssuanceLabels are the labels a request gives its batch: its labels,
// and for release v0.2.0's corsia_eligible flag a CORSIA label of the
// first phase (2024-2026) unless labels name a CORSIA phase.
func IssuanceLabels(req *creditsv1.IssuanceRequest) []*creditsv1.Label {
	labels := req.Labels
	if req.CorsiaEligible {
		corsia := false
		for _, l := range labels {
			corsia = corsia || l.Kind == creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE
		}
		if !corsia {
			labels = append(append([]*creditsv1.Label(nil), labels...), V1CorsiaLabel())
		}
	}
	return labels
}

// V1CorsiaLabel is what release v0.2.0's CORSIA flag means now: eligible
// for CORSIA's first phase (2024-2026), the phase in force when that
// release ran and the one its batches' vintages can serve.
func V1CorsiaLabel() *creditsv1.Label {
	return &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE, CorsiaPhase: creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST}
}

// IssuanceOrigin is what x/projects knows of the report a batch was issued
// for: its project's name and location, and the address that certified it
// (as the report's history keeps it). The v2 migration reads it for the
// batches of state version 1; issuance gets the same facts in its
// IssuanceRequest.
type IssuanceOrigin struct {
	ProjectName string
	Location    *creditsv1.Location
	Certifier   string
}
