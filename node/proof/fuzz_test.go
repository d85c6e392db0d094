package proof

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzVerify drives the whole verification path (Parse, then every step)
// with arbitrary bytes, seeded with the v0.2.0 corpus and bundles of this
// version. It must never panic — the WebAssembly verifier has no recovery —
// and every refusal must name its step.
//
//	go test -run - -fuzz FuzzVerify ./node/proof   (or make fuzz)
func FuzzVerify(f *testing.F) {
	names, err := filepath.Glob(filepath.Join(corpusDir, "e*.json"))
	if err != nil || len(names) == 0 {
		f.Fatalf("no corpus: %v", err)
	}
	for _, n := range names {
		raw, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, seed := range []string{`{}`, `[]`, `{"format":"jcredit-proof/v2"}`, `{"format":"jcredit-proof/v1","kind":"serial","subject":"JC-1"}`} {
		f.Add([]byte(seed))
	}
	genesis := corpusTrust(f, "genesis.json", "")
	latest := corpusTrust(f, "validators-latest.json", genesis.ChainID)
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, trust := range []*Trust{genesis, latest} {
			res, err := VerifyJSON(raw, trust)
			if err != nil {
				if StepOf(err) == "" {
					t.Fatalf("an error that names no step: %v", err)
				}
				continue
			}
			if res.Statement == "" || !strings.HasPrefix(res.Statement, "AS OF state ") || len(res.Walk) == 0 {
				t.Fatalf("a verified result without its statement or walk: %+v", res)
			}
		}
	})
}

// FuzzParseTrust: any bytes given as --trust (a genesis, a validators
// answer, a hash) are read or refused, never a panic; a root read always
// has a 32-byte set hash.
func FuzzParseTrust(f *testing.F) {
	for _, n := range []string{"genesis.json", "validators-latest.json", "validators-mid.json", "e0-retirement-1.json"} {
		f.Add(corpusFile(f, n))
	}
	f.Add([]byte(strings.Repeat("ab", 32)))
	f.Add([]byte(`[{"address":"00","pub_key_type":"ed25519","pub_key":"AA==","power":1}]`))
	f.Add([]byte(`{"jsonrpc":"2.0","id":1,"result":{"jsonrpc":"2.0","result":{}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		tr, err := ParseTrust(raw)
		if err == nil && len(tr.ValidatorsHash) != 32 {
			t.Fatalf("a trust root with a %d-byte hash", len(tr.ValidatorsHash))
		}
	})
}

// edited decodes JSON, lets f change it, and encodes it again.
func edited(t *testing.T, raw []byte, f func(v map[string]any)) []byte {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	f(v)
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Inputs on which CometBFT's code panics, found by fuzzing; the verifier
// checks them first.
func TestNoPanicOnWhatFuzzingFound(t *testing.T) {
	genesis := corpusFile(t, "genesis.json")
	firstVal := func(v map[string]any) map[string]any { return v["validators"].([]any)[0].(map[string]any) }
	short := map[string]any{"type": "tendermint/PubKeyEd25519", "value": "fsDjlcHEw8qxCqFMzBGqXTOyd+M9nok5xcm0htPxDg=="}
	for name, in := range map[string][]byte{
		// GenesisDoc.ValidateAndComplete dereferences a missing key...
		"genesis validator without a key": edited(t, genesis, func(v map[string]any) { firstVal(v)["pub_key"] = nil }),
		// ...and ed25519.PubKey.Address panics on a 31-byte key.
		"genesis validator with a short key": edited(t, genesis, func(v map[string]any) { firstVal(v)["pub_key"] = short }),
		"validators answer with a short key": edited(t, corpusFile(t, "validators-latest.json"), func(v map[string]any) {
			firstVal(v["result"].(map[string]any))["pub_key"] = short
		}),
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("%s: panic: %v", name, r)
				}
			}()
			if _, err := ParseTrust(in); err == nil {
				t.Fatalf("%s: accepted", name)
			}
		}()
	}
	// VoteSignBytes panics on a block id whose part-set hash is not 32
	// bytes; Commit.ValidateBasic does not look.
	bd, err := Parse(corpusFile(t, "e0-retirement-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	bd.Commit = edited(t, bd.Commit, func(v map[string]any) {
		parts := v["block_id"].(map[string]any)["parts"].(map[string]any)
		parts["hash"] = "00" + parts["hash"].(string)
	})
	raw, _ := bd.Marshal()
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("a 33-byte part-set hash: panic: %v", r)
			}
		}()
		if _, err := VerifyJSON(raw, corpusTrust(t, "genesis.json", "")); err == nil {
			t.Fatal("a 33-byte part-set hash verified")
		}
	}()
}
