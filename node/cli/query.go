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
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/node/client"
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
		Long: `Read committed state from --node. With --prove the answer carries an ICS23
proof, checked here against the app hash in the header of the next block
(the app hash of height H is committed in header H+1).`,
	}
	pf := cmd.PersistentFlags()
	pf.Bool(flagProve, false, "ask for a Merkle proof and verify it against header H+1's app hash")
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

// queryAndPrint runs the query path with data at --height and prints the
// answer; with --prove it also verifies the proof (see queryAndPrintChecked).
func queryAndPrint(cmd *cobra.Command, path string, data []byte) error {
	return queryAndPrintChecked(cmd, path, data, nil)
}

// queryAndPrintChecked is queryAndPrint for answers that render the stored
// bytes differently (module queries answer JSON; state holds protobuf):
// with --prove, check(answer, provenStoredBytes) must confirm that the
// answer is what the proof proves. protoAnswer builds such a check.
func queryAndPrintChecked(cmd *cobra.Command, path string, data []byte, check func(value, stored []byte) error) error {
	prove, _ := cmd.Flags().GetBool(flagProve)
	height, _ := cmd.Flags().GetInt64(flagHeight)
	c, err := newClient(cmd)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), client.HeaderWait+30*time.Second)
	defer cancel()
	resp, err := c.Query(ctx, path, data, height, prove)
	if err != nil {
		return err
	}
	var v *client.Verified
	if prove {
		v, err = c.VerifyQuery(ctx, resp)
		if err != nil {
			return err
		}
		switch {
		case check != nil && v.Exists:
			if err := check(resp.Value, v.StoredValue); err != nil {
				return fmt.Errorf("%w: the answer does not match the proven state: %v", client.ErrProof, err)
			}
		case check == nil && !bytes.Equal(resp.Value, v.StoredValue):
			return fmt.Errorf("%w: the answer is not the proven stored value", client.ErrProof)
		}
	}

	out := queryOutput{Height: resp.Height, Key: resp.Key, Value: jsonOrHex(resp.Value), Proof: v}
	return emit(cmd, out, func(w io.Writer) {
		if len(resp.Value) == 0 {
			fmt.Fprintln(w, "(no value)")
		} else if json.Valid(resp.Value) {
			var buf bytes.Buffer
			_ = json.Indent(&buf, resp.Value, "", "  ")
			fmt.Fprintln(w, buf.String())
		} else {
			fmt.Fprintln(w, hex.EncodeToString(resp.Value))
		}
		fmt.Fprintf(w, "height: %d\n", resp.Height)
		if v != nil {
			what := "presence"
			if !v.Exists {
				what = "absence"
			}
			fmt.Fprintf(w, "proof verified against app hash %X of header %d (H+1): %s of key %X\n", v.AppHash, v.HeaderHeight, what, v.Key)
		}
	})
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

// protoAnswer returns a check for queryAndPrintChecked: the answer is the
// protojson rendering of the stored protobuf message of type T (plus, for
// records that name accounts by number, an "accounts" list the proof does
// not cover).
func protoAnswer[T proto.Message](newMsg func() T) func(value, stored []byte) error {
	return func(value, stored []byte) error {
		shown, kept := newMsg(), newMsg()
		// Answers may append "accounts" (who the record's account numbers
		// are, resolved when read): not part of the proven record.
		if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(value, shown); err != nil {
			return fmt.Errorf("answer: %w", err)
		}
		if err := proto.Unmarshal(stored, kept); err != nil {
			return fmt.Errorf("stored value: %w", err)
		}
		if !proto.Equal(shown, kept) {
			return fmt.Errorf("answer %v, proven %v", shown, kept)
		}
		return nil
	}
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
			return queryAndPrint(cmd, app.StoreKeyPath, []byte(args[0]))
		},
	}
}
