package cli

import (
	"fmt"
	"io"
	"runtime"

	"github.com/cometbft/cometbft/version"
	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/app"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the versions of jcreditd, its state machine and CometBFT",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v := map[string]any{
				"jcreditd":    app.Version,
				"app_version": app.StateVersion,
				"cometbft":    version.CMTSemVer,
				"abci":        version.ABCISemVer,
				"go":          runtime.Version(),
			}
			return emit(cmd, v, func(w io.Writer) {
				fmt.Fprintf(w, "jcreditd %s (state machine v%d, CometBFT %s, ABCI %s, %s)\n",
					app.Version, app.StateVersion, version.CMTSemVer, version.ABCISemVer, runtime.Version())
			})
		},
	}
}
