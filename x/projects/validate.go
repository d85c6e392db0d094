package projects

import (
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// DateLayout is how the crediting and monitoring periods are written.
const DateLayout = "2006-01-02"

// ParseDate reads a "YYYY-MM-DD" calendar date as midnight UTC. Dates are
// compared as dates: both ends of a period are inclusive days.
func ParseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(DateLayout, s, time.UTC)
	if err != nil || t.Format(DateLayout) != s {
		return time.Time{}, ErrInvalidDate.Wrapf("%q is not a date written YYYY-MM-DD", s)
	}
	return t, nil
}

// period is an inclusive range of days.
type period struct{ start, end time.Time }

// parsePeriod reads and orders-checks an inclusive period; what names it in
// messages ("crediting period", "monitoring period").
func parsePeriod(what, start, end string) (period, error) {
	s, err := ParseDate(start)
	if err != nil {
		return period{}, ErrInvalidDate.Wrapf("%s start %q is not a date written YYYY-MM-DD", what, start)
	}
	e, err := ParseDate(end)
	if err != nil {
		return period{}, ErrInvalidDate.Wrapf("%s end %q is not a date written YYYY-MM-DD", what, end)
	}
	if e.Before(s) {
		return period{}, ErrInvalidDate.Wrapf("%s ends (%s) before it starts (%s)", what, end, start)
	}
	return period{s, e}, nil
}

func (p period) contains(q period) bool { return !q.start.Before(p.start) && !q.end.After(p.end) }
func (p period) overlaps(q period) bool { return !q.end.Before(p.start) && !p.end.Before(q.start) }

// checkCreditingPeriod applies the scheme's caps: at most the category's
// crediting years long (CreditingYears: 8, forest 16; so an 8-year period
// starting 2023-04-01 may end 2031-03-31 at the latest) and ending no later
// than LatestCreditingEnd.
func checkCreditingPeriod(p *projectsv1.Params, cat creditsv1.Category, cp period) error {
	years := CreditingYears(p, cat)
	if limit := cp.start.AddDate(int(years), 0, 0); !cp.end.Before(limit) {
		return ErrCreditingTooLong.Wrapf("a crediting period of a %s project starting %s may last %d years and so must end by %s, not %s",
			strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(cat.String(), "CATEGORY_"), "_", " ")),
			cp.start.Format(DateLayout), years, limit.AddDate(0, 0, -1).Format(DateLayout), cp.end.Format(DateLayout))
	}
	latest, _ := ParseDate(p.LatestCreditingEnd)
	if cp.end.After(latest) {
		return ErrCreditingEndTooLate.Wrapf("crediting period ends %s; the scheme credits reductions up to %s only",
			cp.end.Format(DateLayout), p.LatestCreditingEnd)
	}
	return nil
}

// CreditingYears is the longest crediting period of a category: its entry
// in crediting_years_by_category, else max_crediting_years.
func CreditingYears(p *projectsv1.Params, cat creditsv1.Category) uint32 {
	for _, c := range p.CreditingYearsByCategory {
		if c.Category == cat {
			return c.Years
		}
	}
	return p.MaxCreditingYears
}

// normalizeHash checks a SHA-256 hex digest and returns it in lowercase.
func normalizeHash(what, h string) (string, error) {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 32 {
		return "", ErrInvalidHash.Wrapf("%s %q: give the 64 hex digits of the document's SHA-256 (e.g. from sha256sum)", what, h)
	}
	return strings.ToLower(h), nil
}

var methodologyCodeRE = regexp.MustCompile(`^[A-Z]{2}(-[A-Z0-9]{1,8}){1,3}$`)

// validMethodologyCode accepts codes like EN-S-001, EN-R-002, FO-001, AG-004.
func validMethodologyCode(code string) bool { return methodologyCodeRE.MatchString(code) }

func validCategory(c creditsv1.Category) bool {
	_, ok := creditsv1.Category_name[int32(c)]
	return ok && c != creditsv1.Category_CATEGORY_UNSPECIFIED
}

// validPrefecture accepts ISO 3166-2:JP codes JP-01 (Hokkaido) to JP-47
// (Okinawa).
func validPrefecture(s string) bool {
	digits, ok := strings.CutPrefix(s, "JP-")
	if !ok || len(digits) != 2 || !allDigits(digits) {
		return false
	}
	n, _ := strconv.Atoi(digits)
	return n >= 1 && n <= 47
}

// parseAddress is accountstypes.ParseAddress, the registry's one address
// parser, for call sites that report a failure in their own words.
func parseAddress(s string) (common.Address, bool) {
	a, err := accountstypes.ParseAddress(s)
	return a, err == nil
}

// MaxReasonLen bounds rejection and termination reasons.
const MaxReasonLen = 1024

func checkReason(action, reason string) error {
	if p := module.TextProblem(reason, MaxReasonLen, true); p != "" {
		return ErrReasonRequired.Wrapf("%s needs a reason of 1 to %d bytes of plain text that the operator can act on; this reason %s", action, MaxReasonLen, p)
	}
	return nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
