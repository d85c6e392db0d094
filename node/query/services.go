package query

import (
	"fmt"
	"sort"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/module"
)

// services are the modules' Query services, by module name (the first
// part of a query path).
var services = map[string]protoreflect.ServiceDescriptor{
	"accounts": accountsv1.File_jcredit_accounts_v1_query_proto.Services().ByName("Query"),
	"projects": projectsv1.File_jcredit_projects_v1_query_proto.Services().ByName("Query"),
	"credits":  creditsv1.File_jcredit_credits_v1_query_proto.Services().ByName("Query"),
	"upgrade":  upgradev1.File_jcredit_upgrade_v1_query_proto.Services().ByName("Query"),
}

// Modules lists the modules that answer queries, sorted.
func Modules() []string {
	out := make([]string, 0, len(services))
	for m := range services {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// Method is module's rpc named rpc.
func Method(mod, rpc string) (protoreflect.MethodDescriptor, error) {
	sd, ok := services[mod]
	if !ok {
		return nil, fmt.Errorf("no module %q answers queries (%s)", mod, strings.Join(Modules(), ", "))
	}
	md := sd.Methods().ByName(protoreflect.Name(rpc))
	if md == nil {
		var names []string
		for i := 0; i < sd.Methods().Len(); i++ {
			names = append(names, string(sd.Methods().Get(i).Name()))
		}
		return nil, fmt.Errorf("%s has no query %q (%s)", mod, rpc, strings.Join(names, ", "))
	}
	return md, nil
}

// Path is the ABCI query path of an rpc.
func Path(md protoreflect.MethodDescriptor) string {
	return module.QueryPath(moduleOf(md), string(md.Name()))
}

func moduleOf(md protoreflect.MethodDescriptor) string {
	for m, sd := range services {
		if sd.FullName() == md.Parent().FullName() {
			return m
		}
	}
	return ""
}

// NewRequest and NewResponse make empty messages of an rpc's types.
func NewRequest(md protoreflect.MethodDescriptor) proto.Message  { return newMessage(md.Input()) }
func NewResponse(md protoreflect.MethodDescriptor) proto.Message { return newMessage(md.Output()) }

func newMessage(d protoreflect.MessageDescriptor) proto.Message {
	mt, err := protoregistry.GlobalTypes.FindMessageByName(d.FullName())
	if err != nil {
		panic(fmt.Sprintf("query: %s is not linked in: %v", d.FullName(), err))
	}
	return mt.New().Interface()
}

// IsList reports whether an rpc pages (its request has a PageRequest
// "page").
func IsList(md protoreflect.MethodDescriptor) bool {
	f := md.Input().Fields().ByName("page")
	return f != nil && f.Message() != nil && f.Message().FullName() == pageRequestName
}

var (
	pageRequestName  = (&queryv1.PageRequest{}).ProtoReflect().Descriptor().FullName()
	pageResponseName = (&queryv1.PageResponse{}).ProtoReflect().Descriptor().FullName()
	accountRefName   = (&queryv1.AccountRef{}).ProtoReflect().Descriptor().FullName()
)

// ItemsField is the field of a list response that holds its records: the
// repeated message field that is not the answer's AccountRefs.
func ItemsField(resp protoreflect.MessageDescriptor) protoreflect.FieldDescriptor {
	fs := resp.Fields()
	for i := 0; i < fs.Len(); i++ {
		f := fs.Get(i)
		if f.IsList() && f.Message() != nil && f.Message().FullName() != accountRefName {
			return f
		}
	}
	return nil
}

// Items returns a list response's records.
func Items(resp proto.Message) []proto.Message {
	f := ItemsField(resp.ProtoReflect().Descriptor())
	if f == nil {
		return nil
	}
	l := resp.ProtoReflect().Get(f).List()
	out := make([]proto.Message, l.Len())
	for i := range out {
		out[i] = l.Get(i).Message().Interface()
	}
	return out
}

// PageOf returns a list response's PageResponse (nil if it has none).
func PageOf(resp proto.Message) *queryv1.PageResponse {
	m := resp.ProtoReflect()
	f := m.Descriptor().Fields().ByName("page")
	if f == nil || f.Message() == nil || f.Message().FullName() != pageResponseName || !m.Has(f) {
		return nil
	}
	pr, _ := m.Get(f).Message().Interface().(*queryv1.PageResponse)
	return pr
}

// SetPage sets a list request's PageRequest.
func SetPage(req proto.Message, pr *queryv1.PageRequest) {
	m := req.ProtoReflect()
	if f := m.Descriptor().Fields().ByName("page"); f != nil {
		m.Set(f, protoreflect.ValueOfMessage(pr.ProtoReflect()))
	}
}

// PageRequestOf returns a list request's PageRequest, or a new empty one.
func PageRequestOf(req proto.Message) *queryv1.PageRequest {
	if pr := module.PageRequestOf(req); pr != nil {
		return pr
	}
	return &queryv1.PageRequest{}
}
