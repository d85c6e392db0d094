package node_test

import (
	"os"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/node"
)

// TestAppConfigPublicHoldings: [api] public_holdings is off unless the
// operator turns it on, and app.toml says what it does.
func TestAppConfigPublicHoldings(t *testing.T) {
	home := t.TempDir()
	if c, err := node.LoadAppConfig(home); err != nil || c.PublicHoldings {
		t.Fatalf("no app.toml: %+v %v", c, err)
	}
	if err := node.WriteAppConfig(home, node.DefaultAppConfig()); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(node.AppConfigFile(home))
	if !strings.Contains(string(raw), "public_holdings = false") || !strings.Contains(string(raw), "RPC") {
		t.Fatalf("app.toml:\n%s", raw)
	}
	if c, err := node.LoadAppConfig(home); err != nil || c.PublicHoldings {
		t.Fatalf("default: %+v %v", c, err)
	}
	on := node.DefaultAppConfig()
	on.PublicHoldings = true
	if err := node.WriteAppConfig(home, on); err != nil {
		t.Fatal(err)
	}
	if c, err := node.LoadAppConfig(home); err != nil || !c.PublicHoldings || c.APIListen != on.APIListen {
		t.Fatalf("on: %+v %v", c, err)
	}
}
