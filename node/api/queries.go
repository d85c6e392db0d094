package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/jcredit/jcredit/node/query"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/module"
)

// The query routes: each one module query, its request bound from the
// path and the query parameters by node/query's one rule (Bind), its
// answer the module's JSON as the app renders it. Nothing here reads
// state or decodes stored records.

// recordRoutes are the single-record routes: path, module and rpc; each
// {name} in the path gives the request field of that name.
var recordRoutes = []struct{ route, module, rpc string }{
	{"/api/v1/accounts/{account}", "accounts", "Account"},
	{"/api/v1/keys/{address}", "accounts", "Key"},
	{"/api/v1/validators/{pub_key}", "accounts", "Validator"},
	{"/api/v1/proposals/{id}", "accounts", "Proposal"},
	{"/api/v1/delegations/{grantor}/{agent}", "accounts", "Delegation"},
	{"/api/v1/policies/{account}", "accounts", "Policy"},
	{"/api/v1/actions/{id}", "accounts", "PendingAction"},
	{"/api/v1/projects/{id}", "projects", "Project"},
	{"/api/v1/reports/{id}", "projects", "Report"},
	{"/api/v1/methodologies/{code}", "projects", "Methodology"},
	{"/api/v1/batches/{id}", "credits", "Batch"},
	{"/api/v1/serials/{serial}", "credits", "Serial"},
	{"/api/v1/retirements/{id}", "credits", "Retirement"},
	{"/api/v1/cancellations/{id}", "credits", "Cancellation"},
	{"/api/v1/locks/{id}", "credits", "Lock"},
	{"/api/v1/gx-operators/{account}", "accounts", "GxOperator"},
	{"/api/v1/gx-retired/{operator}/{fiscal_year}", "credits", "GxRetired"},
	{"/api/v1/use-table", "credits", "UseTable"},
	{"/api/v1/label-changes/{batch_id}/{number}", "credits", "LabelChange"},
	{"/api/v1/upgrade/plan", "upgrade", "Plan"},
	{"/api/v1/stats/projects", "projects", "Stats"},
	{"/api/v1/upgrades/{name}", "upgrade", "Applied"},
}

// pathFields are the {names} of a route.
func pathFields(route string) []string {
	var out []string
	for _, part := range strings.Split(route, "/") {
		if strings.HasPrefix(part, "{") && strings.HasSuffix(part, "}") {
			out = append(out, strings.Trim(part, "{}"))
		}
	}
	return out
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
		s.mux.HandleFunc(rr.route, s.queryHandler(md, nil, pathFields(rr.route)...))
	}
	for i := range query.Lists {
		l := &query.Lists[i]
		route := "/api/v1/" + l.Name
		if l.Arg != "" {
			route += "/{" + l.Arg + "}"
		}
		s.mux.HandleFunc(route, s.queryHandler(l.Method(), l, pathFields(route)...))
	}
	// A project's reports, as /api/v1/reports?project_id=...
	reports, _ := query.ListNamed("reports")
	s.mux.HandleFunc("/api/v1/projects/{project_id}/reports", s.queryHandler(reports.Method(), &reports, "project_id"))
	// An account's retirement totals, as /api/v1/account-totals/{account}.
	totals, _ := query.ListNamed("account-totals")
	s.mux.HandleFunc("/api/v1/accounts/{account}/totals", s.queryHandler(totals.Method(), &totals, "account"))
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
		s.queryHandler(md, l)(w, r)
	})
}

// queryHandler answers md; pathFields are the request fields the route's
// path parameters of those names give; l is the list md answers, if it is
// one (then ?format= exports it).
func (s *Server) queryHandler(md protoreflect.MethodDescriptor, l *query.List, pathFields ...string) http.HandlerFunc {
	path := query.Path(md)
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			writeError(w, http.StatusBadRequest, "malformed query string: "+err.Error())
			return
		}
		params := map[string]string{}
		for _, f := range pathFields {
			params[f] = r.PathValue(f)
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
		// A request of what this node does not publish: 403 once the module
		// finds it well-formed (a malformed one is 400, an unknown account
		// 404, whatever the setting); nothing of the answer is sent.
		if s.isPrivate(md) {
			probe := proto.Clone(req)
			query.SetPage(probe, &queryv1.PageRequest{Limit: 1})
			if res, err := s.ask(r.Context(), path, probe, height); err != nil || res.Code != 0 {
				s.answer(w, res, err)
				return
			}
			s.refusePrivate(w, md)
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
		if cut := s.redactor(md); cut != nil && err == nil && res.Code == 0 {
			res.Value, err = cut(res.Value)
		}
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
