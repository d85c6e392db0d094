package harness

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/jcredit/jcredit/node/testnet"
)

// Node is one node process of a Network.
type Node struct {
	testnet.Node
	Home string

	net    *Network
	index  int
	nsName string

	mu          sync.Mutex
	cmd         *exec.Cmd
	exited      chan struct{}
	paused      bool
	partitioned bool
	client      *rpchttp.HTTP
	// ExtraArgs are appended to `jcreditd start` (tests tweak flags).
	ExtraArgs []string
	// Bin, if set, is the binary this node starts with instead of the
	// network's (an upgrade switches nodes to a new release one by one).
	Bin string
}

// LogPath is where the node's output goes (appended across restarts).
func (nd *Node) LogPath() string { return filepath.Join(nd.Home, "node.log") }

// Start launches `jcreditd start --home <home>` (`cometbft start` on a
// kvstore network), inside the node's network namespace if it has one. It
// returns once the process runs; use WaitHeight to wait for the node to be
// useful.
func (nd *Node) Start() error {
	nd.mu.Lock()
	defer nd.mu.Unlock()
	if nd.cmd != nil {
		select {
		case <-nd.exited:
			// It stopped by itself (a halt for an upgrade): forget it.
			nd.cmd, nd.exited = nil, nil
		default:
			return fmt.Errorf("%s is already running", nd.Name)
		}
	}
	log, err := os.OpenFile(nd.LogPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "\n==== harness: start %s at %s (%s)\n", nd.Name, time.Now().Format(time.RFC3339Nano), nd.binName())
	args := append(append([]string{"start", "--home", nd.Home}, nd.net.startArgs...), nd.ExtraArgs...)
	bin := nd.binName()
	var cmd *exec.Cmd
	if nd.nsName != "" {
		// `ip netns exec` execs the binary after entering the namespace, so
		// the pid we signal is jcreditd's own.
		cmd = exec.Command("ip", append([]string{"netns", "exec", nd.nsName, bin}, args...)...)
	} else {
		cmd = exec.Command(bin, args...)
	}
	cmd.Stdout, cmd.Stderr = log, log
	// Own process group: a Ctrl-C on the test does not hit the nodes
	// before the harness has stopped them in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("start %s: %w", nd.Name, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		log.Close()
		close(exited)
	}()
	nd.cmd, nd.exited, nd.paused = cmd, exited, false
	return nil
}

// Running reports whether the process is alive (possibly paused).
func (nd *Node) Running() bool {
	nd.mu.Lock()
	defer nd.mu.Unlock()
	if nd.cmd == nil {
		return false
	}
	select {
	case <-nd.exited:
		return false
	default:
		return true
	}
}

// Pid is the node process's id (0 if it does not run).
func (nd *Node) Pid() int {
	nd.mu.Lock()
	defer nd.mu.Unlock()
	if nd.cmd == nil || nd.cmd.Process == nil {
		return 0
	}
	return nd.cmd.Process.Pid
}

// Usable reports whether a client can talk to the node now.
func (nd *Node) Usable() bool {
	if !nd.Running() {
		return false
	}
	nd.mu.Lock()
	defer nd.mu.Unlock()
	return !nd.paused && !nd.partitioned
}

// signal sends sig to the process if it runs.
func (nd *Node) signal(sig syscall.Signal) bool {
	nd.mu.Lock()
	defer nd.mu.Unlock()
	if nd.cmd == nil || nd.cmd.Process == nil {
		return false
	}
	return nd.cmd.Process.Signal(sig) == nil
}

// Kill sends SIGKILL and waits for the process to be gone: no shutdown,
// no flush — a power cut as far as the node's files are concerned.
func (nd *Node) Kill() {
	nd.signal(syscall.SIGKILL)
	nd.reap(10 * time.Second)
}

// Stop sends SIGTERM (a clean shutdown) and waits; SIGKILL after 20 s.
func (nd *Node) Stop() {
	nd.Resume()
	if !nd.signal(syscall.SIGTERM) {
		return
	}
	if !nd.reap(20 * time.Second) {
		nd.Kill()
	}
}

func (nd *Node) reap(d time.Duration) bool {
	nd.mu.Lock()
	exited := nd.exited
	nd.mu.Unlock()
	if exited == nil {
		return true
	}
	select {
	case <-exited:
	case <-time.After(d):
		return false
	}
	nd.mu.Lock()
	nd.cmd, nd.exited, nd.paused = nil, nil, false
	nd.mu.Unlock()
	return true
}

// Pause freezes the process (SIGSTOP): its sockets stay open but nothing
// answers, like a hung machine.
func (nd *Node) Pause() {
	if nd.signal(syscall.SIGSTOP) {
		nd.mu.Lock()
		nd.paused = true
		nd.mu.Unlock()
	}
}

// Resume continues a paused process (SIGCONT).
func (nd *Node) Resume() {
	nd.mu.Lock()
	was := nd.paused
	nd.mu.Unlock()
	if was && nd.signal(syscall.SIGCONT) {
		nd.mu.Lock()
		nd.paused = false
		nd.mu.Unlock()
	}
}

// Wipe deletes the node's blocks, state and app data (the node must be
// stopped), keeping its keys, config, genesis and the validator's
// last-signed state — a validator that forgot what it signed could
// double-sign.
func (nd *Node) Wipe() error {
	if nd.Running() {
		return fmt.Errorf("wipe %s: the node is running", nd.Name)
	}
	data := filepath.Join(nd.Home, "data")
	pvState := filepath.Join(data, "priv_validator_state.json")
	keep, err := os.ReadFile(pvState)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(data); err != nil {
		return err
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	return os.WriteFile(pvState, keep, 0o600)
}

// Client is the node's RPC client.
func (nd *Node) Client() *rpchttp.HTTP {
	nd.mu.Lock()
	defer nd.mu.Unlock()
	if nd.client == nil {
		c, err := rpchttp.NewWithTimeout(nd.RPC(), 10)
		if err != nil {
			panic(err) // only for a malformed URL, which the generator never writes
		}
		nd.client = c
	}
	return nd.client
}

// Height is the node's latest committed height.
func (nd *Node) Height(ctx context.Context) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	st, err := nd.Client().Status(ctx)
	if err != nil {
		return 0, err
	}
	return st.SyncInfo.LatestBlockHeight, nil
}

// WaitHeight waits until the node reports height >= h and is not catching
// up.
func (nd *Node) WaitHeight(ctx context.Context, h int64) error {
	var last error
	for {
		cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		st, err := nd.Client().Status(cctx)
		cancel()
		if err == nil {
			if st.SyncInfo.LatestBlockHeight >= h && !st.SyncInfo.CatchingUp {
				return nil
			}
			last = fmt.Errorf("at height %d (catching up: %v)", st.SyncInfo.LatestBlockHeight, st.SyncInfo.CatchingUp)
		} else {
			last = err
		}
		if !nd.Running() {
			return fmt.Errorf("node exited while waiting for height %d", h)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for height %d: %v (last: %v)", h, ctx.Err(), last)
		case <-time.After(150 * time.Millisecond):
		}
	}
}

// LogTail returns the last n lines of the node's log.
func (nd *Node) LogTail(n int) string {
	bz, err := os.ReadFile(nd.LogPath())
	if err != nil {
		return err.Error()
	}
	lines := bytes.Split(bytes.TrimRight(bz, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// LogContains reports whether the node's log contains s.
func (nd *Node) LogContains(s string) bool {
	bz, _ := os.ReadFile(nd.LogPath())
	return strings.Contains(string(bz), s)
}

// LogSinceStart returns the node's log since the harness last started it.
func (nd *Node) LogSinceStart() string {
	bz, _ := os.ReadFile(nd.LogPath())
	s := string(bz)
	if i := strings.LastIndex(s, "==== harness: start"); i >= 0 {
		return s[i:]
	}
	return s
}

// LogLine returns the first line of the log since the last start that
// contains s ("" if none).
func (nd *Node) LogLine(s string) string {
	for _, l := range strings.Split(nd.LogSinceStart(), "\n") {
		if strings.Contains(l, s) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// binName is the binary the node starts with.
func (nd *Node) binName() string {
	if nd.Bin != "" {
		return nd.Bin
	}
	return nd.net.Bin
}
