package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/node/query"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/module"
)

// export streams a whole list (?format=csv or jsonl) as of one committed
// state — the latest, or ?height=N — named in the X-Jcredit-Height and
// X-Jcredit-App-Hash headers and in the file's first line. It reads the
// list a page at a time through the module query, writing and flushing
// each page before the next, so memory stays bounded whatever the list's
// length, and each page extends the write deadline. An error after the
// first byte cannot change the status any more: the file then ends with a
// line saying so ("# error: ..." in CSV, {"jcredit_export_error": ...} in
// JSON Lines). At most Limits.MaxExports stream at once (503 beyond).
func (s *Server) export(w http.ResponseWriter, r *http.Request, l query.List, req proto.Message, format string, height int64) {
	if format != query.FormatCSV && format != query.FormatJSONL {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("format %q: use csv or jsonl", format))
		return
	}
	if pr := module.PageRequestOf(req); pr != nil && (pr.Cursor != "" || pr.Limit != 0) {
		writeError(w, http.StatusBadRequest, "an export is the whole list: leave out cursor and limit")
		return
	}
	most := s.Limits.MaxExports
	if most <= 0 {
		most = DefaultLimits.MaxExports
	}
	if s.exports.Add(1) > int32(most) {
		s.exports.Add(-1)
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("this node streams at most %d exports at once; retry in a few seconds", most))
		return
	}
	defer s.exports.Add(-1)
	snap, err := s.app.SnapshotAt(height)
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	height = snap.Version()
	// A first, one-record page: a bad filter is refused with its status
	// before anything is streamed.
	probe := proto.Clone(req)
	query.SetPage(probe, &queryv1.PageRequest{Limit: 1, Reverse: query.PageRequestOf(req).Reverse})
	res, err := s.ask(r.Context(), l.Path(), probe, height)
	if err != nil || res.Code != 0 {
		s.answer(w, res, err)
		return
	}

	meta := query.Meta{List: l.Name, ChainID: s.app.ChainID(), Height: height,
		AppHash: strings.ToUpper(fmt.Sprintf("%x", snap.Hash())), Query: query.Unbind(req)}
	if query.PageRequestOf(req).Reverse {
		meta.Query = strings.TrimPrefix(meta.Query+"&reverse=true", "&")
	}
	h := w.Header()
	ext, ctype := "csv", "text/csv; charset=utf-8"
	if format == query.FormatJSONL {
		ext, ctype = "jsonl", "application/x-ndjson; charset=utf-8"
	}
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%d.%s"`, l.Name, height, ext))
	h.Set("X-Jcredit-Height", strconv.FormatInt(height, 10))
	h.Set("X-Jcredit-App-Hash", meta.AppHash)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)

	out, err := query.NewWriter(format, w, query.ItemsField(l.Method().Output()).Message())
	if err != nil {
		return
	}
	rc := http.NewResponseController(w)
	deadline := s.Limits.WriteTimeout
	if deadline <= 0 {
		deadline = DefaultLimits.WriteTimeout
	}
	afterPage := func() error {
		if err := rc.Flush(); err != nil {
			return err
		}
		_ = rc.SetWriteDeadline(time.Now().Add(deadline)) // not every writer has one (tests)
		return nil
	}
	if err := out.Begin(meta); err != nil {
		return
	}
	_, err = query.Export(r.Context(), s.asker(s.redactor(l.Method())), l, req, height, out, afterPage)
	if err != nil && !errors.Is(err, context.Canceled) {
		if format == query.FormatCSV {
			fmt.Fprintf(w, "# error: %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		} else {
			fmt.Fprintf(w, "{\"jcredit_export_error\":%q}\n", err.Error())
		}
	}
}

// asker answers the export's module queries from the app, each answer cut
// by cut (nil: as it is) to what this node publishes.
func (s *Server) asker(cut func([]byte) ([]byte, error)) query.Asker {
	return func(ctx context.Context, path string, data []byte, height int64) ([]byte, error) {
		res, err := s.app.Query(ctx, &abci.QueryRequest{Path: path, Data: data, Height: height})
		if err != nil {
			return nil, err
		}
		if res.Code != 0 {
			return nil, fmt.Errorf("%s: %s/%d: %s", path, res.Codespace, res.Code, res.Log)
		}
		if cut != nil {
			return cut(res.Value)
		}
		return res.Value, nil
	}
}
