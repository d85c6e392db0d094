package module

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
)

// Paging: one scheme for every list (proto/jcredit/query/v1).
//
// A list walks one key range of state — the records themselves or one of
// their indexes — in key order (reverse: descending), so its order is
// stable and says nothing a key does not say. A page returns at most its
// limit of matching records (DefaultPageLimit, at most MaxPageLimit) and
// examines at most ScanBudget entries: a list with filters that its index
// does not cover may come back short (PageResponse.partial) with a cursor
// to go on. No list stops at a cap: a cursor is given whenever entries
// remain.
//
// The cursor is opaque to clients. It holds the position (the last key
// examined, relative to the range walked), the direction, the height of
// the walk's state and a fingerprint of the query (path and filters,
// Fingerprint). The app answers a request carrying a cursor at the
// cursor's height (and refuses another height), so that a walk reads one
// state from its first page to its last: every record of that state is
// listed exactly once, however many blocks are committed meanwhile.
const (
	DefaultPageLimit = 100
	MaxPageLimit     = 1000
	ScanBudget       = 10_000
)

// cursorVersion heads every cursor, so that its layout can change.
const cursorVersion = 1

// cursor is the decoded form of PageRequest.cursor.
type cursor struct {
	reverse     bool
	height      int64
	fingerprint []byte
	after       []byte // the last key examined, relative to the walked prefix
}

func (c cursor) encode() string {
	b := []byte{cursorVersion, 0}
	if c.reverse {
		b[1] = 1
	}
	b = binary.BigEndian.AppendUint64(b, uint64(c.height))
	b = append(b, c.fingerprint...)
	b = append(b, c.after...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 2+8+8 || b[0] != cursorVersion || b[1] > 1 {
		return cursor{}, ErrBadQuery.Wrapf("cursor %.24q is not one this registry made (pass a page's next_cursor as it is)", s)
	}
	return cursor{
		reverse: b[1] == 1, height: int64(binary.BigEndian.Uint64(b[2:10])),
		fingerprint: b[10:18], after: b[18:],
	}, nil
}

// pageField is the `page` field of a list request (nil for other
// messages).
func pageField(md protoreflect.MessageDescriptor) protoreflect.FieldDescriptor {
	f := md.Fields().ByName("page")
	if f == nil || f.Message() == nil || f.Message().FullName() != (&queryv1.PageRequest{}).ProtoReflect().Descriptor().FullName() {
		return nil
	}
	return f
}

// PageRequestOf returns the PageRequest of a list request (nil if req has
// none, or none is set).
func PageRequestOf(req proto.Message) *queryv1.PageRequest {
	m := req.ProtoReflect()
	f := pageField(m.Descriptor())
	if f == nil || !m.Has(f) {
		return nil
	}
	pr, _ := m.Get(f).Message().Interface().(*queryv1.PageRequest)
	return pr
}

// CursorHeight is the height a list request's cursor pins (0: no cursor).
// The app answers such a request at that height.
func CursorHeight(req proto.Message) (int64, error) {
	pr := PageRequestOf(req)
	if pr == nil || pr.Cursor == "" {
		return 0, nil
	}
	c, err := decodeCursor(pr.Cursor)
	if err != nil {
		return 0, err
	}
	return c.height, nil
}

// Page is one page of a list query being answered.
type Page struct {
	limit   int
	reverse bool
	after   []byte
	height  int64
	fp      []byte
}

// NewPage reads a list request's PageRequest (nil: the first page with
// the default limit). It refuses a limit above MaxPageLimit and a cursor
// that is malformed, from another query or direction, or for another
// height than q's.
func NewPage(q QueryContext, pr *queryv1.PageRequest) (*Page, error) {
	if pr == nil {
		pr = &queryv1.PageRequest{}
	}
	fp := q.fingerprint
	if len(fp) != 8 {
		fp = make([]byte, 8) // a handler called without a route (tests)
	}
	p := &Page{limit: DefaultPageLimit, reverse: pr.Reverse, height: q.Height, fp: fp}
	if pr.Limit > MaxPageLimit {
		return nil, ErrBadQuery.Wrapf("page limit %d is more than %d", pr.Limit, MaxPageLimit)
	}
	if pr.Limit > 0 {
		p.limit = int(pr.Limit)
	}
	if pr.Cursor == "" {
		return p, nil
	}
	c, err := decodeCursor(pr.Cursor)
	if err != nil {
		return nil, err
	}
	switch {
	case c.reverse != pr.Reverse:
		return nil, ErrBadQuery.Wrapf("the cursor continues a walk in the other direction (reverse=%v)", c.reverse)
	case !bytes.Equal(c.fingerprint, fp):
		return nil, ErrBadQuery.Wrapf("the cursor belongs to another query (other filters); start again without it")
	case c.height != q.Height:
		return nil, ErrBadQuery.Wrapf("the cursor reads state %d, not %d: leave the height unset to continue the walk", c.height, q.Height)
	}
	p.after = c.after
	return p, nil
}

// Limit is the most records the page may list.
func (p *Page) Limit() int { return p.limit }

// Reverse reports a descending walk.
func (p *Page) Reverse() bool { return p.reverse }

// Walk visits the entries of s under prefix in the page's order, starting
// after the cursor's position, and calls visit with each key (without the
// prefix) and value; visit reports whether the entry is listed. Walk stops
// once limit entries are listed, or ScanBudget examined, and returns the
// PageResponse: next_cursor is set whenever entries may remain.
//
// visit may read s (not write it); its arguments are valid only during
// the call.
func (p *Page) Walk(s KVStore, prefix []byte, visit func(key, value []byte) (bool, error)) (*queryv1.PageResponse, error) {
	start, end := prefix, PrefixEnd(prefix)
	if p.after != nil {
		pos := Key(prefix, p.after)
		if p.reverse {
			end = pos
		} else {
			start = append(pos, 0) // the smallest key after it
		}
	}
	var it Iterator
	if p.reverse {
		it = s.ReverseIterator(start, end)
	} else {
		it = s.Iterator(start, end)
	}
	defer it.Close()
	resp := &queryv1.PageResponse{Height: p.height}
	listed := 0
	var last []byte
	for ; it.Valid(); it.Next() {
		if listed == p.limit {
			// Something remains: continue after the last key examined.
			resp.NextCursor = p.cursorAt(last)
			return resp, nil
		}
		if int(resp.Scanned) == ScanBudget {
			resp.NextCursor = p.cursorAt(last)
			resp.Partial = true
			return resp, nil
		}
		key := it.Key()[len(prefix):]
		resp.Scanned++
		ok, err := visit(key, it.Value())
		if err != nil {
			return nil, err
		}
		if ok {
			listed++
		}
		last = append(last[:0], key...)
	}
	if err := it.Error(); err != nil {
		return nil, ErrInternal.Wrapf("iterate: %v", err)
	}
	return resp, nil
}

// After is the position a page continues from (nil on a first page): the
// last key the previous page examined, relative to the range it walked. A
// list that does not walk one range with Walk (x/credits walks several
// retirement indexes in step) keeps its own position there, refusing one
// it did not make, and answers with Response.
func (p *Page) After() []byte { return p.after }

// Response is the PageResponse of a page that examined scanned entries
// and stopped after position after with entries remaining (after nil: the
// walk is done); partial says the scan budget stopped it.
func (p *Page) Response(scanned int, after []byte, partial bool) *queryv1.PageResponse {
	resp := &queryv1.PageResponse{Height: p.height, Scanned: uint32(scanned), Partial: partial && after != nil}
	if after != nil {
		resp.NextCursor = p.cursorAt(after)
	}
	return resp
}

func (p *Page) cursorAt(after []byte) string {
	return cursor{reverse: p.reverse, height: p.height, fingerprint: p.fp, after: bytes.Clone(after)}.encode()
}
