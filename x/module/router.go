package module

import (
	"fmt"
	"sort"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Route is how one message type is checked and executed.
type Route struct {
	// New returns an empty message to decode into.
	New func() proto.Message
	// Validate checks the message alone, without state (field formats,
	// required fields). It runs in CheckTx and again in FinalizeBlock.
	Validate func(proto.Message) error
	// Handle executes the message against ctx.Store. Returning an error
	// discards every write and event of the transaction.
	Handle func(Context, proto.Message) error
}

// Router maps message full names (as in a google.protobuf.Any type URL) to
// their routes. It is filled once, when the app is built, by each module's
// RegisterMsgs; there is no global registration.
type Router struct {
	routes map[protoreflect.FullName]Route
}

// NewRouter returns an empty router.
func NewRouter() *Router { return &Router{routes: map[protoreflect.FullName]Route{}} }

// Add registers msg's type. It panics if the type is registered twice,
// which is a wiring bug found at start-up.
func (r *Router) Add(prototype proto.Message, validate func(proto.Message) error, handle func(Context, proto.Message) error) {
	name := prototype.ProtoReflect().Descriptor().FullName()
	if _, dup := r.routes[name]; dup {
		panic(fmt.Sprintf("module: message %s registered twice", name))
	}
	typ := prototype.ProtoReflect().Type()
	r.routes[name] = Route{
		New:      func() proto.Message { return typ.New().Interface() },
		Validate: validate,
		Handle:   handle,
	}
}

// Route looks up a message type by full name.
func (r *Router) Route(name protoreflect.FullName) (Route, bool) {
	rt, ok := r.routes[name]
	return rt, ok
}

// Names lists the registered message types in order.
func (r *Router) Names() []string {
	out := make([]string, 0, len(r.routes))
	for n := range r.routes {
		out = append(out, string(n))
	}
	sort.Strings(out)
	return out
}

// Register adds a typed handler: validate and handle receive the concrete
// message type, so handlers need no type assertions.
func Register[M proto.Message](r *Router, validate func(M) error, handle func(Context, M) error) {
	var zero M
	r.Add(zero.ProtoReflect().Type().New().Interface(),
		func(m proto.Message) error {
			if validate == nil {
				return nil
			}
			return validate(m.(M))
		},
		func(ctx Context, m proto.Message) error { return handle(ctx, m.(M)) })
}
