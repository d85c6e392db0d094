package harness

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// Fault is the measured outcome of one perturbation, for the report.
type Fault struct {
	Scenario string
	// From and To are the chain heights when the fault began and ended.
	From, To int64
	// Duration is how long the fault lasted.
	Duration time.Duration
	// Blocks and Txs are what the chain committed while the fault lasted
	// (heights From+1..To).
	Blocks int64
	Txs    int
	// Recovery is how long the affected node(s) took, after the fault
	// ended, to be back at the network's height (or the chain to resume).
	Recovery time.Duration
	// Load is the load's reconciliation at the check after the fault.
	Load Report
}

// Measure fills Blocks and Txs from the checked chain.
func (f *Fault) Measure(c *Chain) {
	f.Blocks = f.To - f.From
	f.Txs = 0
	for h := f.From + 1; h <= f.To; h++ {
		f.Txs += c.Blocks[h].NumTxs
	}
}

func (f Fault) String() string {
	return fmt.Sprintf("| %s | %d→%d | %s | %d | %d | %s | %d | %d | %d |",
		f.Scenario, f.From, f.To, f.Duration.Round(100*time.Millisecond), f.Blocks, f.Txs,
		f.Recovery.Round(100*time.Millisecond), f.Load.Accepted, f.Load.InChain, len(f.Dropped()))
}

// Dropped is the accepted transactions not in the chain.
func (f Fault) Dropped() []*TrackedTx { return f.Load.Dropped }

// FiguresHeader heads the Markdown table Fault.String rows belong to.
const FiguresHeader = "| scenario | heights | fault lasted | blocks during | txs during | recovery | load accepted | in chain | lost |\n|---|---|---|---|---|---|---|---|---|"

var figuresMu sync.Mutex

// EnvFigures names a file the e2e tests append their figures to.
const EnvFigures = "E2E_FIGURES"

// WriteFigure logs f and, if E2E_FIGURES is set, appends it to that file.
func (n *Network) WriteFigure(f Fault) {
	n.T.Helper()
	n.T.Logf("FIGURES %s", f)
	path := os.Getenv(EnvFigures)
	if path == "" {
		return
	}
	figuresMu.Lock()
	defer figuresMu.Unlock()
	fresh := !exists(path)
	fh, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		n.T.Logf("figures: %v", err)
		return
	}
	defer fh.Close()
	if fresh {
		fmt.Fprintln(fh, FiguresHeader)
	}
	fmt.Fprintln(fh, f)
}
