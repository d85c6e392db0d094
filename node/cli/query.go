package cli

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/query"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/module"
)

const (
	flagProve  = "prove"
	flagHeight = "height"
)

// newQueryCmd is the parent of every query command (alias q). Each module
// adds its subcommand with ONE line in the AddCommand list below.
func newQueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "query",
		Aliases: []string{"q"},
		Short:   "Read committed state from a node, optionally with a Merkle proof",
		Long: `Read committed state from the node (--node, $JCREDIT_NODE, or the home's
network.json or config.toml). Every command is one module query (the
rpcs of proto/jcredit/<module>/v1/query.proto, answered at the ABCI path
/<module>/<rpc>): -o json prints its answer exactly as the node renders it,
the same JSON the public API serves; -o text prints tables and key-value
blocks. Lists show one page: --limit (default 100, at most 1000),
--reverse (newest first) and --cursor (the previous page's next cursor,
which reads the same state as the first page); jcreditd export writes a
whole list. With --prove a single record's answer carries an ICS23 proof,
checked here against the app hash in the header of the next block (the
app hash of height H is committed in header H+1).`,
	}
	pf := cmd.PersistentFlags()
	pf.Bool(flagProve, false, "ask for a Merkle proof and verify it against header H+1's app hash (single records)")
	pf.Int64(flagHeight, 0, "state height to read (0: the latest)")

	cmd.AddCommand(
		newQueryAccountsCmd(),
		newQueryProjectsCmd(),
		newQueryCreditsCmd(),
		newQueryUpgradeCmd(),
		newQueryStoreCmd(),
		// One line per module: newQueryProjectsCmd(), newQueryCreditsCmd(), ...
	)
	return cmd
}

// runQuery asks module's rpc with req at --height and prints the answer:
// -o json, the answer's JSON as the node sent it (with --prove, inside
// {height, key, value, proof}); -o text, a table of a list's records or a
// record's fields, the accounts the answer names, and the height. With
// --prove the record must be the proven stored value.
func runQuery(cmd *cobra.Command, mod, rpc string, req proto.Message) error {
	md, err := query.Method(mod, rpc)
	if err != nil {
		return err
	}
	prove, _ := cmd.Flags().GetBool(flagProve)
	height, _ := cmd.Flags().GetInt64(flagHeight)
	data, err := module.MarshalJSON(req)
	if err != nil {
		return err
	}
	c, err := newClient(cmd)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), client.HeaderWait+30*time.Second)
	defer cancel()
	path := query.Path(md)
	if prove && query.IsList(md) {
		return fmt.Errorf("--prove: %s answers a list; proofs are of single records (a list's records can each be proven)", path)
	}
	resp, err := c.Query(ctx, path, data, height, prove)
	if err != nil {
		return err
	}
	ans := query.NewResponse(md)
	if err := module.UnmarshalJSON(resp.Value, ans); err != nil {
		return fmt.Errorf("decode the answer to %s: %w", path, err)
	}
	var v *client.Verified
	if prove {
		if v, err = c.VerifyQuery(ctx, resp); err != nil {
			return err
		}
		if v.Exists {
			if err := recordIsProven(ans, v.StoredValue); err != nil {
				return fmt.Errorf("%w: the answer does not match the proven state: %v", client.ErrProof, err)
			}
		}
	}
	if isJSON(cmd) {
		if v == nil {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "%s\n", resp.Value)
			return err
		}
		return emit(cmd, queryOutput{Height: resp.Height, Key: resp.Key, Value: resp.Value, Proof: v}, nil)
	}
	w := cmd.OutOrStdout()
	if query.IsList(md) {
		printList(w, ans)
		if pg := query.PageOf(ans); pg != nil && pg.NextCursor != "" {
			more := "more records follow"
			if pg.Partial {
				more = fmt.Sprintf("this page stopped after examining %d entries (the scan budget); more may follow", pg.Scanned)
			}
			note(cmd, "%s: --cursor %s", more, pg.NextCursor)
		}
	} else {
		printRecord(w, ans)
	}
	fmt.Fprintf(w, "height: %d\n", resp.Height)
	if v != nil {
		what := "presence"
		if !v.Exists {
			what = "absence"
		}
		fmt.Fprintf(w, "proof verified against app hash %X of header %d (H+1): %s of key %X\n", v.AppHash, v.HeaderHeight, what, v.Key)
	}
	return nil
}

// recordIsProven checks that a record answer's field 1 (the record, see
// x/module) is the proven stored value.
func recordIsProven(ans proto.Message, stored []byte) error {
	m := ans.ProtoReflect()
	f := m.Descriptor().Fields().ByNumber(1)
	if f == nil || f.Message() == nil || f.IsList() {
		return fmt.Errorf("%s holds no record in its field 1", m.Descriptor().Name())
	}
	kept := m.Get(f).Message().New().Interface()
	if err := proto.Unmarshal(stored, kept); err != nil {
		return fmt.Errorf("stored value: %w", err)
	}
	shown := m.Get(f).Message().Interface()
	if !proto.Equal(shown, kept) {
		return fmt.Errorf("answer %v, proven %v", shown, kept)
	}
	return nil
}

type queryOutput struct {
	Height int64             `json:"height"`
	Key    cmtbytes.HexBytes `json:"key,omitempty"`
	Value  json.RawMessage   `json:"value"`
	Proof  *client.Verified  `json:"proof,omitempty"`
}

// jsonOrHex embeds a JSON answer as it is and anything else as a hex
// string.
func jsonOrHex(v []byte) json.RawMessage {
	if len(v) == 0 {
		return json.RawMessage("null")
	}
	if json.Valid(v) {
		return v
	}
	s, _ := json.Marshal(hex.EncodeToString(v))
	return s
}

func newQueryStoreCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "store <hex key>",
		Short: "Read a raw state key (for tools and debugging)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := hex.DecodeString(args[0]); err != nil {
				return fmt.Errorf("key %q is not hex: %w", args[0], err)
			}
			prove, _ := cmd.Flags().GetBool(flagProve)
			height, _ := cmd.Flags().GetInt64(flagHeight)
			c, err := newClient(cmd)
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), client.HeaderWait+30*time.Second)
			defer cancel()
			resp, err := c.Query(ctx, app.StoreKeyPath, []byte(args[0]), height, prove)
			if err != nil {
				return err
			}
			var v *client.Verified
			if prove {
				if v, err = c.VerifyQuery(ctx, resp); err != nil {
					return err
				}
				if !bytes.Equal(resp.Value, v.StoredValue) {
					return fmt.Errorf("%w: the answer is not the proven stored value", client.ErrProof)
				}
			}
			return emit(cmd, queryOutput{Height: resp.Height, Key: resp.Key, Value: jsonOrHex(resp.Value), Proof: v}, func(w io.Writer) {
				if len(resp.Value) == 0 {
					fmt.Fprintln(w, "(no value)")
				} else {
					fmt.Fprintln(w, hex.EncodeToString(resp.Value))
				}
				fmt.Fprintf(w, "height: %d\n", resp.Height)
				if v != nil {
					fmt.Fprintf(w, "proof verified against app hash %X of header %d (H+1)\n", v.AppHash, v.HeaderHeight)
				}
			})
		},
	}
}

// listFlags are the flags of a list command: one per request field (by
// its name with "-" for "_"), and the page's.
type listFlags struct {
	values  map[string]*string
	bools   map[string]*bool
	fields  []protoreflect.FieldDescriptor
	limit   uint32
	cursor  string
	reverse bool
}

// addListFlags adds to cmd a flag for every field of list l's request but
// the one its argument gives (and the page, for paged commands).
func addListFlags(cmd *cobra.Command, l query.List, paged bool) *listFlags {
	lf := &listFlags{values: map[string]*string{}, bools: map[string]*bool{}}
	fs := l.Method().Input().Fields()
	f := cmd.Flags()
	for i := 0; i < fs.Len(); i++ {
		fd := fs.Get(i)
		name := string(fd.Name())
		if name == "page" || name == l.Arg {
			continue
		}
		lf.fields = append(lf.fields, fd)
		flag := flagName(name)
		if fd.Kind() == protoreflect.BoolKind {
			lf.bools[name] = f.Bool(flag, false, fieldHelp(fd))
			continue
		}
		lf.values[name] = f.String(flag, "", fieldHelp(fd))
	}
	if paged {
		f.Uint32Var(&lf.limit, "limit", 0, fmt.Sprintf("at most this many records (default %d, at most %d)", module.DefaultPageLimit, module.MaxPageLimit))
		f.StringVar(&lf.cursor, "cursor", "", "continue a listing from its previous page's next cursor")
	}
	f.BoolVar(&lf.reverse, "reverse", false, "descending order: newest first")
	return lf
}

// request builds the list's request from the flags set, resolving key
// names where an account is asked for.
func (lf *listFlags) request(cmd *cobra.Command, l query.List, arg string) (proto.Message, error) {
	params := map[string]string{}
	if l.Arg != "" && arg != "" {
		params[l.Arg] = arg
	}
	for _, fd := range lf.fields {
		name := string(fd.Name())
		if b, ok := lf.bools[name]; ok {
			if *b {
				params[name] = "true"
			}
			continue
		}
		if v := *lf.values[name]; v != "" {
			params[name] = v
		}
	}
	for name, v := range params {
		if accountFields[name] {
			acct, err := resolveAccount(cmd, v)
			if err != nil {
				return nil, fmt.Errorf("--%s: %w", flagName(name), err)
			}
			params[name] = acct
		}
	}
	if lf.limit > 0 {
		params[query.ParamLimit] = fmt.Sprint(lf.limit)
	}
	if lf.cursor != "" {
		params[query.ParamCursor] = lf.cursor
	}
	if lf.reverse {
		params[query.ParamReverse] = "true"
	}
	req := query.NewRequest(l.Method())
	if err := query.Bind(req, params); err != nil {
		return nil, err
	}
	return req, nil
}

// accountFields are request fields that name an account: the CLI takes a
// key name there too.
var accountFields = map[string]bool{"account": true, "beneficiary_account": true, "operator": true, "member": true, "holder": true, "agent": true, "grantor": true}

// newListCmd is the query command of list l: use names it (with l's
// argument, if any).
func newListCmd(use, short string, l query.List) *cobra.Command {
	return newListCmdArg(use, short, l, l.Arg)
}

// newListCmdArg is newListCmd whose optional argument gives the request
// field arg (reports [project-id]).
func newListCmdArg(use, short string, l query.List, arg string) *cobra.Command {
	var lf *listFlags
	args := cobra.NoArgs
	if arg != "" {
		args = cobra.RangeArgs(0, 1)
		if arg == "account" {
			args = cobra.ExactArgs(1)
		}
	}
	l.Arg = arg
	cmd := &cobra.Command{
		Use: use, Short: short, Args: args,
		Long: short + ".\n\nOrder: " + l.Order + ". One page per call (--limit, --cursor, --reverse);\n`jcreditd export " + l.Name + "` writes them all as CSV or JSON Lines.",
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			req, err := lf.request(cmd, l, arg)
			if err != nil {
				return err
			}
			return runQuery(cmd, l.Module, l.RPC, req)
		},
	}
	lf = addListFlags(cmd, l, true)
	return cmd
}

// listNamed is query.ListNamed for lists that exist.
func listNamed(name string) query.List {
	l, err := query.ListNamed(name)
	if err != nil {
		panic(err)
	}
	return l
}

// addPageFlags adds --limit, --cursor and --reverse to a list command that
// builds its own request (pageFlags reads them).
func addPageFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Uint32("limit", 0, fmt.Sprintf("at most this many records (default %d, at most %d)", module.DefaultPageLimit, module.MaxPageLimit))
	f.String("cursor", "", "continue a listing from its previous page's next cursor")
	f.Bool("reverse", false, "descending order: newest first")
}

func pageFlags(cmd *cobra.Command) (*queryv1.PageRequest, error) {
	limit, _ := cmd.Flags().GetUint32("limit")
	cursor, _ := cmd.Flags().GetString("cursor")
	reverse, _ := cmd.Flags().GetBool("reverse")
	return &queryv1.PageRequest{Limit: limit, Cursor: cursor, Reverse: reverse}, nil
}
