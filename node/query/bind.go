package query

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
)

// Page parameters, beside a request's own fields.
const (
	ParamCursor  = "cursor"
	ParamLimit   = "limit"
	ParamReverse = "reverse"
)

// ParamError is a parameter Bind could not use; it says what would do.
type ParamError struct{ Msg string }

func (e *ParamError) Error() string { return e.Msg }

func paramErr(format string, args ...any) error {
	return &ParamError{Msg: fmt.Sprintf(format, args...)}
}

// Params lists the parameters a request takes: its fields by proto name,
// and, for a list, cursor, limit and reverse.
func Params(req protoreflect.MessageDescriptor) []string {
	var out []string
	fs := req.Fields()
	for i := 0; i < fs.Len(); i++ {
		f := fs.Get(i)
		if f.Name() == "page" && f.Message() != nil && f.Message().FullName() == pageRequestName {
			out = append(out, ParamCursor, ParamLimit, ParamReverse)
			continue
		}
		out = append(out, string(f.Name()))
	}
	return out
}

// Bind sets req's fields from named string parameters: a parameter names a
// top-level field by its proto name (fiscal_year) or JSON name
// (fiscalYear); cursor, limit and reverse fill the page of a list. Values
// are read by the field's kind: text as it is, numbers in decimal, true
// or false, and enums by name with or without their prefix, in any case,
// with "-" for "_" (use=re100, use=USE_RE100, status=registered). An
// unknown parameter or a value of the wrong form is a *ParamError naming
// what the request takes: a misspelt filter never lists everything.
func Bind(req proto.Message, params map[string]string) error {
	m := req.ProtoReflect()
	md := m.Descriptor()
	names := make([]string, 0, len(params))
	for n := range params {
		names = append(names, n)
	}
	sort.Strings(names) // errors name the same parameter every time
	for _, name := range names {
		v := params[name]
		switch name {
		case ParamCursor, ParamLimit, ParamReverse:
			pf := md.Fields().ByName("page")
			if pf == nil || pf.Message() == nil || pf.Message().FullName() != pageRequestName {
				return paramErr("%s is not a list: no %s (it takes %s)", md.Name(), name, strings.Join(Params(md), ", "))
			}
			pr := m.Mutable(pf).Message().Interface().(*queryv1.PageRequest)
			switch name {
			case ParamCursor:
				pr.Cursor = v
			case ParamLimit:
				n, err := strconv.ParseUint(v, 10, 32)
				if err != nil || n < 1 {
					return paramErr("limit must be a whole number from 1 (got %q)", v)
				}
				pr.Limit = uint32(n)
			case ParamReverse:
				b, err := strconv.ParseBool(v)
				if err != nil {
					return paramErr("reverse must be true or false (got %q)", v)
				}
				pr.Reverse = b
			}
			continue
		}
		f := md.Fields().ByName(protoreflect.Name(name))
		if f == nil {
			f = md.Fields().ByJSONName(name)
		}
		if f == nil || f.Name() == "page" || f.IsList() || f.IsMap() || f.Message() != nil {
			return paramErr("unknown parameter %q: %s takes %s", name, md.Name(), strings.Join(Params(md), ", "))
		}
		val, err := ParseValue(f, v)
		if err != nil {
			return err
		}
		m.Set(f, val)
	}
	return nil
}

// ParseValue reads a parameter value for field f (see Bind).
func ParseValue(f protoreflect.FieldDescriptor, v string) (protoreflect.Value, error) {
	bad := func(what string) error {
		return paramErr("%s must be %s (got %q)", f.Name(), what, v)
	}
	switch f.Kind() {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(v), nil
	case protoreflect.BoolKind:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return protoreflect.Value{}, bad("true or false")
		}
		return protoreflect.ValueOfBool(b), nil
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return protoreflect.Value{}, bad("a whole number")
		}
		return protoreflect.ValueOfUint32(uint32(n)), nil
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return protoreflect.Value{}, bad("a whole number")
		}
		return protoreflect.ValueOfUint64(n), nil
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			return protoreflect.Value{}, bad("a whole number")
		}
		return protoreflect.ValueOfInt32(int32(n)), nil
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return protoreflect.Value{}, bad("a whole number")
		}
		return protoreflect.ValueOfInt64(n), nil
	case protoreflect.EnumKind:
		n, ok := ParseEnum(f.Enum(), v)
		if !ok {
			return protoreflect.Value{}, bad("one of " + strings.Join(EnumChoices(f.Enum()), ", "))
		}
		return protoreflect.ValueOfEnum(n), nil
	}
	return protoreflect.Value{}, paramErr("parameter %s cannot be given as text", f.Name())
}

// enumPrefix is the common prefix of an enum's value names ("USE_"), read
// from its zero value ("USE_UNSPECIFIED").
func enumPrefix(ed protoreflect.EnumDescriptor) string {
	zero := string(ed.Values().ByNumber(0).Name())
	return strings.TrimSuffix(zero, "UNSPECIFIED")
}

// ParseEnum reads an enum value as people write it: its name, or the name
// without the enum's prefix, in any case, with "-" or " " for "_"
// ("re100", "gx-ets", "RANGE_STATUS_ACTIVE", "active"). The zero value
// (unspecified) is refused.
func ParseEnum(ed protoreflect.EnumDescriptor, s string) (protoreflect.EnumNumber, bool) {
	name := strings.ToUpper(strings.NewReplacer("-", "_", " ", "_").Replace(strings.TrimSpace(s)))
	p := enumPrefix(ed)
	if !strings.HasPrefix(name, p) {
		name = p + name
	}
	v := ed.Values().ByName(protoreflect.Name(name))
	if v == nil || v.Number() == 0 {
		return 0, false
	}
	return v.Number(), true
}

// EnumChoices lists an enum's values as people write them ("re100").
func EnumChoices(ed protoreflect.EnumDescriptor) []string {
	p := enumPrefix(ed)
	var out []string
	vs := ed.Values()
	for i := 0; i < vs.Len(); i++ {
		if vs.Get(i).Number() == 0 {
			continue
		}
		out = append(out, strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(string(vs.Get(i).Name()), p), "_", "-")))
	}
	return out
}

// Unbind is Bind's inverse for a request's own fields (the page left out):
// the parameters that give req, as a URL query string in key order.
func Unbind(req proto.Message) string {
	v := url.Values{}
	req.ProtoReflect().Range(func(f protoreflect.FieldDescriptor, val protoreflect.Value) bool {
		if f.Name() == "page" || f.IsList() || f.IsMap() || f.Message() != nil {
			return true
		}
		switch f.Kind() {
		case protoreflect.EnumKind:
			if ev := f.Enum().Values().ByNumber(val.Enum()); ev != nil {
				v.Set(string(f.Name()), string(ev.Name()))
			}
		default:
			v.Set(string(f.Name()), fmt.Sprint(val.Interface()))
		}
		return true
	})
	return v.Encode()
}
