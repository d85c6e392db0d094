package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/cli"
)

// Issue 11, finding 8: `jcreditd init` served Prometheus on every interface
// and node homes were readable by others.
func TestInitWritesAPrivateHomeWithLocalMetrics(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	if err := os.MkdirAll(home, 0o755); err != nil { // made by a careless hand
		t.Fatal(err)
	}
	mustRun(t, "init", "n1", "--chain-id", "jcredit-perm-test", "--home", home)
	for _, d := range []string{home, filepath.Join(home, "config"), filepath.Join(home, "data")} {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o700 {
			t.Errorf("%s is %v, want 0700", d, fi.Mode().Perm())
		}
	}
	c, err := node.LoadConfig(home)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Instrumentation.Prometheus || c.Instrumentation.PrometheusListenAddr != "127.0.0.1:26660" {
		t.Errorf("prometheus %v on %q, want on 127.0.0.1:26660", c.Instrumentation.Prometheus, c.Instrumentation.PrometheusListenAddr)
	}
}

// Issue 11, finding 8: the empty passphrase was accepted for a new key, and
// a passphrase file anyone could read was used without a word.
func TestPassphrasePolicy(t *testing.T) {
	home := t.TempDir()
	dir := t.TempDir()
	t.Setenv(cli.EnvPassphrase, "")
	if _, err := run(t, "keys", "add", "alice", "--home", home); err == nil || !strings.Contains(err.Error(), "empty passphrase") {
		t.Fatalf("a new key with an empty passphrase: %v", err)
	}
	os.Unsetenv(cli.EnvPassphrase)
	file := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o666} {
		p := file("pass-"+mode.String(), "a good long passphrase\n", mode)
		_, err := run(t, "keys", "add", "bob", "--home", home, "--passphrase-file", p)
		if err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Fatalf("a passphrase file of mode %v: %v", mode, err)
		}
	}
	if _, err := run(t, "keys", "add", "bob", "--home", home, "--passphrase-file", file("empty", "\n", 0o600)); err == nil || !strings.Contains(err.Error(), "empty passphrase") {
		t.Fatalf("an empty passphrase from a file: %v", err)
	}
	mustRun(t, "keys", "add", "bob", "--home", home, "--passphrase-file", file("good", "a good long passphrase\n", 0o600))
	fi, err := os.Stat(filepath.Join(home, "keys"))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("keys directory: %v %v", fi.Mode(), err)
	}
}
