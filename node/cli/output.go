package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/jcredit/jcredit/node/query"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
)

func outputFormat(cmd *cobra.Command) string {
	o, _ := cmd.Flags().GetString(flagOutput)
	return o
}

func isJSON(cmd *cobra.Command) bool { return outputFormat(cmd) == OutputJSON }

// emit writes v as indented JSON with --output json, or calls text.
func emit(cmd *cobra.Command, v any, text func(w io.Writer)) error {
	w := cmd.OutOrStdout()
	if isJSON(cmd) {
		bz, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, string(bz))
		return err
	}
	text(w)
	return nil
}

// note writes a line for people to stderr (never mixed into JSON output).
func note(cmd *cobra.Command, format string, args ...any) {
	fmt.Fprintf(cmd.ErrOrStderr(), format+"\n", args...)
}

// Text output of query answers: a list as a table of its records (the
// columns that say what each is; -o json has every field), a record as
// indented "field: value" lines, then the accounts the answer names.

// tableColumns are the columns of a list's table, by record type; other
// records show their scalar fields.
var tableColumns = map[string][]string{
	"jcredit.credits.v1.Retirement":        {"id", "time", "account_number", "beneficiary", "uses", "fiscal_year", "quantity", "blocks"},
	"jcredit.credits.v1.Cancellation":      {"id", "time", "ministry_account", "reason", "quantity", "blocks"},
	"jcredit.credits.v1.StatRow":           {"value", "issued", "active", "locked", "retired", "cancelled", "retirements"},
	"jcredit.credits.v1.AccountTotal":      {"use", "fiscal_year", "retired"},
	"jcredit.credits.v1.Batch":             {"id", "project_id", "category", "vintage_start", "vintage_end", "issued", "active", "retired", "cancelled"},
	"jcredit.credits.v1.Holding":           {"serials", "status", "quantity", "retirement_id", "cancellation_id"},
	"jcredit.credits.v1.Lock":              {"id", "status", "holder_account", "agent_account", "expires_height", "quantity", "buyer_account", "blocks"},
	"jcredit.credits.v1.OfferListing":      {"offer.id", "offer.holder_account", "offer.batch_id", "offer.category", "offer.vintage_year", "offer.quantity", "available", "offer.price_yen_per_t", "offer.contact"},
	"jcredit.projects.v1.Project":          {"id", "name", "status", "methodology", "prefecture", "operator_account"},
	"jcredit.projects.v1.MonitoringReport": {"id", "status", "period_start", "period_end", "claimed_t_co2", "verified_t_co2", "batch_id"},
	"jcredit.projects.v1.Methodology":      {"code", "title", "category", "status"},
	"jcredit.accounts.v1.Account":          {"number", "address", "legal_name", "entity_kind", "country", "roles", "status"},
	"jcredit.accounts.v1.Validator":        {"name", "address", "power", "operator_account", "since_height"},
	"jcredit.accounts.v1.Proposal":         {"id", "status", "proposer_account", "approval_accounts", "expires_height", "decided_height"},
	"jcredit.upgrade.v1.Applied":           {"name", "height", "from_version", "to_version", "info"},
}

// printList writes a list answer's records as a table.
func printList(w io.Writer, ans proto.Message) {
	items := query.Items(ans)
	f := query.ItemsField(ans.ProtoReflect().Descriptor())
	md := f.Message()
	cols := tableColumns[string(md.FullName())]
	if cols == nil {
		fs := md.Fields()
		for i := 0; i < fs.Len() && len(cols) < 8; i++ {
			if fd := fs.Get(i); !fd.IsList() && fd.Message() == nil {
				cols = append(cols, string(fd.Name()))
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = strings.ToUpper(strings.ReplaceAll(c[strings.LastIndex(c, ".")+1:], "_", " "))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, it := range items {
		m := it.ProtoReflect()
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = cellOf(m, c)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d %s\n", len(items), f.Name())
	printAccounts(w, ans)
}

// cellOf is the text of column c of record m; "a.b" is field b of the
// record's message field a (an offer listing's offer).
func cellOf(m protoreflect.Message, c string) string {
	for {
		head, rest, nested := strings.Cut(c, ".")
		fd := m.Descriptor().Fields().ByName(protoreflect.Name(head))
		if fd == nil || !m.Has(fd) {
			return ""
		}
		if !nested {
			return textValue(fd, m.Get(fd))
		}
		if fd.Message() == nil || fd.IsList() {
			return ""
		}
		m, c = m.Get(fd).Message(), rest
	}
}

// printRecord writes a record answer's fields as indented lines.
func printRecord(w io.Writer, ans proto.Message) {
	printFields(w, ans.ProtoReflect(), "")
	printAccounts(w, ans)
}

func printFields(w io.Writer, m protoreflect.Message, indent string) {
	fs := m.Descriptor().Fields()
	for i := 0; i < fs.Len(); i++ {
		fd := fs.Get(i)
		if !m.Has(fd) || isAccountRefs(fd) {
			continue
		}
		v := m.Get(fd)
		switch {
		case fd.IsList() && fd.Message() != nil && !isTimestamp(fd.Message()):
			fmt.Fprintf(w, "%s%s:\n", indent, fd.Name())
			l := v.List()
			for j := 0; j < l.Len(); j++ {
				fmt.Fprintf(w, "%s  - #%d\n", indent, j+1)
				printFields(w, l.Get(j).Message(), indent+"    ")
			}
		case fd.Message() != nil && !fd.IsList() && !fd.IsMap() && !isTimestamp(fd.Message()):
			fmt.Fprintf(w, "%s%s:\n", indent, fd.Name())
			printFields(w, v.Message(), indent+"  ")
		default:
			fmt.Fprintf(w, "%s%s: %s\n", indent, fd.Name(), textValue(fd, v))
		}
	}
}

// printAccounts writes the accounts an answer names.
func printAccounts(w io.Writer, ans proto.Message) {
	m := ans.ProtoReflect()
	fd := m.Descriptor().Fields().ByName("accounts")
	if fd == nil || !isAccountRefs(fd) || !m.Has(fd) {
		return
	}
	fmt.Fprintln(w, "accounts:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	l := m.Get(fd).List()
	for i := 0; i < l.Len(); i++ {
		a := l.Get(i).Message().Interface().(*queryv1.AccountRef)
		fmt.Fprintf(tw, "  #%d\t%s\t%s\n", a.Number, a.Address, a.LegalName)
	}
	tw.Flush()
}

func isAccountRefs(fd protoreflect.FieldDescriptor) bool {
	return fd.IsList() && fd.Message() != nil && fd.Message().FullName() == (&queryv1.AccountRef{}).ProtoReflect().Descriptor().FullName()
}

func isTimestamp(md protoreflect.MessageDescriptor) bool {
	return md.FullName() == "google.protobuf.Timestamp"
}

// jst is Japan Standard Time, in which text output shows times.
var jst = time.FixedZone("JST", 9*60*60)

// textValue renders one field's value for people: enums without their
// prefix, times in Japan time, lists joined, a record list by the
// elements' serials or ids.
func textValue(fd protoreflect.FieldDescriptor, v protoreflect.Value) string {
	if fd.IsList() {
		l := v.List()
		parts := make([]string, 0, l.Len())
		for i := 0; i < l.Len(); i++ {
			e := l.Get(i)
			if fd.Message() != nil && !isTimestamp(fd.Message()) {
				em := e.Message()
				label := ""
				for _, name := range []string{"serials", "id", "name", "code"} {
					if f := em.Descriptor().Fields().ByName(protoreflect.Name(name)); f != nil && em.Has(f) {
						label = em.Get(f).String()
						break
					}
				}
				parts = append(parts, label)
				continue
			}
			parts = append(parts, scalarText(fd, e))
		}
		return strings.Join(parts, ", ")
	}
	return scalarText(fd, v)
}

func scalarText(fd protoreflect.FieldDescriptor, v protoreflect.Value) string {
	switch {
	case fd.Message() != nil && isTimestamp(fd.Message()):
		m := v.Message()
		secs := m.Get(m.Descriptor().Fields().ByName("seconds")).Int()
		nanos := m.Get(m.Descriptor().Fields().ByName("nanos")).Int()
		return time.Unix(secs, nanos).In(jst).Format("2006-01-02 15:04:05 JST")
	case fd.Kind() == protoreflect.EnumKind:
		ev := fd.Enum().Values().ByNumber(v.Enum())
		if ev == nil {
			return fmt.Sprint(v.Enum())
		}
		zero := string(fd.Enum().Values().ByNumber(0).Name())
		return strings.TrimPrefix(string(ev.Name()), strings.TrimSuffix(zero, "UNSPECIFIED"))
	case fd.Kind() == protoreflect.BytesKind:
		return base64.StdEncoding.EncodeToString(v.Bytes())
	}
	return fmt.Sprint(v.Interface())
}

// flagName is a request field's flag: fiscal_year -> fiscal-year.
func flagName(field string) string { return strings.ReplaceAll(field, "_", "-") }

// fieldHelps describe list filters; fieldHelp falls back on the field's
// kind.
var fieldHelps = map[string]string{
	"account":             "account: 0x address, account number or key name",
	"beneficiary":         "beneficiary's name (クレジット利用者名), exactly",
	"name":                "only records whose name contains this: any case, full- and half-width alike (accounts: legal name; projects, batches: project name)",
	"beneficiary_account": "beneficiary's own account: address, number or key name",
	"fiscal_year":         "reporting fiscal year, e.g. 2025",
	"from_date":           "from this date (YYYY-MM-DD, Japan time), inclusive",
	"to_date":             "to this date (YYYY-MM-DD, Japan time), inclusive",
	"batch_id":            "batch id, e.g. JC-00000001",
	"project_id":          "project id, e.g. JCP-000001",
	"operator":            "operator: address, account number or key name",
	"member":              "program member: address, account number or key name",
	"methodology":         "methodology code, e.g. EN-S-001",
	"prefecture":          "prefecture, ISO 3166-2:JP, e.g. JP-26",
	"pending":             "only proposals awaiting approval, soonest to expire first",
}

func fieldHelp(fd protoreflect.FieldDescriptor) string {
	if h, ok := fieldHelps[string(fd.Name())]; ok {
		return h
	}
	if fd.Kind() == protoreflect.EnumKind {
		return strings.ReplaceAll(string(fd.Name()), "_", " ") + ": " + strings.Join(query.EnumChoices(fd.Enum()), ", ")
	}
	return strings.ReplaceAll(string(fd.Name()), "_", " ")
}
