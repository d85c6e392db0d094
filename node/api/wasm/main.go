//go:build js && wasm

// Command wasm is the proof verifier for the web page: node/proof compiled
// to WebAssembly (make wasm), so that a visitor's browser checks a bundle
// itself instead of trusting the node that served it.
//
// It defines one global function:
//
//	jcreditVerify(bundleJSON, trust, chainID) -> JSON string
//	  {"ok": true, "result": {...}} or {"ok": false, "step": "commit", "error": "..."}
//
// trust is a validator-set hash (hex) or a genesis / validators JSON text
// (the API's /api/v1/trust answer included); chainID is required unless
// the trust root names its chain. The result is what `jcreditd verify -o
// json` prints (proof.Result): the statement, the trust root, the walk.
//
// There is no panic recovery in a WebAssembly build (a panic ends the
// program and every later call): the verifier must not panic on any input,
// which its fuzz targets check.
package main

import (
	"encoding/json"
	"syscall/js"

	"github.com/jcredit/jcredit/node/proof"
)

type answer struct {
	OK     bool          `json:"ok"`
	Step   string        `json:"step,omitempty"`
	Error  string        `json:"error,omitempty"`
	Result *proof.Result `json:"result,omitempty"`
}

func verify(_ js.Value, args []js.Value) any {
	out := func(a answer) any {
		bz, _ := json.Marshal(a)
		return string(bz)
	}
	if len(args) < 2 || len(args) > 3 {
		return out(answer{Error: "jcreditVerify(bundleJSON, trust, chainID)"})
	}
	trust, err := proof.ParseTrust([]byte(args[1].String()))
	if err != nil {
		return out(answer{Step: string(proof.StepTrust), Error: err.Error()})
	}
	if len(args) == 3 && args[2].Type() == js.TypeString && args[2].String() != "" {
		if trust.ChainID != "" && trust.ChainID != args[2].String() {
			return out(answer{Step: string(proof.StepTrust), Error: "the chain id " + args[2].String() + " contradicts the trust root's chain " + trust.ChainID})
		}
		trust.ChainID = args[2].String()
	}
	res, err := proof.VerifyJSON([]byte(args[0].String()), trust)
	if err != nil {
		return out(answer{Step: string(proof.StepOf(err)), Error: err.Error()})
	}
	return out(answer{OK: true, Result: res})
}

func main() {
	js.Global().Set("jcreditVerify", js.FuncOf(verify))
	select {} // keep the functions alive
}
