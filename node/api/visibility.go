package api

import (
	"fmt"
	"net/http"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/jcredit/jcredit/node/query"
	"github.com/jcredit/jcredit/x/module"
)

// What the public API shows of accounts ([api] public_holdings in
// app.toml; Server.PublicHoldings). The registry's records — retirements,
// cancellations, batches, projects, statistics — are public always: they
// are what the registry exists to show. Who holds what, and what the
// secretariat knows about a holder beyond its name, are not, unless the
// node's operator turns public_holdings on:
//
//   - per-account holdings and delegations (privateQueries) are refused
//     with 403 (a retirement made under a delegation still names its agent:
//     records are public);
//   - every account record in any answer, list or export is cut to its
//     number, address and legal name (publicFields); the replaced
//     versions of an account's details keep only the legal names and their
//     heights;
//   - account proof bundles (which carry the whole record) are refused.
//
// This is a setting of this API only. The state is replicated to every
// validator and full node, and anyone who can reach a node's CometBFT RPC
// (abci_query, with proofs) reads all of it: the README says so. An
// operator who must keep holdings confidential keeps RPC private.

// privateQueries are the module queries that answer one account's holdings,
// served only with public_holdings on. A new per-account query (totals,
// locks of an account) belongs here.
var privateQueries = map[protoreflect.FullName]string{
	"jcredit.credits.v1.Query.Holdings":           "an account's holdings",
	"jcredit.accounts.v1.Query.Delegation":        "who acts for an account (its delegations)",
	"jcredit.accounts.v1.Query.Delegations":       "who acts for an account (its delegations)",
	"jcredit.accounts.v1.Query.TrustedRecipients": "an account's trusted recipients",
	"jcredit.accounts.v1.Query.Members":           "who acts for an account (its member keys)",
	"jcredit.accounts.v1.Query.Policy":            "an account's approval thresholds",
	"jcredit.accounts.v1.Query.PendingAction":     "an account's actions awaiting approval",
	"jcredit.accounts.v1.Query.PendingActions":    "an account's actions awaiting approval",
}

// publicFields are, per record type, the fields served with public_holdings
// off; the record's other fields are cleared.
var publicFields = map[protoreflect.FullName]map[protoreflect.Name]bool{
	"jcredit.accounts.v1.Account":        {"number": true, "address": true, "legal_name": true},
	"jcredit.accounts.v1.AccountDetails": {"account": true, "version": true, "legal_name": true, "from_height": true, "until_height": true},
}

// isPrivate reports whether md is a query this node does not serve.
func (s *Server) isPrivate(md protoreflect.MethodDescriptor) bool {
	_, private := privateQueries[md.FullName()]
	return private && !s.PublicHoldings
}

// refusePrivate answers 403 and reports true if md is a private query this
// node does not serve.
func (s *Server) refusePrivate(w http.ResponseWriter, md protoreflect.MethodDescriptor) bool {
	if !s.isPrivate(md) {
		return false
	}
	what := privateQueries[md.FullName()]
	writeError(w, http.StatusForbidden, fmt.Sprintf("this node does not publish %s ([api] public_holdings is off in its app.toml); "+
		"retirements, cancellations, batches, projects and statistics are public, and an account's own holdings are in its client (jcreditd q credits holdings against a node it may query)", what))
	return true
}

// redactor returns the function that cuts an answer of md to what the
// public may see, or nil if md's answers hold no account details (or the
// node publishes them).
func (s *Server) redactor(md protoreflect.MethodDescriptor) func([]byte) ([]byte, error) {
	if s.PublicHoldings || !holdsPrivate(md.Output(), map[protoreflect.FullName]bool{}) {
		return nil
	}
	out := md.Output()
	return func(value []byte) ([]byte, error) {
		m := query.NewResponse(md)
		if err := module.UnmarshalJSON(value, m); err != nil {
			return nil, fmt.Errorf("redact %s: %w", out.FullName(), err)
		}
		redact(m.ProtoReflect())
		return module.MarshalJSON(m)
	}
}

// holdsPrivate reports whether messages of d can contain a record of
// publicFields.
func holdsPrivate(d protoreflect.MessageDescriptor, seen map[protoreflect.FullName]bool) bool {
	if _, ok := publicFields[d.FullName()]; ok {
		return true
	}
	if seen[d.FullName()] {
		return false
	}
	seen[d.FullName()] = true
	fs := d.Fields()
	for i := 0; i < fs.Len(); i++ {
		f := fs.Get(i)
		if f.IsMap() {
			f = f.MapValue()
		}
		if f.Message() != nil && holdsPrivate(f.Message(), seen) {
			return true
		}
	}
	return false
}

// redact clears, in m and every message inside it, the fields of
// publicFields records that are not public.
func redact(m protoreflect.Message) {
	keep, isRecord := publicFields[m.Descriptor().FullName()]
	var clear []protoreflect.FieldDescriptor
	m.Range(func(f protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case isRecord && !keep[f.Name()]:
			clear = append(clear, f)
		case f.IsList() && f.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				redact(l.Get(i).Message())
			}
		case f.IsMap() && f.MapValue().Message() != nil:
			v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
				redact(mv.Message())
				return true
			})
		case f.Message() != nil && !f.IsList() && !f.IsMap():
			redact(v.Message())
		}
		return true
	})
	for _, f := range clear {
		m.Clear(f)
	}
}
