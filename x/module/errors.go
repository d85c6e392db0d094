package module

import (
	"fmt"

	"github.com/jcredit/jcredit/x/module/base"
)

// Error is a registered rejection (defined in base, which the modules'
// types packages import without the rest of this package).
type Error = base.Error

// NewError declares a sentinel error. It panics on code 0 or 1, which are
// reserved for success and internal errors.
func NewError(codespace string, code uint32, desc string) *Error {
	return base.NewError(codespace, code, desc)
}

// ErrInternal marks a bug or an unexpected failure. It is code 1 of the
// "jcredit" codespace.
var ErrInternal = base.ErrInternal

// CodeOf returns the codespace and code of err: ("", 0) for nil, and
// ErrInternal's for an error that does not wrap a registered Error.
func CodeOf(err error) (codespace string, code uint32) { return base.CodeOf(err) }

// CheckCodes reports an error if two errors share a code or a code is
// reserved. Each module's test calls it on its list of errors.
func CheckCodes(errs ...*Error) error {
	seen := map[string]string{}
	for _, e := range errs {
		if e.Code < 2 {
			return fmt.Errorf("%s: code %d is reserved", e.Codespace, e.Code)
		}
		k := fmt.Sprintf("%s/%d", e.Codespace, e.Code)
		if prev, ok := seen[k]; ok {
			return fmt.Errorf("%s used by both %q and %q", k, prev, e.Desc)
		}
		seen[k] = e.Desc
	}
	return nil
}
