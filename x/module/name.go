package module

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Name filters: the list queries' `name` filter (accounts by legal name,
// projects and batches by project name) matches a case-insensitive
// substring after Unicode NFKC folding, so that a full-width query
// (ＡＢＣ, ｶﾞ vs ガ) finds a name written half-width and the reverse —
// Japanese names are typed both ways. No index covers names: a filtered
// list walks its range under the page's ScanBudget and may come back
// partial with a cursor, never cut silently.

// MaxNameFilter bounds the filter (bytes), so a query's work stays small.
const MaxNameFilter = 200

// FoldName is the form names are compared in: NFKC, then lower case.
func FoldName(s string) string {
	return strings.ToLower(norm.NFKC.String(s))
}

// NameFilter is a folded name filter; the zero value matches every name.
type NameFilter struct{ folded string }

// NewNameFilter folds q; it refuses a filter longer than MaxNameFilter.
func NewNameFilter(q string) (NameFilter, error) {
	if len(q) > MaxNameFilter {
		return NameFilter{}, ErrBadQuery.Wrapf("name filter is %d bytes, more than %d", len(q), MaxNameFilter)
	}
	return NameFilter{folded: FoldName(strings.TrimSpace(q))}, nil
}

// Set reports whether the filter restricts anything.
func (f NameFilter) Set() bool { return f.folded != "" }

// Match reports whether name contains the filter, both folded.
func (f NameFilter) Match(name string) bool {
	return f.folded == "" || strings.Contains(FoldName(name), f.folded)
}
