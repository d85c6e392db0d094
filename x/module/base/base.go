// Package base is the part of the module contract (x/module) that the
// modules' types packages need — store keys (Key, Uint64, IndexValue) and
// registered errors (Error) — with no dependency on CometBFT: x/module's
// Context and Module interface carry ABCI types, whose package brings the
// ABCI gRPC service, net/http and the protobuf registries with it, and the
// types packages are compiled into the web page's WebAssembly verifier
// (node/api/wasm), where those would be megabytes of dead weight.
//
// x/module re-exports every name here (module.Key is base.Key), so modules
// keep writing module.Key; a types package imports this package under the
// name module.
package base

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Key concatenates key parts into one store key. Modules build keys from
// fixed-width parts (prefixes, 20-byte addresses, Uint64 numbers), so no
// separators are needed and key order follows the parts' order.
func Key(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Uint64 encodes v big-endian in 8 bytes, so that keys sort as the numbers
// do.
func Uint64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// IndexValue is the value of an index entry whose key says everything. It
// is never empty: ICS23 cannot prove a key absent next to a neighbour whose
// value is empty, so no value in state may be empty (see DESIGN.md).
var IndexValue = []byte{1}

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

// CodeOf returns the codespace and code of err: ("", 0) for nil, and
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
