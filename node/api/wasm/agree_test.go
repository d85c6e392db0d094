//go:build !js

package main_test

// The web page's verifier (this command, compiled to WebAssembly) and
// `jcreditd verify` must give the same verdict on the same bundle: both are
// node/proof, but built for different machines (GOOS=js, 32-bit ed25519
// arithmetic, no panic recovery) and called through different doors (a
// JavaScript string API; a cobra command reading files). This test builds
// the verifier exactly as `make wasm` does and runs it under Node.js with
// Go's own wasm_exec.js — the same glue the page loads, in the same V8
// engine Chromium uses, without a browser's start-up cost (the browser test,
// make test-browser, covers the page itself) — over the v0.2.0 corpus and
// tampered copies of it, and compares each verdict, step and statement with
// the CLI's.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/node/cli"
	"github.com/jcredit/jcredit/node/proof"
)

const corpusDir = "../../proof/testdata/corpus-v1"

// totalsDir holds bundles of kind "total" (node/proof total_test.go
// writes them), checked beside the v0.2.0 corpus.
const totalsDir = "../../proof/testdata/totals"

// runner loads wasm_exec.js and the verifier, then answers every case.
const runner = `"use strict";
globalThis.require = require;
globalThis.fs = require("fs");
globalThis.TextEncoder = require("util").TextEncoder;
globalThis.TextDecoder = require("util").TextDecoder;
globalThis.performance ??= require("perf_hooks").performance;
globalThis.crypto ??= require("crypto");
require(process.argv[2]);
const go = new Go();
WebAssembly.instantiate(fs.readFileSync(process.argv[3]), go.importObject).then(async ({ instance }) => {
  go.run(instance);
  for (let i = 0; i < 500 && typeof globalThis.jcreditVerify !== "function"; i++) await new Promise((r) => setTimeout(r, 10));
  const cases = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
  const out = cases.map((c) => JSON.parse(globalThis.jcreditVerify(c.bundle, c.trust, c.chain_id)));
  fs.writeFileSync(process.argv[5], JSON.stringify(out));
  process.exit(0);
}).catch((e) => { console.error(e); process.exit(1); });
`

type verdictCase struct {
	Name    string `json:"name"`
	Bundle  string `json:"bundle"`
	Trust   string `json:"trust"`
	ChainID string `json:"chain_id"`
}

type wasmAnswer struct {
	OK     bool          `json:"ok"`
	Step   string        `json:"step"`
	Error  string        `json:"error"`
	Result *proof.Result `json:"result"`
}

func TestWasmAndCLIGiveTheSameVerdicts(t *testing.T) {
	nodeJS, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("Node.js is needed to run the WebAssembly verifier (apt-get install -y nodejs)")
	}
	dir := t.TempDir()
	wasm := filepath.Join(dir, "verifier.wasm")
	build := exec.Command("go", "build", "-tags", "force32bit", "-trimpath", "-ldflags", "-s -w", "-o", wasm, ".")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the verifier (as make wasm does): %v\n%s", err, out)
	}
	glue := filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js")
	if _, err := os.Stat(glue); err != nil {
		glue = filepath.Join(runtime.GOROOT(), "misc", "wasm", "wasm_exec.js")
	}

	cases := verdictCases(t)
	casesFile, outFile, runnerFile := filepath.Join(dir, "cases.json"), filepath.Join(dir, "out.json"), filepath.Join(dir, "run.js")
	raw, _ := json.Marshal(cases)
	if err := os.WriteFile(casesFile, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(runnerFile, []byte(runner), 0o600); err != nil {
		t.Fatal(err)
	}
	run := exec.Command(nodeJS, runnerFile, glue, wasm, casesFile, outFile)
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("node %s: %v\n%s", runnerFile, err, out)
	}
	raw, err = os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	var answers []wasmAnswer
	if err := json.Unmarshal(raw, &answers); err != nil || len(answers) != len(cases) {
		t.Fatalf("%d answers for %d cases: %v", len(answers), len(cases), err)
	}

	good, refused := 0, 0
	for i, c := range cases {
		cliRes, cliErr := cliVerdict(t, dir, c)
		w := answers[i]
		switch {
		case w.OK != (cliErr == nil):
			t.Errorf("%s: wasm ok=%v (%s %s), CLI %v", c.Name, w.OK, w.Step, w.Error, cliErr)
		case w.OK:
			good++
			if w.Result.Statement != cliRes.Statement || w.Result.Answer != cliRes.Answer || len(w.Result.Walk) != len(cliRes.Walk) {
				t.Errorf("%s: wasm says %q (%s, %d headers), CLI %q (%s, %d headers)", c.Name,
					w.Result.Statement, w.Result.Answer, len(w.Result.Walk), cliRes.Statement, cliRes.Answer, len(cliRes.Walk))
			}
		default:
			refused++
			if !strings.Contains(cliErr.Error(), w.Step+" step failed") {
				t.Errorf("%s: wasm refused at step %q (%s), CLI: %v", c.Name, w.Step, w.Error, cliErr)
			}
		}
	}
	t.Logf("%d cases: %d verified and %d refused alike by the WebAssembly verifier under Node.js and by jcreditd verify", len(cases), good, refused)
	if good < 20 || refused < 100 {
		t.Fatalf("too few cases of each kind: %d good, %d refused", good, refused)
	}
}

// cliVerdict runs `jcreditd verify <bundle> --trust <root> [--chain-id] -o json`.
func cliVerdict(t *testing.T, dir string, c verdictCase) (*proof.Result, error) {
	t.Helper()
	b := filepath.Join(dir, "bundle.json")
	tr := filepath.Join(dir, "trust.json")
	if err := os.WriteFile(b, []byte(c.Bundle), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tr, []byte(c.Trust), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := cli.NewVerifyCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&bytes.Buffer{})
	args := []string{b, "--trust", tr, "-o", "json"}
	if c.ChainID != "" {
		args = append(args, "--chain-id", c.ChainID)
	}
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		return nil, err
	}
	var res proof.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%s: verify -o json: %v\n%s", c.Name, err, out.String())
	}
	return &res, nil
}

// verdictCases: every corpus bundle against its root, and tampered
// copies: a byte flipped in each part, the subject respelt, a link
// dropped, a key given twice, another root, no chain id; then the totals'
// bundles, as made and with bytes flipped.
func verdictCases(t *testing.T) []verdictCase {
	t.Helper()
	return append(corpusCases(t), totalsCases(t)...)
}

// totalsCases: each bundle of kind "total" as made, with a bit flipped
// at spread positions, and its subject moved to another year.
func totalsCases(t *testing.T) []verdictCase {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(totalsDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Bundles []struct {
			File, Trust, Subject string
			ChainID              string `json:"chain_id"`
		} `json:"bundles"`
	}
	if err := json.Unmarshal(raw, &m); err != nil || len(m.Bundles) == 0 {
		t.Fatalf("totals manifest: %v", err)
	}
	var out []verdictCase
	for _, e := range m.Bundles {
		b, err := os.ReadFile(filepath.Join(totalsDir, e.File))
		if err != nil {
			t.Fatal(err)
		}
		tr, err := os.ReadFile(filepath.Join(totalsDir, e.Trust))
		if err != nil {
			t.Fatal(err)
		}
		bundle, trust := string(b), string(tr)
		out = append(out, verdictCase{Name: e.File + ": as made", Bundle: bundle, Trust: trust, ChainID: e.ChainID})
		for k := 1; k <= 6; k++ {
			i := len(bundle) * k / 7
			bz := []byte(bundle)
			bz[i] ^= 1
			out = append(out, verdictCase{Name: fmt.Sprintf("%s: bit flipped at byte %d", e.File, i), Bundle: string(bz), Trust: trust, ChainID: e.ChainID})
		}
		if strings.Contains(bundle, "fiscal_year=2025") {
			out = append(out, verdictCase{Name: e.File + ": another year", Bundle: strings.Replace(bundle, "fiscal_year=2025", "fiscal_year=2024", 1), Trust: trust, ChainID: e.ChainID})
		}
	}
	return out
}

// corpusCases: the v0.2.0 corpus (testdata/corpus-v1) and its tampered
// copies.
func corpusCases(t *testing.T) []verdictCase {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(corpusDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Bundles []struct {
			File, Trust, Subject string
			ChainID              string `json:"chain_id"`
		} `json:"bundles"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		bz, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(bz)
	}
	var out []verdictCase
	for _, e := range m.Bundles {
		bundle, trust := read(e.File), read(e.Trust)
		add := func(what, b, tr, chain string) {
			out = append(out, verdictCase{Name: e.File + ": " + what, Bundle: b, Trust: tr, ChainID: chain})
		}
		add("as made", bundle, trust, e.ChainID)
		// One bit flipped at spread positions through the file.
		for k := 1; k <= 6; k++ {
			i := len(bundle) * k / 7
			bz := []byte(bundle)
			bz[i] ^= 1
			add(fmt.Sprintf("bit flipped at byte %d", i), string(bz), trust, e.ChainID)
		}
		for _, r := range []struct{ what, old, new string }{
			{"subject with a zero-width space", `"subject": "` + e.Subject, `"subject": "` + e.Subject + "\u200b"},
			{"subject in another category", "-RE-", "-FO-"},
			{"format key twice", `"format":`, `"format": "jcredit-proof/v1", "format":`},
			{"a signature flag changed", `"block_id_flag": 2`, `"block_id_flag": 3`},
			{"a chain link's validators hash", `"validators_hash": "`, `"validators_hash": "00`},
		} {
			if strings.Contains(bundle, r.old) {
				add(r.what, strings.Replace(bundle, r.old, r.new, 1), trust, e.ChainID)
			}
		}
		var b map[string]json.RawMessage
		if err := json.Unmarshal([]byte(bundle), &b); err != nil {
			t.Fatal(err)
		}
		if links, ok := b["chain"]; ok {
			var l []json.RawMessage
			_ = json.Unmarshal(links, &l)
			b["chain"], _ = json.Marshal(l[1:])
			dropped, _ := json.Marshal(b)
			add("first chain link dropped", string(dropped), trust, e.ChainID)
		}
		add("trusting the latest published set", bundle, read("validators-latest.json"), "jcredit-e2e")
		add("a published set without chain id", bundle, read("validators-latest.json"), "")
		add("a bundle as its own root", bundle, bundle, "")
	}
	return out
}
