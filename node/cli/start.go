package cli

import (
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/api"
)

func newStartCmd() *cobra.Command {
	var logLevel, logFormat, apiAddr string
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Run the node until interrupted (Ctrl-C or SIGTERM)",
		Long: `Run the node of --home: CometBFT (consensus, p2p, RPC on the address in
config.toml, 26657 by default, Prometheus metrics if enabled) and the jcredit
application, in one process. Ctrl-C or SIGTERM stops it cleanly; started again,
it resumes from its last committed block.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			setGCPercent()
			home := homeDir(cmd)
			c, err := node.LoadConfig(home)
			if err != nil {
				return err
			}
			if logLevel != "" {
				c.LogLevel = logLevel
			}
			if logFormat != "" {
				c.LogFormat = logFormat
			}
			ac, err := node.LoadAppConfig(home)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("api.laddr") {
				// No flag: the address in config/app.toml, if any.
				apiAddr = ac.APIListen
			}
			logger, err := node.NewLogger(cmd.ErrOrStderr(), c.LogFormat, c.LogLevel)
			if err != nil {
				return err
			}
			n, err := node.NewWithConfig(c, logger)
			if err != nil {
				return err
			}
			if err := n.Start(); err != nil {
				return err
			}
			logger.Info("jcredit node running", "home", home, "chain_id", n.Comet.GenesisDoc().ChainID, "rpc", n.RPCAddress(),
				"metrics", metricsAddr(n))

			// Services started with the node (e.g. the public HTTP API)
			// go here, stopped before n.Stop below.
			var apiSrv *api.Server
			if apiAddr != "" {
				srv, addr, err := api.StartForNode(n, apiAddr, ac.PublicHoldings)
				if err != nil {
					n.Stop()
					return err
				}
				apiSrv = srv
				logger.Info("public read-only API and web page", "url", "http://"+addr)
			}

			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			var halt *app.HaltError
			select {
			case <-ctx.Done():
			case halt = <-n.Halted():
			}
			logger.Info("stopping")
			if apiSrv != nil {
				apiSrv.Close()
			}
			if err := n.Stop(); err != nil {
				return fmt.Errorf("stop: %w", err)
			}
			if halt != nil {
				// A due upgrade: the block was not executed, the state is
				// intact, and the node resumes there with the right binary.
				logger.Info("stopped before executing the block", "reason", halt.Message)
				return fmt.Errorf("%s", halt.Message)
			}
			logger.Info("stopped cleanly")
			return nil
		},
	}
	cmd.Flags().StringVar(&logLevel, "log-level", "", "log level, overriding config.toml (info, debug, error, or e.g. consensus:debug,*:info)")
	cmd.Flags().StringVar(&logFormat, "log-format", "", "log format, overriding config.toml: plain or json")
	cmd.Flags().StringVar(&apiAddr, "api.laddr", "127.0.0.1:1317", "listen address of the public read-only HTTP API and web page (empty: off); default: [api] laddr in config/app.toml")
	return cmd
}

func metricsAddr(n *node.Node) string {
	if !n.Config.Instrumentation.Prometheus {
		return "off"
	}
	return "http://" + n.Config.Instrumentation.PrometheusListenAddr + "/metrics"
}

// nodeGCPercent is the node's GOGC unless the environment sets one. A
// validator allocates mostly short-lived garbage per transaction (decoded
// messages, store keys, iterators) over a modest live heap, and at the
// default (100) Go's collector took a fifth of its CPU under load. Chosen
// by measurement (issue 16): app BenchmarkGasTransfer, one binary, GOGC
// interleaved, 5 runs each, median CPU per transfer: 100: 422 us, 200:
// 306 us, 400: 314 us. 200 takes the gain at twice the heap headroom
// rather than four times.
const nodeGCPercent = 200

// setGCPercent applies nodeGCPercent unless GOGC is set.
func setGCPercent() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(nodeGCPercent)
	}
}
