package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node/client"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
)

// Dry runs and confirmations. A retirement or cancellation can never be
// undone, so the CLI can show first what it would do: --dry-run runs the
// messages against the latest committed state through the node's simulate
// query (nothing is signed or sent) and prints the serial blocks they
// would take, the record they would write and every rule that would fail.
// Run interactively, retire and cancel show that preview and ask before
// signing, unless --yes; from scripts (stdin not a terminal) they do not
// ask.

const (
	flagDryRun = "dry-run"
	flagYes    = "yes"
)

// addDryRunFlags adds --dry-run, and --yes to commands that ask first.
func addDryRunFlags(cmd *cobra.Command, asks bool) {
	cmd.Flags().Bool(flagDryRun, false, "show what the transaction would do against the latest committed state (serial blocks, record, every failing rule), without signing or sending it")
	if asks {
		cmd.Flags().Bool(flagYes, false, "do not ask for confirmation (a retirement or cancellation is permanent)")
	}
}

// sendChecked sends msgs, or with --dry-run only previews them; what names
// the permanent act for the confirmation question ("" asks nothing).
func sendChecked(cmd *cobra.Command, what string, msgs ...proto.Message) error {
	if dry, _ := cmd.Flags().GetBool(flagDryRun); dry {
		ans, err := simulateMsgs(cmd, msgs...)
		if err != nil {
			return err
		}
		if err := printSimulation(cmd, ans); err != nil {
			return err
		}
		if !ans.OK {
			return fmt.Errorf("the transaction would be refused: %s/%d", ans.Codespace, ans.Code)
		}
		return nil
	}
	yes, _ := cmd.Flags().GetBool(flagYes)
	if what != "" && !yes && interactive(cmd) {
		ans, err := simulateMsgs(cmd, msgs...)
		if err != nil {
			return err
		}
		if err := printSimulation(cmd, ans); err != nil {
			return err
		}
		if !ans.OK {
			return fmt.Errorf("not sent: the transaction would be refused (%s/%d); fix what the preview says", ans.Codespace, ans.Code)
		}
		ok, err := confirm(cmd, fmt.Sprintf("%s? This cannot be undone. [y/N] ", what))
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("not sent")
		}
	}
	return broadcastMsgs(cmd, msgs...)
}

// interactive reports whether stdin is a terminal a person answers on.
func interactive(cmd *cobra.Command) bool {
	f, ok := cmd.InOrStdin().(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func confirm(cmd *cobra.Command, question string) (bool, error) {
	fmt.Fprint(cmd.ErrOrStderr(), question)
	line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes", nil
}

// simulateMsgs asks the node what msgs, signed by --from, would do at the
// next block. Only the key's address is read: nothing is decrypted.
func simulateMsgs(cmd *cobra.Command, msgs ...proto.Message) (*app.SimulateAnswer, error) {
	from, _ := cmd.Flags().GetString(flagFrom)
	if from == "" {
		return nil, errors.New("--from is required: the name or address of the key that would sign")
	}
	signer, err := resolveAddress(cmd, from)
	if err != nil {
		return nil, err
	}
	timeout, _ := cmd.Flags().GetDuration(flagTimeout)
	ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
	defer cancel()
	c, err := newClient(cmd)
	if err != nil {
		return nil, err
	}
	st, err := c.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("ask the node for its latest block: %w", err)
	}
	body, err := tx.Build(st.NodeInfo.Network, 0, "", msgs...)
	if err != nil {
		return nil, err
	}
	return simulateBody(ctx, c, body, signer.Hex(), st.SyncInfo.LatestBlockTime)
}

// simulateBody asks the node what an unsigned body, signed by signer,
// would do at the next block, run at block time t (the latest block's).
func simulateBody(ctx context.Context, c *client.Client, body []byte, signer string, t time.Time) (*app.SimulateAnswer, error) {
	data, err := json.Marshal(app.SimulateRequest{Body: body, Signer: signer, Time: t})
	if err != nil {
		return nil, err
	}
	res, err := c.Query(ctx, app.SimulatePath, data, 0, false)
	if err != nil {
		return nil, err
	}
	var ans app.SimulateAnswer
	if err := json.Unmarshal(res.Value, &ans); err != nil {
		return nil, fmt.Errorf("simulate answer: %w", err)
	}
	return &ans, nil
}

// printSimulation writes a dry run's answer: JSON with -o json, else what
// a person needs to decide.
func printSimulation(cmd *cobra.Command, ans *app.SimulateAnswer) error {
	return emit(cmd, ans, func(w io.Writer) {
		fmt.Fprintf(w, "dry run at height %d (block time %s JST), signer %s (account %d); nothing was signed or sent\n",
			ans.Height, ans.Time.In(creditstypes.JST).Format("2006-01-02 15:04"), ans.Signer, ans.Account)
		if ans.GasUsed > 0 {
			fmt.Fprintf(w, "gas:     %d used of a limit of %d\n", ans.GasUsed, ans.GasWanted)
		}
		if !ans.OK {
			fmt.Fprintf(w, "result:  would be REFUSED (%s/%d)\n", ans.Codespace, ans.Code)
			for i, f := range ans.Failures {
				fmt.Fprintf(w, "  %d. %s\n", i+1, f)
			}
			return
		}
		fmt.Fprintln(w, "result:  would succeed")
		var pv struct {
			Retirements   []json.RawMessage   `json:"retirements"`
			Cancellations []json.RawMessage   `json:"cancellations"`
			Transfers     []map[string]string `json:"transfers"`
		}
		_ = json.Unmarshal(ans.Previews["credits"], &pv)
		for _, raw := range pv.Retirements {
			r := &creditsv1.Retirement{}
			if err := protojson.Unmarshal(raw, r); err != nil {
				continue
			}
			var uses []string
			for _, u := range r.Uses {
				uses = append(uses, strings.ToLower(strings.TrimPrefix(u.String(), "USE_")))
			}
			fmt.Fprintf(w, "would retire %d credits as %s for %s, fiscal %d, uses %s (use table version %d):\n",
				r.Quantity, r.Id, r.Beneficiary, r.FiscalYear, strings.Join(uses, ", "), r.RuleVersion)
			for _, b := range r.Blocks {
				fmt.Fprintf(w, "  %s  %d  %s %s/%s no. %s, %s %q, vintage %s..%s, from %s",
					b.Serials, b.End-b.Start+1, strings.ToLower(strings.TrimPrefix(b.Category.String(), "CATEGORY_")),
					b.SchemeSymbol, b.CreditType, b.CertificationNumber, b.ProjectId, b.ProjectName, b.VintageStart, b.VintageEnd,
					creditstypes.DescribePlace(b.Origin))
				if b.ElectricityKwh > 0 {
					fmt.Fprintf(w, ", %d kWh", b.ElectricityKwh)
				}
				if b.HeatMj > 0 {
					fmt.Fprintf(w, ", %d MJ", b.HeatMj)
				}
				fmt.Fprintln(w)
			}
		}
		for _, raw := range pv.Cancellations {
			c := &creditsv1.Cancellation{}
			if err := protojson.Unmarshal(raw, c); err != nil {
				continue
			}
			fmt.Fprintf(w, "would cancel %d credits as %s (%s):\n", c.Quantity, c.Id, c.Reason)
			for _, b := range c.Blocks {
				fmt.Fprintf(w, "  %s  %d\n", b.Serials, b.End-b.Start+1)
			}
		}
		for _, t := range pv.Transfers {
			fmt.Fprintf(w, "would transfer %s  %s to %s\n", t["serials"], t["quantity"], t["recipient"])
		}
		for name, raw := range ans.Previews {
			var buf strings.Builder
			buf.WriteString("record that would be written (" + name + "):\n")
			var pretty json.RawMessage = raw
			if bz, err := json.MarshalIndent(pretty, "", "  "); err == nil {
				buf.Write(bz)
			}
			fmt.Fprintln(w, buf.String())
		}
	})
}
