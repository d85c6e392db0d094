package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/jcredit/jcredit/node/query"
	"github.com/jcredit/jcredit/x/module"
)

// The query routes: each one module query, its request bound from the
// path and the query parameters by node/query's one rule (Bind), its
// answer the module's JSON as the app renders it. Nothing here reads
// state or decodes stored records.

// recordRoutes are the single-record routes: path, module, rpc and the
// request field the path's last part gives.
var recordRoutes = []struct{ route, module, rpc, field string }{
	{"/api/v1/accounts/{account}", "accounts", "Account", "account"},
	{"/api/v1/keys/{address}", "accounts", "Key", "address"},
	{"/api/v1/validators/{pub_key}", "accounts", "Validator", "pub_key"},
	{"/api/v1/proposals/{id}", "accounts", "Proposal", "id"},
	{"/api/v1/projects/{id}", "projects", "Project", "id"},
	{"/api/v1/reports/{id}", "projects", "Report", "id"},
	{"/api/v1/methodologies/{code}", "projects", "Methodology", "code"},
	{"/api/v1/batches/{id}", "credits", "Batch", "id"},
	{"/api/v1/serials/{serial}", "credits", "Serial", "serial"},
	{"/api/v1/retirements/{id}", "credits", "Retirement", "id"},
	{"/api/v1/cancellations/{id}", "credits", "Cancellation", "id"},
}

// Parameters every query route takes besides the request's own.
const (
	paramFormat = "format" // lists: csv or jsonl, the whole list as a file
	paramHeight = "height" // the state to read (default: the latest)
)

func (s *Server) queryRoutes() {
	for _, rr := range recordRoutes {
		md, err := query.Method(rr.module, rr.rpc)
		if err != nil {
			panic(err)
		}
		s.mux.HandleFunc(rr.route, s.queryHandler(md, nil, rr.field))
	}
	for i := range query.Lists {
		l := &query.Lists[i]
		route := "/api/v1/" + l.Name
		if l.Arg != "" {
			route += "/{" + l.Arg + "}"
		}
		s.mux.HandleFunc(route, s.queryHandler(l.Method(), l, l.Arg))
	}
	// A project's reports, as /api/v1/reports?project_id=...
	reports, _ := query.ListNamed("reports")
	s.mux.HandleFunc("/api/v1/projects/{project_id}/reports", s.queryHandler(reports.Method(), &reports, "project_id"))
	// Any module query by its name: /api/v1/query/credits/Retirements?...
	s.mux.HandleFunc("/api/v1/query/{module}/{rpc}", func(w http.ResponseWriter, r *http.Request) {
		md, err := query.Method(r.PathValue("module"), r.PathValue("rpc"))
		if err != nil {
			writeError(w, http.StatusNotFound, err.Error())
			return
		}
		var l *query.List
		for i := range query.Lists {
			if query.Lists[i].Method().FullName() == md.FullName() {
				l = &query.Lists[i]
			}
		}
		s.queryHandler(md, l, "")(w, r)
	})
}

// queryHandler answers md; pathField, if set, is the request field the
// route's path parameter of that name gives; l is the list md answers, if
// it is one (then ?format= exports it).
func (s *Server) queryHandler(md protoreflect.MethodDescriptor, l *query.List, pathField string) http.HandlerFunc {
	path := query.Path(md)
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			writeError(w, http.StatusBadRequest, "malformed query string: "+err.Error())
			return
		}
		params := map[string]string{}
		if pathField != "" {
			params[pathField] = r.PathValue(pathField)
		}
		var format string
		var height int64
		for name, vals := range q {
			if len(vals) != 1 {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("parameter %q is given %d times", name, len(vals)))
				return
			}
			switch name {
			case paramFormat:
				format = vals[0]
			case paramHeight:
				if height, err = strconv.ParseInt(vals[0], 10, 64); err != nil || height < 1 {
					writeError(w, http.StatusBadRequest, fmt.Sprintf("height must be a whole number, 1 or more (got %q)", vals[0]))
					return
				}
			default:
				if _, dup := params[name]; dup {
					writeError(w, http.StatusBadRequest, fmt.Sprintf("%s is given by the path; leave the parameter out", name))
					return
				}
				params[name] = vals[0]
			}
		}
		req := query.NewRequest(md)
		if err := query.Bind(req, params); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		if format != "" {
			if l == nil {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("%s answers one record; only lists export (format=csv or jsonl)", path))
				return
			}
			s.export(w, r, *l, req, format, height)
			return
		}
		res, err := s.ask(r.Context(), path, req, height)
		s.answer(w, res, err)
	}
}

// ask runs a module query on the app at height (0: the latest).
func (s *Server) ask(ctx context.Context, path string, req proto.Message, height int64) (*abci.QueryResponse, error) {
	data, err := module.MarshalJSON(req)
	if err != nil {
		return nil, err
	}
	return s.app.Query(ctx, &abci.QueryRequest{Path: path, Data: data, Height: height})
}
