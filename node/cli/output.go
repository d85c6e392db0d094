package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
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
