package query_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/jcredit/jcredit/node/query"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/module"
)

func TestBind(t *testing.T) {
	req := &creditsv1.QueryRetirementsRequest{}
	err := query.Bind(req, map[string]string{
		"fiscal_year": "2025", "use": "re100", "beneficiary": "株式会社みどり, 本社", "category": "renewable-electricity",
		"fromDate": "2025-04-01", "limit": "20", "reverse": "true", "cursor": "abc",
	})
	want := &creditsv1.QueryRetirementsRequest{
		FiscalYear: 2025, Use: creditsv1.Use_USE_RE100, Beneficiary: "株式会社みどり, 本社", FromDate: "2025-04-01",
		Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, Page: &queryv1.PageRequest{Limit: 20, Reverse: true, Cursor: "abc"},
	}
	if err != nil || !proto.Equal(req, want) {
		t.Fatalf("Bind: %v %v", req, err)
	}
	if got := query.Unbind(req); got != "beneficiary=%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE%E3%81%BF%E3%81%A9%E3%82%8A%2C+%E6%9C%AC%E7%A4%BE&category=CATEGORY_RENEWABLE_ELECTRICITY&fiscal_year=2025&from_date=2025-04-01&use=USE_RE100" {
		t.Fatalf("Unbind: %s", got)
	}
	for _, bad := range []map[string]string{
		{"fiscal_yaer": "2025"}, {"fiscal_year": "twenty"}, {"use": "re200"}, {"use": "unspecified"}, {"limit": "0"},
		{"reverse": "backwards"}, {"page": "1"},
	} {
		var pe *query.ParamError
		if err := query.Bind(&creditsv1.QueryRetirementsRequest{}, bad); !errors.As(err, &pe) {
			t.Errorf("Bind(%v): %v", bad, err)
		}
	}
	if err := query.Bind(&creditsv1.QueryBatchRequest{}, map[string]string{"limit": "2"}); err == nil || !strings.Contains(err.Error(), "not a list") {
		t.Fatalf("a page parameter for a record: %v", err)
	}
}

func records() []proto.Message {
	var out []proto.Message
	for i := 1; i <= 5; i++ {
		out = append(out, &creditsv1.Retirement{
			Id: fmt.Sprintf("JCR-%08d", i), Account: "0x52908400098527886E0F7030069857D2E4169EE7", AccountNumber: uint64(i),
			Beneficiary: []string{"株式会社みどり製作所", "=HYPERLINK(\"x\")", "'quoted", "Comma, Inc.\nsecond line", "+81"}[i-1],
			Uses:        []creditsv1.Use{creditsv1.Use_USE_RE100, creditsv1.Use_USE_CDP}, FiscalYear: 2025, Quantity: uint64(100 * i), Height: int64(10 + i),
			Details: strings.Repeat("詳細", i),
			Blocks:  []*creditsv1.SerialBlock{{BatchId: "JC-00000001", Start: 1, End: uint64(i), Serials: "JC-00000001-RE-2024-0000000001"}},
			Time:    timestamppb.New(time.Date(2026, 3, 31, 9, 0, i, 0, time.UTC)),
		})
	}
	out = append(out, &creditsv1.Retirement{Id: "JCR-00000006"}) // almost empty
	return out
}

// CSV and JSON Lines read back to the same records, with the metadata.
func TestExportRoundTrip(t *testing.T) {
	meta := query.Meta{List: "retirements", ChainID: "jcredit-test", Height: 42, AppHash: "ABCD", Query: "fiscal_year=2025"}
	md := (&creditsv1.Retirement{}).ProtoReflect().Descriptor()
	for _, format := range []string{query.FormatCSV, query.FormatJSONL} {
		var buf bytes.Buffer
		w, err := query.NewWriter(format, &buf, md)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Begin(meta); err != nil {
			t.Fatal(err)
		}
		for _, r := range records() {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		read := query.ReadCSV
		if format == query.FormatJSONL {
			read = query.ReadJSONL
		} else {
			if !strings.HasPrefix(buf.String(), query.BOM+"# jcredit export; list=retirements; chain_id=jcredit-test; height=42; app_hash=ABCD") {
				t.Fatalf("csv head: %.120q", buf.String())
			}
			if !strings.Contains(buf.String(), `"'=HYPERLINK(""x"")"`) {
				t.Fatalf("a formula is not defused:\n%s", buf.String())
			}
		}
		gotMeta, got, err := read(bytes.NewReader(buf.Bytes()), md)
		if err != nil {
			t.Fatalf("%s: %v\n%s", format, err, buf.String())
		}
		if gotMeta != meta {
			t.Fatalf("%s: metadata %+v", format, gotMeta)
		}
		want := records()
		if len(got) != len(want) {
			t.Fatalf("%s: %d records", format, len(got))
		}
		for i := range want {
			if !proto.Equal(got[i], want[i]) {
				t.Fatalf("%s: record %d:\n got  %v\n want %v", format, i, got[i], want[i])
			}
		}
	}
	// Nested and oneof fields are columns of their own.
	cols := strings.Join(query.Columns((&accountsv1.Proposal{}).ProtoReflect().Descriptor()), ",")
	if !strings.Contains(cols, "validator.kind") || strings.Contains(cols, "proposer,") || !strings.Contains(cols, "submitted_time") {
		t.Fatalf("proposal columns: %s", cols)
	}
}

// Export walks pages, passing each cursor on at the first page's height.
func TestExportPages(t *testing.T) {
	l, err := query.ListNamed("retirements")
	if err != nil {
		t.Fatal(err)
	}
	all := records()
	var heights []int64
	ask := func(_ context.Context, path string, data []byte, height int64) ([]byte, error) {
		if path != "/credits/Retirements" {
			return nil, fmt.Errorf("path %s", path)
		}
		heights = append(heights, height)
		req := &creditsv1.QueryRetirementsRequest{}
		if err := module.UnmarshalJSON(data, req); err != nil {
			return nil, err
		}
		if req.Page.Limit != module.MaxPageLimit || req.FiscalYear != 2025 {
			return nil, fmt.Errorf("request %v", req)
		}
		// Two records a page; the cursor is the next index.
		start := 0
		fmt.Sscan(req.Page.Cursor, &start)
		resp := &creditsv1.QueryRetirementsResponse{Page: &queryv1.PageResponse{Height: 7}}
		for i := start; i < start+2 && i < len(all); i++ {
			resp.Retirements = append(resp.Retirements, all[i].(*creditsv1.Retirement))
		}
		if start+2 < len(all) {
			resp.Page.NextCursor = fmt.Sprint(start + 2)
		}
		return module.MarshalJSON(resp)
	}
	var buf bytes.Buffer
	w := query.NewJSONLWriter(&buf)
	pages := 0
	n, err := query.Export(context.Background(), ask, l, &creditsv1.QueryRetirementsRequest{FiscalYear: 2025}, 0, w, func() error { pages++; return nil })
	if err != nil || n != len(all) || pages != 3 {
		t.Fatalf("export: %d records, %d pages, %v", n, pages, err)
	}
	if fmt.Sprint(heights) != "[0 7 7]" {
		t.Fatalf("heights asked: %v", heights)
	}
	if lines := strings.Count(buf.String(), "\n"); lines != len(all) {
		t.Fatalf("%d lines", lines)
	}
}

func TestListsAreQueries(t *testing.T) {
	for _, l := range query.Lists {
		md := l.Method()
		if !query.IsList(md) || query.ItemsField(md.Output()) == nil {
			t.Errorf("%s (%s) is not a paged list", l.Name, l.Path())
		}
		if l.Arg != "" && md.Input().Fields().ByName(protoreflectName(l.Arg)) == nil {
			t.Errorf("%s: no field %s", l.Name, l.Arg)
		}
	}
}

func protoreflectName(s string) protoreflect.Name { return protoreflect.Name(s) }

// An export holds one page at a time: exporting 100,000 records (from an
// asker that makes each page afresh) keeps the live heap, measured after
// every page, as it was after the first.
func TestExportHoldsOnePage(t *testing.T) {
	if testing.Short() {
		t.Skip("exports 100,000 records")
	}
	l, _ := query.ListNamed("retirements")
	const total, per = 100_000, 1000
	ask := func(_ context.Context, _ string, data []byte, _ int64) ([]byte, error) {
		req := &creditsv1.QueryRetirementsRequest{}
		if err := module.UnmarshalJSON(data, req); err != nil {
			return nil, err
		}
		start := 0
		fmt.Sscan(req.Page.Cursor, &start)
		resp := &creditsv1.QueryRetirementsResponse{Page: &queryv1.PageResponse{Height: 1}}
		tmpl := records()[0].(*creditsv1.Retirement)
		for i := start; i < start+per; i++ {
			r := proto.Clone(tmpl).(*creditsv1.Retirement)
			r.Id = fmt.Sprintf("JCR-%08d", i+1)
			resp.Retirements = append(resp.Retirements, r)
		}
		if start+per < total {
			resp.Page.NextCursor = fmt.Sprint(start + per)
		}
		return module.MarshalJSON(resp)
	}
	live := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	for _, format := range []string{query.FormatCSV, query.FormatJSONL} {
		w, _ := query.NewWriter(format, io.Discard, (&creditsv1.Retirement{}).ProtoReflect().Descriptor())
		var first, most uint64
		pages := 0
		n, err := query.Export(context.Background(), ask, l, &creditsv1.QueryRetirementsRequest{}, 1, w, func() error {
			if pages++; pages%20 == 1 {
				h := live()
				if first == 0 {
					first = h
				}
				most = max(most, h)
			}
			return nil
		})
		if err != nil || n != total {
			t.Fatalf("%s: %d records, %v", format, n, err)
		}
		if most > first+4<<20 {
			t.Fatalf("%s: the live heap grew from %d KiB after the first page to %d KiB", format, first>>10, most>>10)
		}
		t.Logf("%s: live heap %d KiB after the first page, at most %d KiB over %d pages", format, first>>10, most>>10, pages)
	}
}
