//go:build !js

package main_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The page downloads the verifier, so what it is built from matters: a
// package that drags gRPC or CometBFT's types back in (through the
// verifier, a types package or x/module) would double its size again
// (README "The in-page verifier"). This test names what must stay out.
func TestVerifierLeavesOutServerPackages(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-tags", "force32bit", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	banned := []string{
		"github.com/cometbft/cometbft/types",           // light.go instead
		"github.com/cometbft/cometbft/abci/types",      // x/module/base instead of x/module
		"github.com/jcredit/jcredit/x/module",          // (its Context carries ABCI types)
		"github.com/cometbft/cometbft/crypto/encoding", // bls12381, secp256k1
		"google.golang.org/grpc",
		"net/http",
		"github.com/stretchr/testify/require",
	}
	for _, d := range deps {
		for _, b := range banned {
			if d == b {
				t.Errorf("the WebAssembly verifier imports %s (go list -deps explains the path: GOOS=js GOARCH=wasm go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./node/api/wasm)", d)
			}
		}
	}
	if len(deps) > 260 {
		t.Errorf("the WebAssembly verifier is built from %d packages (205 when this test was written): look for what came in", len(deps))
	}
}
