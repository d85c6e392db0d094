package harness

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// EnvBinary names an already built jcreditd to use instead of building one
// (the docker and CI targets build it once for everything).
const EnvBinary = "JCREDITD_BIN"

// Binary returns the path of a jcreditd binary built from this module's
// source, building it on first use into a temporary directory that lives as
// long as the test process. Set JCREDITD_BIN to use a prebuilt one.
func Binary() (string, error) {
	buildOnce.Do(func() {
		if p := os.Getenv(EnvBinary); p != "" {
			builtBin, buildErr = filepath.Abs(p)
			return
		}
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		dir, err := os.MkdirTemp("", "jcreditd-bin-")
		if err != nil {
			buildErr = err
			return
		}
		out := filepath.Join(dir, "jcreditd")
		cmd := exec.Command("go", "build", "-o", out, "./node/cmd/jcreditd")
		cmd.Dir = root
		if msg, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./node/cmd/jcreditd: %v\n%s", err, msg)
			return
		}
		builtBin = out
	})
	return builtBin, buildErr
}

var (
	cometOnce sync.Once
	cometBin  string
	cometErr  error
)

// EnvCometBFTBinary names an already built `cometbft` binary to use instead
// of building one.
const EnvCometBFTBinary = "COMETBFT_BIN"

// CometBFTBinary returns CometBFT's own `cometbft` command built from the
// module cache at the version this module requires (go.mod), so that a
// baseline network (Options.App = AppKVStore) runs exactly the consensus,
// mempool and RPC code that jcreditd links. Built on first use into a
// temporary directory; set COMETBFT_BIN to use a prebuilt one.
func CometBFTBinary() (string, error) {
	cometOnce.Do(func() {
		if p := os.Getenv(EnvCometBFTBinary); p != "" {
			cometBin, cometErr = filepath.Abs(p)
			return
		}
		root, err := moduleRoot()
		if err != nil {
			cometErr = err
			return
		}
		dir, err := os.MkdirTemp("", "cometbft-bin-")
		if err != nil {
			cometErr = err
			return
		}
		out := filepath.Join(dir, "cometbft")
		cmd := exec.Command("go", "build", "-o", out, "github.com/cometbft/cometbft/cmd/cometbft")
		cmd.Dir = root
		if msg, err := cmd.CombinedOutput(); err != nil {
			cometErr = fmt.Errorf("go build github.com/cometbft/cometbft/cmd/cometbft: %v\n%s", err, msg)
			return
		}
		cometBin = out
	})
	return cometBin, cometErr
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the jcredit module")
	}
	return filepath.Dir(mod), nil
}
