package module

import (
	"errors"
	"fmt"
)

// Error is a registered rejection: a codespace (the module's name), a code
// unique within it (from 2; 1 is reserved for internal errors) and a short
// description. Each module declares its errors once, in its errors.go, and
// returns them wrapped with the details a person needs to act
// (err.Wrapf("account %s holds %d active credits", ...)).
type Error struct {
	Codespace string
	Code      uint32
	Desc      string
}

// NewError declares a sentinel error. It panics on code 0 or 1, which are
// reserved for success and internal errors.
func NewError(codespace string, code uint32, desc string) *Error {
	if code < 2 {
		panic(fmt.Sprintf("module: code %d of %s is reserved", code, codespace))
	}
	return &Error{Codespace: codespace, Code: code, Desc: desc}
}

func (e *Error) Error() string { return e.Desc }

// Wrapf returns an error that keeps e's codespace and code and adds details.
func (e *Error) Wrapf(format string, args ...any) error {
	return &wrapped{err: e, msg: fmt.Sprintf(format, args...)}
}

type wrapped struct {
	err *Error
	msg string
}

func (w *wrapped) Error() string { return w.err.Desc + ": " + w.msg }
func (w *wrapped) Unwrap() error { return w.err }

// ErrInternal marks a bug or an unexpected failure. It is code 1 of the
// "jcredit" codespace.
var ErrInternal = &Error{Codespace: "jcredit", Code: 1, Desc: "internal error"}

// CodeOf returns the codespace and code of err: (\"\", 0) for nil, and
// ErrInternal's for an error that does not wrap a registered Error.
func CodeOf(err error) (codespace string, code uint32) {
	if err == nil {
		return "", 0
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Codespace, e.Code
	}
	return ErrInternal.Codespace, ErrInternal.Code
}

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
