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
