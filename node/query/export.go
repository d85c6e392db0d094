package query

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/module"
)

// Export formats.
const (
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
)

// BOM is the UTF-8 byte-order mark that heads a CSV export: without it,
// Excel reads UTF-8 as the local code page and garbles Japanese.
const BOM = "\ufeff"

// Meta says what an export holds and as of which state: every record of
// List matching Query, in the committed state Height, whose root is
// AppHash (the app hash of that height, which header Height+1 carries).
type Meta struct {
	List    string `json:"list"`
	ChainID string `json:"chain_id"`
	Height  int64  `json:"height,string"`
	AppHash string `json:"app_hash"`
	// Query is the request's parameters (Unbind), reverse included.
	Query string `json:"query"`
}

// Asker answers a module query at a state height: the response in the
// read side's JSON, or the refusal as an error.
type Asker func(ctx context.Context, path string, data []byte, height int64) ([]byte, error)

// Writer is an export being written.
type Writer interface {
	// Begin writes the metadata line (and, for CSV, the column names).
	Begin(Meta) error
	// Write writes one record.
	Write(proto.Message) error
	// WriteJSON writes one record given in the read side's JSON, as a list
	// answer holds it.
	WriteJSON(json.RawMessage) error
	// Flush pushes what is buffered to the underlying writer.
	Flush() error
}

// NewWriter returns the writer of format for records of type item.
func NewWriter(format string, w io.Writer, item protoreflect.MessageDescriptor) (Writer, error) {
	switch format {
	case FormatCSV:
		return NewCSVWriter(w, item), nil
	case FormatJSONL:
		return NewJSONLWriter(w), nil
	}
	return nil, fmt.Errorf("format %q: use %s or %s", format, FormatCSV, FormatJSONL)
}

// Export writes every record of l that req asks for (its filters and
// direction; from its cursor, if any) as of state height, page by page
// with the largest page: it holds one page of records at a time, however
// long the list. afterPage, if not nil, runs after each page is written
// (to flush, or to extend a deadline). It returns how many records were
// written.
func Export(ctx context.Context, ask Asker, l List, req proto.Message, height int64, w Writer, afterPage func() error) (int, error) {
	itemsName := string(ItemsField(l.Method().Output()).Name())
	req = proto.Clone(req)
	pr := PageRequestOf(req)
	pr.Limit = module.MaxPageLimit
	SetPage(req, pr)
	n := 0
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		data, err := module.MarshalJSON(req)
		if err != nil {
			return n, err
		}
		raw, err := ask(ctx, l.Path(), data, height)
		if err != nil {
			return n, err
		}
		// The records pass through as the module rendered them: only the
		// page's envelope is decoded here.
		var env map[string]json.RawMessage
		if err := json.Unmarshal(raw, &env); err != nil {
			return n, fmt.Errorf("decode a page of %s: %w", l.Name, err)
		}
		var items []json.RawMessage
		if bz, ok := env[itemsName]; ok {
			if err := json.Unmarshal(bz, &items); err != nil {
				return n, fmt.Errorf("decode a page of %s: %w", l.Name, err)
			}
		}
		for _, it := range items {
			if err := w.WriteJSON(it); err != nil {
				return n, err
			}
			n++
		}
		if err := w.Flush(); err != nil {
			return n, err
		}
		if afterPage != nil {
			if err := afterPage(); err != nil {
				return n, err
			}
		}
		pg := &queryv1.PageResponse{}
		if bz, ok := env["page"]; ok {
			if err := module.UnmarshalJSON(bz, pg); err != nil {
				return n, fmt.Errorf("decode a page of %s: %w", l.Name, err)
			}
		}
		if pg.NextCursor == "" {
			return n, nil
		}
		if height == 0 {
			height = pg.Height
		}
		pr.Cursor = pg.NextCursor
	}
}

// JSONLWriter writes JSON Lines: a first line {"jcredit_export": Meta},
// then one record per line in the read side's JSON (as the API answers
// them).
type JSONLWriter struct{ w *bufio.Writer }

// NewJSONLWriter writes JSON Lines to w.
func NewJSONLWriter(w io.Writer) *JSONLWriter { return &JSONLWriter{w: bufio.NewWriter(w)} }

func (j *JSONLWriter) Begin(m Meta) error {
	bz, err := json.Marshal(map[string]Meta{"jcredit_export": m})
	if err != nil {
		return err
	}
	j.w.Write(bz)
	return j.w.WriteByte('\n')
}

func (j *JSONLWriter) Write(m proto.Message) error {
	bz, err := module.MarshalJSON(m)
	if err != nil {
		return err
	}
	j.w.Write(bz)
	return j.w.WriteByte('\n')
}

// WriteJSON writes a record as it is (it is in the read side's style).
func (j *JSONLWriter) WriteJSON(raw json.RawMessage) error {
	j.w.Write(raw)
	return j.w.WriteByte('\n')
}

func (j *JSONLWriter) Flush() error { return j.w.Flush() }

// ReadJSONL reads a JSON Lines export back: its metadata and records.
func ReadJSONL(r io.Reader, item protoreflect.MessageDescriptor) (Meta, []proto.Message, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var meta Meta
	if !sc.Scan() {
		return meta, nil, errors.New("jsonl: empty")
	}
	var head map[string]Meta
	if err := json.Unmarshal(sc.Bytes(), &head); err != nil {
		return meta, nil, fmt.Errorf("jsonl: metadata line: %w", err)
	}
	meta, ok := head["jcredit_export"]
	if !ok {
		return meta, nil, errors.New("jsonl: the first line is not {\"jcredit_export\": ...}")
	}
	var out []proto.Message
	for sc.Scan() {
		m := newMessage(item)
		if err := module.UnmarshalJSON(sc.Bytes(), m); err != nil {
			return meta, nil, fmt.Errorf("jsonl: line %d: %w", len(out)+2, err)
		}
		out = append(out, m)
	}
	return meta, out, sc.Err()
}

// CSV.
//
// The file is UTF-8 with a byte-order mark. Its first line is a comment
// naming the export:
//
//	# jcredit export; list=retirements; chain_id=…; height=…; app_hash=…; query=fiscal_year=2025
//
// then a row of column names and one row per record. Columns are the
// record's fields in declaration order, by proto name; a nested message's
// fields are columns of their own ("time" stays one: timestamps are
// written as in JSON, RFC 3339 in UTC); a repeated field is one column
// holding its JSON array (a retirement's serial blocks). Enums are written
// by name, 64-bit numbers in full, bytes in base64, and a text cell that
// begins with = + - @ ' or a tab is prefixed with ' so that a spreadsheet
// never runs it as a formula (ReadCSV takes the ' away).

// csvMetaPrefix heads the metadata line.
const csvMetaPrefix = "# jcredit export"

// column is one CSV column: the path of fields from the record to a leaf.
type column struct {
	name string
	path []protoreflect.FieldDescriptor
}

// maxDepth bounds how deep nested messages are spread into columns.
const maxDepth = 4

// Columns are the CSV columns of records of type md.
func Columns(md protoreflect.MessageDescriptor) []string {
	var out []string
	for _, c := range columnsOf(md, nil, "") {
		out = append(out, c.name)
	}
	return out
}

func columnsOf(md protoreflect.MessageDescriptor, path []protoreflect.FieldDescriptor, prefix string) []column {
	var out []column
	fs := md.Fields()
	for i := 0; i < fs.Len(); i++ {
		f := fs.Get(i)
		if isDeprecated(f) {
			continue
		}
		p := append(append([]protoreflect.FieldDescriptor(nil), path...), f)
		name := prefix + string(f.Name())
		if f.Message() != nil && !f.IsList() && !f.IsMap() && !isWellKnown(f.Message()) && len(p) < maxDepth {
			out = append(out, columnsOf(f.Message(), p, name+".")...)
			continue
		}
		out = append(out, column{name: name, path: p})
	}
	return out
}

func isDeprecated(f protoreflect.FieldDescriptor) bool {
	type deprecated interface{ GetDeprecated() bool }
	o, ok := f.Options().(deprecated)
	return ok && o.GetDeprecated()
}

func isWellKnown(md protoreflect.MessageDescriptor) bool {
	return strings.HasPrefix(string(md.FullName()), "google.protobuf.")
}

// CSVWriter writes records of one type as CSV.
type CSVWriter struct {
	raw  *bufio.Writer
	w    *csv.Writer
	item protoreflect.MessageDescriptor
	cols []column
	row  []string
}

// NewCSVWriter writes records of type item as CSV to w.
func NewCSVWriter(w io.Writer, item protoreflect.MessageDescriptor) *CSVWriter {
	raw := bufio.NewWriter(w)
	cols := columnsOf(item, nil, "")
	return &CSVWriter{raw: raw, w: csv.NewWriter(raw), item: item, cols: cols, row: make([]string, len(cols))}
}

func (c *CSVWriter) Begin(m Meta) error {
	c.raw.WriteString(BOM)
	fmt.Fprintf(c.raw, "%s; list=%s; chain_id=%s; height=%d; app_hash=%s; query=%s\n", csvMetaPrefix, m.List, m.ChainID, m.Height, m.AppHash, m.Query)
	for i, col := range c.cols {
		c.row[i] = col.name
	}
	return c.w.Write(c.row)
}

func (c *CSVWriter) Write(m proto.Message) error {
	for i, col := range c.cols {
		cell, err := cellOf(m.ProtoReflect(), col.path)
		if err != nil {
			return fmt.Errorf("csv: column %s: %w", col.name, err)
		}
		c.row[i] = cell
	}
	return c.w.Write(c.row)
}

// WriteJSON writes a record given in the read side's JSON.
func (c *CSVWriter) WriteJSON(raw json.RawMessage) error {
	m := newMessage(c.item)
	if err := module.UnmarshalJSON(raw, m); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return c.Write(m)
}

func (c *CSVWriter) Flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.raw.Flush()
}

// cellOf renders the leaf at path in m ("" when unset on the way).
func cellOf(m protoreflect.Message, path []protoreflect.FieldDescriptor) (string, error) {
	for _, f := range path[:len(path)-1] {
		if !m.Has(f) {
			return "", nil
		}
		m = m.Get(f).Message()
	}
	f := path[len(path)-1]
	if !m.Has(f) {
		return "", nil
	}
	v := m.Get(f)
	if !f.IsList() && f.Message() != nil && f.Message().FullName() == timestampName {
		tm := v.Message()
		fs := tm.Descriptor().Fields()
		return formatTimestamp(tm.Get(fs.ByName("seconds")).Int(), tm.Get(fs.ByName("nanos")).Int()), nil
	}
	if f.IsList() || f.IsMap() || f.Message() != nil {
		// The field's protobuf JSON, cut from a message holding it alone:
		// {"<name>":<value>}.
		only := m.New()
		only.Set(f, v)
		bz, err := module.MarshalJSON(only.Interface())
		if err != nil {
			return "", err
		}
		raw := bz[len(f.Name())+4 : len(bz)-1]
		var s string
		if raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
			return s, nil // a well-known type written as text
		}
		return string(raw), nil
	}
	switch f.Kind() {
	case protoreflect.StringKind:
		return escapeCell(v.String()), nil
	case protoreflect.BytesKind:
		return base64.StdEncoding.EncodeToString(v.Bytes()), nil
	case protoreflect.EnumKind:
		if ev := f.Enum().Values().ByNumber(v.Enum()); ev != nil {
			return string(ev.Name()), nil
		}
		return strconv.Itoa(int(v.Enum())), nil
	}
	return fmt.Sprint(v.Interface()), nil
}

var timestampName = protoreflect.FullName("google.protobuf.Timestamp")

// formatTimestamp writes a time as protobuf JSON does: RFC 3339 in UTC,
// with 0, 3, 6 or 9 fractional digits.
func formatTimestamp(secs, nanos int64) string {
	t := time.Unix(secs, nanos).UTC()
	x := t.Format("2006-01-02T15:04:05.000000000")
	x = strings.TrimSuffix(x, "000")
	x = strings.TrimSuffix(x, "000")
	x = strings.TrimSuffix(x, ".000")
	return x + "Z"
}

// escapeCell keeps a spreadsheet from reading text as a formula.
func escapeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@'\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ReadCSV reads a CSV export back: its metadata and records.
func ReadCSV(r io.Reader, item protoreflect.MessageDescriptor) (Meta, []proto.Message, error) {
	var meta Meta
	br := bufio.NewReader(r)
	line, err := br.ReadString('\n')
	if err != nil {
		return meta, nil, fmt.Errorf("csv: metadata line: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if !strings.HasPrefix(line, BOM) {
		return meta, nil, errors.New("csv: no UTF-8 byte-order mark")
	}
	line = strings.TrimPrefix(line, BOM)
	if !strings.HasPrefix(line, csvMetaPrefix+"; ") {
		return meta, nil, fmt.Errorf("csv: the first line is not %q", csvMetaPrefix)
	}
	for _, kv := range strings.Split(strings.TrimPrefix(line, csvMetaPrefix+"; "), "; ") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "list":
			meta.List = v
		case "chain_id":
			meta.ChainID = v
		case "height":
			meta.Height, _ = strconv.ParseInt(v, 10, 64)
		case "app_hash":
			meta.AppHash = v
		case "query":
			meta.Query = v
		}
	}
	cr := csv.NewReader(br)
	header, err := cr.Read()
	if err != nil {
		return meta, nil, fmt.Errorf("csv: column names: %w", err)
	}
	byName := map[string]column{}
	for _, c := range columnsOf(item, nil, "") {
		byName[c.name] = c
	}
	cols := make([]column, len(header))
	for i, h := range header {
		c, ok := byName[h]
		if !ok {
			return meta, nil, fmt.Errorf("csv: unknown column %q for %s", h, item.FullName())
		}
		cols[i] = c
	}
	var out []proto.Message
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return meta, out, nil
		}
		if err != nil {
			return meta, nil, fmt.Errorf("csv: row %d: %w", len(out)+1, err)
		}
		m := newMessage(item)
		for i, cell := range row {
			if cell == "" {
				continue
			}
			if err := setCell(m.ProtoReflect(), cols[i].path, cell); err != nil {
				return meta, nil, fmt.Errorf("csv: row %d, column %s: %w", len(out)+1, cols[i].name, err)
			}
		}
		out = append(out, m)
	}
}

// setCell sets the leaf at path in m from its cell.
func setCell(m protoreflect.Message, path []protoreflect.FieldDescriptor, cell string) error {
	for _, f := range path[:len(path)-1] {
		m = m.Mutable(f).Message()
	}
	f := path[len(path)-1]
	if f.IsList() || f.IsMap() || f.Message() != nil {
		raw := []byte(cell)
		if f.Message() != nil && !f.IsList() && !f.IsMap() && !json.Valid(raw) {
			raw, _ = json.Marshal(cell) // a timestamp's text
		}
		var obj bytes.Buffer
		name, _ := json.Marshal(string(f.Name()))
		obj.WriteByte('{')
		obj.Write(name)
		obj.WriteByte(':')
		obj.Write(raw)
		obj.WriteByte('}')
		only := m.New()
		if err := module.UnmarshalJSON(obj.Bytes(), only.Interface()); err != nil {
			return err
		}
		m.Set(f, only.Get(f))
		return nil
	}
	switch f.Kind() {
	case protoreflect.StringKind:
		m.Set(f, protoreflect.ValueOfString(strings.TrimPrefix(cell, "'")))
		return nil
	case protoreflect.BytesKind:
		b, err := base64.StdEncoding.DecodeString(cell)
		if err != nil {
			return err
		}
		m.Set(f, protoreflect.ValueOfBytes(b))
		return nil
	case protoreflect.EnumKind:
		if ev := f.Enum().Values().ByName(protoreflect.Name(cell)); ev != nil {
			m.Set(f, protoreflect.ValueOfEnum(ev.Number()))
			return nil
		}
		n, err := strconv.ParseInt(cell, 10, 32)
		if err != nil {
			return fmt.Errorf("unknown %s %q", f.Enum().Name(), cell)
		}
		m.Set(f, protoreflect.ValueOfEnum(protoreflect.EnumNumber(n)))
		return nil
	}
	v, err := ParseValue(f, cell)
	if err != nil {
		return err
	}
	m.Set(f, v)
	return nil
}
