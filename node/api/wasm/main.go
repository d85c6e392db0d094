//go:build js && wasm

// Command wasm is the proof verifier for the web page: node/proof compiled
// to WebAssembly (make wasm), so that a visitor's browser checks a bundle
// itself instead of trusting the node that served it.
//
// It defines one global function:
//
//	jcreditVerify(bundleJSON, trust) -> JSON string
//	  {"ok": true, "result": {...}} or {"ok": false, "step": "commit", "error": "..."}
//
// trust is a validator-set hash (hex) or a genesis / validators JSON text.
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
	if len(args) != 2 {
		return out(answer{Error: "jcreditVerify(bundleJSON, trust)"})
	}
	trust, err := proof.ParseTrust([]byte(args[1].String()))
	if err != nil {
		return out(answer{Step: string(proof.StepTrust), Error: err.Error()})
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
