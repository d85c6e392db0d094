package module

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The read side's one contract. Every module declares its queries as the
// rpcs of a `service Query` in its proto/jcredit/<module>/v1/query.proto,
// each with a request and a response message, and registers one handler
// per rpc on a QueryRouter (RegisterQuery, RegisterRecordQuery), as it
// registers message handlers on a Router. The app answers them:
//
//	ABCI query path  /<module>/<rpc>          e.g. /credits/Retirements
//	query data       the request in protobuf JSON (empty: every field unset)
//	answer value     the response in protobuf JSON, in the one JSON style
//	                 below, the same bytes the public API serves and
//	                 `jcreditd q … -o json` prints
//	answer key       for a record query, the full state key whose committed
//	                 value is the response's field 1: with prove=true the
//	                 app attaches an ICS23 proof of it
//
// The JSON style is protojson with the proto field names (snake_case), enum
// values by name, 64-bit integers as strings, unset fields left out, and no
// insignificant whitespace (MarshalJSON): one style for every module.
// Requests are parsed strictly: an unknown field is a bad query, so that a
// misspelt filter never silently lists everything.
//
// List queries page (page.go): the request has a PageRequest `page`, the
// response a PageResponse `page`.

// jsonOptions is the one JSON style of the read side.
var jsonOptions = protojson.MarshalOptions{UseProtoNames: true}

// MarshalJSON renders m in the read side's JSON style. protojson varies
// its whitespace from build to build on purpose; the compacted form does
// not, so every binary answers with the same bytes.
func MarshalJSON(m proto.Message) ([]byte, error) {
	bz, err := jsonOptions.Marshal(m)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Grow(len(bz))
	if err := json.Compact(&out, bz); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// UnmarshalJSON parses a request or response in the read side's JSON
// style (protojson accepts the proto and the JSON field names), refusing
// unknown fields.
func UnmarshalJSON(bz []byte, m proto.Message) error {
	return protojson.Unmarshal(bz, m)
}

// QueryPath is the ABCI query path of rpc method of module's Query
// service: "/credits/Retirements".
func QueryPath(module, method string) string { return "/" + module + "/" + method }

// QueryRoute is one registered query.
type QueryRoute struct {
	// Module is the module's name; Method the rpc's descriptor; Path the
	// ABCI query path.
	Module string
	Method protoreflect.MethodDescriptor
	Path   string
	// Record is true for queries answering one record with the state key
	// that holds the response's field 1 (provable).
	Record bool

	request protoreflect.MessageType
	handle  func(QueryContext, proto.Message) (proto.Message, []byte, error)
}

// Decode parses query data into the route's request: protobuf JSON, or
// nothing for an empty request. A malformed request is ErrBadQuery.
func (r *QueryRoute) Decode(data []byte) (proto.Message, error) {
	req := r.request.New().Interface()
	if len(bytes.TrimSpace(data)) == 0 {
		return req, nil
	}
	if err := UnmarshalJSON(data, req); err != nil {
		return nil, ErrBadQuery.Wrapf("%s takes a %s in protobuf JSON: %v", r.Path, r.Method.Input().Name(), err)
	}
	return req, nil
}

// Answer runs the handler on a decoded request and renders the response.
func (r *QueryRoute) Answer(q QueryContext, req proto.Message) (QueryResult, error) {
	q.fingerprint = Fingerprint(r.Path, req)
	resp, key, err := r.handle(q, req)
	if err != nil {
		return QueryResult{}, err
	}
	bz, err := MarshalJSON(resp)
	if err != nil {
		return QueryResult{}, ErrInternal.Wrapf("render %s: %v", r.Path, err)
	}
	return QueryResult{Value: bz, Key: key}, nil
}

// QueryRouter holds every module's queries by path. It is filled once, when
// the app is built; there is no global registration.
type QueryRouter struct {
	routes   map[string]*QueryRoute
	services []*QueryService
}

// NewQueryRouter returns an empty router.
func NewQueryRouter() *QueryRouter { return &QueryRouter{routes: map[string]*QueryRoute{}} }

// QueryService is the part of a router that one module's Query service
// fills.
type QueryService struct {
	router *QueryRouter
	module string
	desc   protoreflect.ServiceDescriptor
}

// Service starts the registration of module's queries: desc is its proto
// `service Query`, whose rpcs the module must each register.
func (r *QueryRouter) Service(module string, desc protoreflect.ServiceDescriptor) *QueryService {
	if desc == nil {
		panic(fmt.Sprintf("module: %s has no Query service descriptor", module))
	}
	s := &QueryService{router: r, module: module, desc: desc}
	r.services = append(r.services, s)
	return s
}

// RegisterQuery registers the handler of the rpc whose request type is
// Req; Resp must be its response type. Lists and other answers that no
// single state key holds use it.
func RegisterQuery[Req, Resp proto.Message](s *QueryService, handle func(QueryContext, Req) (Resp, error)) {
	register[Req, Resp](s, false, func(q QueryContext, req Req) (Resp, []byte, error) {
		resp, err := handle(q, req)
		return resp, nil, err
	})
}

// RegisterRecordQuery registers a query that answers one record: the
// handler returns the full state key whose committed value is the
// response's field 1, so that prove=true can prove the answer.
func RegisterRecordQuery[Req, Resp proto.Message](s *QueryService, handle func(QueryContext, Req) (Resp, []byte, error)) {
	register[Req, Resp](s, true, handle)
}

func register[Req, Resp proto.Message](s *QueryService, record bool, handle func(QueryContext, Req) (Resp, []byte, error)) {
	var req Req
	var resp Resp
	reqType := req.ProtoReflect().Type()
	in, out := reqType.Descriptor().FullName(), resp.ProtoReflect().Descriptor().FullName()
	var method protoreflect.MethodDescriptor
	ms := s.desc.Methods()
	for i := 0; i < ms.Len(); i++ {
		if ms.Get(i).Input().FullName() == in {
			method = ms.Get(i)
		}
	}
	if method == nil {
		panic(fmt.Sprintf("module: %s: no rpc of %s takes %s", s.module, s.desc.FullName(), in))
	}
	if method.Output().FullName() != out {
		panic(fmt.Sprintf("module: %s: rpc %s answers %s, not %s", s.module, method.Name(), method.Output().FullName(), out))
	}
	if record && method.Output().Fields().ByNumber(1) == nil {
		panic(fmt.Sprintf("module: %s: record query %s's response has no field 1", s.module, method.Name()))
	}
	path := QueryPath(s.module, string(method.Name()))
	if _, dup := s.router.routes[path]; dup {
		panic(fmt.Sprintf("module: query %s registered twice", path))
	}
	s.router.routes[path] = &QueryRoute{
		Module: s.module, Method: method, Path: path, Record: record, request: reqType,
		handle: func(q QueryContext, m proto.Message) (proto.Message, []byte, error) {
			resp, key, err := handle(q, m.(Req))
			if err != nil {
				return nil, nil, err
			}
			return resp, key, nil
		},
	}
}

// Check reports an rpc that a module declared but did not register: every
// query in the protos is answered.
func (r *QueryRouter) Check() error {
	for _, s := range r.services {
		ms := s.desc.Methods()
		for i := 0; i < ms.Len(); i++ {
			if _, ok := r.routes[QueryPath(s.module, string(ms.Get(i).Name()))]; !ok {
				return fmt.Errorf("module %s declares rpc %s in %s but registers no handler", s.module, ms.Get(i).Name(), s.desc.FullName())
			}
		}
	}
	return nil
}

// Route looks a query up by its ABCI path.
func (r *QueryRouter) Route(path string) (*QueryRoute, bool) {
	rt, ok := r.routes[path]
	return rt, ok
}

// Routes lists every query, by path.
func (r *QueryRouter) Routes() []*QueryRoute {
	out := make([]*QueryRoute, 0, len(r.routes))
	for _, rt := range r.routes {
		out = append(out, rt)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Unknown explains a path that names no query: which module's queries
// exist.
func (r *QueryRouter) Unknown(path string) error {
	mod, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	var names []string
	for _, rt := range r.Routes() {
		if rt.Module == mod {
			names = append(names, string(rt.Method.Name()))
		}
	}
	if len(names) == 0 {
		var mods []string
		for _, s := range r.services {
			mods = append(mods, s.module)
		}
		return ErrBadQuery.Wrapf("no query %q: paths are /<module>/<query> with module one of %s", path, strings.Join(mods, ", "))
	}
	return ErrBadQuery.Wrapf("no query %q: %s answers %s", path, mod, strings.Join(names, ", "))
}

// Fingerprint identifies a list query apart from its paging position:
// its path and request with the page's cursor and limit cleared. A cursor
// carries it, so that it cannot continue another query's walk.
func Fingerprint(path string, req proto.Message) []byte {
	m := proto.Clone(req)
	if f := pageField(m.ProtoReflect().Descriptor()); f != nil && m.ProtoReflect().Has(f) {
		pr := m.ProtoReflect().Mutable(f).Message()
		pd := pr.Descriptor().Fields()
		pr.Clear(pd.ByName("cursor"))
		pr.Clear(pd.ByName("limit"))
		if proto.Size(pr.Interface()) == 0 {
			// No page is the same query as a page with only a limit.
			m.ProtoReflect().Clear(f)
		}
	}
	bz, _ := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	h := sha256.New()
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write(bz)
	return h.Sum(nil)[:8]
}

// Query answers path with req in q as the app would (without its height
// pinning), decoding nothing: for tools and tests that hold a router.
func (r *QueryRouter) Query(q QueryContext, path string, req proto.Message) (QueryResult, error) {
	rt, ok := r.Route(path)
	if !ok {
		return QueryResult{}, r.Unknown(path)
	}
	if req == nil {
		req = rt.request.New().Interface()
	}
	return rt.Answer(q, req)
}
