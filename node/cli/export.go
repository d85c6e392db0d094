package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/node/query"
)

// newExportCmd writes whole lists: one subcommand per list, with the list
// query's filters as flags.
func newExportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write a whole list (retirements, batches, …) as CSV or JSON Lines, as of one height",
		Long: `Write every record of a list that the filters select, as of one committed
state: the latest (or --height), named with its app hash in the file's first
line. CSV is UTF-8 with a byte-order mark, so that Excel reads Japanese
names; JSON Lines has one record per line as the API answers it. The list is
read page by page from the node (--node), so any length exports in bounded
memory.

  jcreditd export retirements --fiscal-year 2025 > r.csv
  jcreditd export retirements --use re100 --from-date 2025-04-01 --format jsonl --out r.jsonl
  jcreditd export holdings 0x52908400098527886E0F7030069857D2E4169EE7
  jcreditd export batches --reverse`,
	}
	for _, l := range query.Lists {
		cmd.AddCommand(newExportListCmd(l))
	}
	return cmd
}

func newExportListCmd(l query.List) *cobra.Command {
	var format, out string
	var height int64
	var lf *listFlags
	use := l.Name
	args := cobra.NoArgs
	if l.Arg != "" {
		use += " <" + l.Arg + ">"
		args = cobra.RangeArgs(0, 1)
		if l.Arg == "account" {
			args = cobra.ExactArgs(1)
		}
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: "Export " + l.Short,
		Long:  "Export " + l.Short + ", in the list's order: " + l.Order + ".",
		Args:  args,
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			req, err := lf.request(cmd, l, arg)
			if err != nil {
				return err
			}
			if format != query.FormatCSV && format != query.FormatJSONL {
				return fmt.Errorf("--format %q: use csv or jsonl", format)
			}
			c, err := newClient(cmd)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			// Pin the state: the latest committed one (ABCI info names its
			// height and app hash), or --height, whose app hash header
			// height+1 carries.
			info, err := c.RPC.ABCIInfo(ctx)
			if err != nil {
				return fmt.Errorf("ask the node for its latest state: %w", err)
			}
			h, appHash := info.Response.LastBlockHeight, info.Response.LastBlockAppHash
			if height > 0 && height != h {
				if height > h {
					return fmt.Errorf("--height %d: the node's latest state is %d", height, h)
				}
				next := height + 1
				hdr, err := c.RPC.Header(ctx, &next)
				if err != nil {
					return fmt.Errorf("header %d (it carries the app hash of state %d): %w", next, height, err)
				}
				h, appHash = height, hdr.Header.AppHash
			}
			chainID, err := c.ChainID(ctx)
			if err != nil {
				return err
			}
			var dst io.Writer = cmd.OutOrStdout()
			if out != "" && out != "-" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				dst = f
			}
			w, err := query.NewWriter(format, dst, query.ItemsField(l.Method().Output()).Message())
			if err != nil {
				return err
			}
			meta := query.Meta{List: l.Name, ChainID: chainID, Height: h, AppHash: fmt.Sprintf("%X", appHash), Query: query.Unbind(req)}
			if query.PageRequestOf(req).Reverse {
				meta.Query = strings.TrimPrefix(meta.Query+"&reverse=true", "&")
			}
			if err := w.Begin(meta); err != nil {
				return err
			}
			ask := func(ctx context.Context, path string, data []byte, height int64) ([]byte, error) {
				res, err := c.Query(ctx, path, data, height, false)
				if err != nil {
					return nil, err
				}
				return res.Value, nil
			}
			pages := 0
			n, err := query.Export(ctx, ask, l, req, h, w, func() error {
				if pages++; pages%10 == 0 {
					note(cmd, "… %d pages", pages)
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("export %s: after %d records: %w", l.Name, n, err)
			}
			to := "stdout"
			if out != "" && out != "-" {
				to = out
			}
			note(cmd, "exported %d %s as of height %d (app hash %X) to %s", n, l.Name, h, appHash, to)
			return nil
		},
	}
	lf = addListFlags(cmd, l, false)
	f := cmd.Flags()
	f.StringVar(&format, "format", query.FormatCSV, "csv (UTF-8 with BOM, for spreadsheets) or jsonl (JSON Lines)")
	f.StringVarP(&out, "out", "O", "", "write to this file (default: stdout)")
	f.Int64Var(&height, "height", 0, "the state to export (default: the latest)")
	return cmd
}
