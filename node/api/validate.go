package api

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jcredit/jcredit/node/proof"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

// Every path parameter and query parameter is checked before anything is
// looked up, so that a malformed one is answered 400 with what a valid one
// looks like, on every route alike (never 404 for a typo, never 500).

type check func(string) error

func checkBatchID(s string) error {
	if _, err := creditstypes.ParseBatchID(s); err != nil {
		return fmt.Errorf("%q is not a batch id like JC-00000001", s)
	}
	return nil
}

func checkOneSerial(s string) error {
	sr, err := creditstypes.ParseSerial(s)
	if err != nil || sr.Start != sr.End {
		return fmt.Errorf("%q is not one serial number like JC-00000001-RE-2024-0000000001", s)
	}
	return nil
}

// checkAccount: an account is named by one of its keys' addresses or by
// its number.
func checkAccount(s string) error {
	if _, _, err := accountstypes.ParseAccountArg(s); err != nil {
		return fmt.Errorf("%q is neither an account address (0x and 40 hex digits) nor an account number", s)
	}
	return nil
}

func checkRetirementID(s string) error {
	if _, ok := creditstypes.ParseRetirementID(s); !ok {
		return fmt.Errorf("%q is not a retirement id like JCR-00000001", s)
	}
	return nil
}

func checkCancellationID(s string) error {
	if _, ok := creditstypes.ParseCancellationID(s); !ok {
		return fmt.Errorf("%q is not a cancellation id like JCX-00000001", s)
	}
	return nil
}

// proofSubjects checks a proof's subject by kind.
var proofSubjects = map[string]check{
	proof.KindRetirement:   checkRetirementID,
	proof.KindSerial:       checkOneSerial,
	proof.KindAccount:      checkAccount,
	proof.KindBatch:        checkBatchID,
	proof.KindCancellation: checkCancellationID,
	proof.KindTotal:        checkTotal,
	proof.KindGxEts:        checkGxSubject,
}

// checkGxSubject: "<operator>/<fiscal year>", the operator an address or
// an account number ("7/2026"; /api/v1/proofs/gx-ets/7/2026 spells it
// without escaping the slash).
func checkGxSubject(s string) error {
	op, fy, ok := strings.Cut(s, "/")
	if !ok {
		return fmt.Errorf("%q is not a GX-ETS subject: <operator account number or address>/<fiscal year>, like 7/2026", s)
	}
	if err := checkAccount(op); err != nil {
		return err
	}
	return checkFiscalYear(fy)
}

// checkFiscalYear: a compliance fiscal year (April-March) as its
// starting year, 2000-2100 as proof.ParseGxSubject takes it.
func checkFiscalYear(s string) error {
	y, err := strconv.ParseUint(s, 10, 32)
	if err != nil || y < 2000 || y > 2100 || strconv.FormatUint(y, 10) != s {
		return fmt.Errorf("%q is not a fiscal year like 2026 (the year it starts in April, 2000-2100)", s)
	}
	return nil
}

// checkTotal: a total as creditstypes.Total spells it (an account may be
// an address, which the builder resolves), or projects by status as
// projectstypes.ProjectTotal spells it.
func checkTotal(s string) error {
	if projectstypes.IsProjectTotal(s) {
		_, err := projectstypes.ParseProjectTotal(s) // projects by status
		return err
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		if v, ok := strings.CutPrefix(p, "account="); ok && strings.HasPrefix(v, "0x") {
			if err := checkAccount(v); err != nil {
				return err
			}
			parts[i] = "account=1"
		}
	}
	_, err := creditstypes.ParseTotal(strings.Join(parts, ","))
	return err
}

// checkPositive: a count or height, 1 or more.
func checkPositive(name string) check {
	return func(s string) error {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			return fmt.Errorf("%s must be a whole number, 1 or more (got %q)", name, s)
		}
		return nil
	}
}

// params are the checks of one route: path parameters by name, and the
// query parameters it accepts (any other is refused, so that a misspelt
// filter does not silently list everything).
type params struct {
	path  map[string]check
	query map[string]check
}

// guard wraps a handler with its route's checks.
func guard(p params, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for name, c := range p.path {
			if err := c(r.PathValue(name)); err != nil {
				writeError(w, http.StatusBadRequest, err.Error())
				return
			}
		}
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			writeError(w, http.StatusBadRequest, "malformed query string: "+err.Error())
			return
		}
		for name, vals := range q {
			c, ok := p.query[name]
			if !ok {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown parameter %q for %s", name, r.URL.Path))
				return
			}
			if len(vals) != 1 {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("parameter %q is given %d times", name, len(vals)))
				return
			}
			if c != nil {
				if err := c(vals[0]); err != nil {
					writeError(w, http.StatusBadRequest, err.Error())
					return
				}
			}
		}
		h(w, r)
	}
}

// validUTF8 refuses a request whose path or query, once unescaped, is not
// UTF-8 (every name and id is; the file server would answer 500), and an
// API path that is not in its clean form ("//", "/./", "/../"): the router
// would answer those with a redirect in HTML, not an error in JSON.
func validUTF8(r *http.Request) error {
	p := r.URL.Path
	if !utf8.ValidString(p) {
		return fmt.Errorf("the path is not valid UTF-8")
	}
	if strings.HasPrefix(p, "/api/") {
		clean := path.Clean(p)
		if strings.HasSuffix(p, "/") {
			clean += "/"
		}
		if clean != p {
			return fmt.Errorf("the path %q is not in its clean form; use %q", p, clean)
		}
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return fmt.Errorf("malformed query string: %v", err)
	}
	for k, vs := range q {
		if !utf8.ValidString(k) {
			return fmt.Errorf("a query parameter name is not valid UTF-8")
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return fmt.Errorf("query parameter %q is not valid UTF-8", k)
			}
		}
	}
	return nil
}
