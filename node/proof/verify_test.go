package proof

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/types"

	"github.com/jcredit/jcredit/app/apptest"
)

var fourVals = newSigners([]string{"meti", "moe", "maff", "secretariat"}, []int64{10, 10, 10, 10})

// accountBundle proves meti's account on a real app, signed by fourVals.
func accountBundle(t *testing.T) (*Bundle, *appSource) {
	t.Helper()
	c := apptest.New(t, nil)
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	src.block()
	bd, err := (&Builder{Source: src}).Account(context.Background(), apptest.Addr("meti").Hex())
	if err != nil {
		t.Fatal(err)
	}
	return bd, src
}

// roundTrip renders and re-reads a bundle, as a file would.
func roundTrip(t *testing.T, bd *Bundle) *Bundle {
	t.Helper()
	raw, err := bd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAccountProofVerifies(t *testing.T) {
	bd, src := accountBundle(t)
	res, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals))
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if !res.Exists || res.Height != src.c.Height || res.BlockHeight != src.c.Height+1 || res.Kind != KindAccount {
		t.Fatalf("result %+v", res)
	}
	if !strings.Contains(string(bd.Record), "meti") {
		t.Fatalf("record %s does not name the account", bd.Record)
	}
}

func TestAbsentAccountProofVerifies(t *testing.T) {
	c := apptest.New(t, nil)
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	bd, err := (&Builder{Source: src}).Account(context.Background(), apptest.Addr("nobody").Hex())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals))
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if res.Exists {
		t.Fatal("absent account proven present")
	}
	// The same non-membership proof cannot be passed off as a membership.
	bd.Exists = true
	if _, err := Verify(bd, TrustSet(fourVals.vals)); !errors.Is(err, ErrStepProof) {
		t.Fatalf("absence claimed as presence: got %v, want the proof step", err)
	}
}

func TestOtherValidatorSetIsNotTrusted(t *testing.T) {
	bd, _ := accountBundle(t)
	other := newSigners([]string{"a", "b", "c", "d"}, []int64{10, 10, 10, 10})
	_, err := Verify(bd, TrustSet(other.vals))
	if !errors.Is(err, ErrStepTrust) {
		t.Fatalf("got %v, want the trust step", err)
	}
	// A bundle signed by a set that is not the trusted one fails even if
	// internally consistent: re-sign the same state with another set.
	c := apptest.New(t, nil)
	src := newAppSource(t, c, func(int64) *signers { return other })
	forged, err := (&Builder{Source: src}).Account(context.Background(), apptest.Addr("meti").Hex())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(forged, TrustSet(fourVals.vals)); !errors.Is(err, ErrStepTrust) {
		t.Fatalf("got %v, want the trust step", err)
	}
}

func TestTooFewSignaturesFail(t *testing.T) {
	c := apptest.New(t, nil)
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	src.signed = 2 // half the power: not +2/3
	bd, err := (&Builder{Source: src}).Account(context.Background(), apptest.Addr("meti").Hex())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(bd, TrustSet(fourVals.vals)); !errors.Is(err, ErrStepCommit) {
		t.Fatalf("got %v, want the commit step", err)
	}
}

// editHeader decodes, changes and re-encodes the bundle's header.
func editHeader(t *testing.T, bd *Bundle, f func(h *types.Header)) {
	var h types.Header
	if err := cmtjson.Unmarshal(bd.Header, &h); err != nil {
		t.Fatal(err)
	}
	f(&h)
	bd.Header = mustJSON(t, &h)
}

func editCommit(t *testing.T, bd *Bundle, f func(c *types.Commit)) {
	var c types.Commit
	if err := cmtjson.Unmarshal(bd.Commit, &c); err != nil {
		t.Fatal(err)
	}
	f(&c)
	bd.Commit = mustJSON(t, &c)
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	bz, err := cmtjson.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return bz
}

func clone(t *testing.T, bd *Bundle) *Bundle { return roundTrip(t, bd) }

// TestTamperingIsCaught flips bytes in every part of a bundle and checks
// that verification fails at the step that owns that part.
func TestTamperingIsCaught(t *testing.T) {
	bd, _ := accountBundle(t)
	trust := TrustSet(fourVals.vals)
	if _, err := Verify(clone(t, bd), trust); err != nil {
		t.Fatal(err)
	}
	expect := func(t *testing.T, what string, b *Bundle, steps ...Step) {
		t.Helper()
		_, err := Verify(b, trust)
		if err == nil {
			t.Fatalf("%s: tampered bundle verified", what)
		}
		for _, s := range steps {
			if StepOf(err) == s {
				return
			}
		}
		t.Fatalf("%s: failed at step %q (%v), want one of %v", what, StepOf(err), err, steps)
	}

	t.Run("every byte of the proof", func(t *testing.T) {
		for i := range bd.Proof {
			b := clone(t, bd)
			b.Proof = flip(b.Proof, i)
			expect(t, "proof byte", b, StepProof)
		}
	})
	t.Run("every byte of the value", func(t *testing.T) {
		for i := range bd.Value {
			b := clone(t, bd)
			b.Value = flip(b.Value, i)
			expect(t, "value byte", b, StepProof)
		}
	})
	t.Run("every byte of the key", func(t *testing.T) {
		for i := range bd.Key {
			b := clone(t, bd)
			b.Key = flip(b.Key, i)
			expect(t, "key byte", b, StepProof)
		}
	})
	t.Run("record fields", func(t *testing.T) {
		var rec map[string]any
		if err := json.Unmarshal(bd.Record, &rec); err != nil {
			t.Fatal(err)
		}
		for field, v := range rec {
			b := clone(t, bd)
			r := map[string]any{}
			for k, vv := range rec {
				r[k] = vv
			}
			switch x := v.(type) {
			case string:
				bs := []byte(x)
				bs[len(bs)-1] ^= 0x01
				r[field] = string(bs)
			default:
				delete(r, field)
			}
			b.Record, _ = json.Marshal(r)
			expect(t, "record field "+field, b, StepRecord)
		}
		// Every byte of the record text: either it no longer parses, or
		// it says something else, or the byte was insignificant layout.
		for i := range bd.Record {
			b := clone(t, bd)
			b.Record = flip(b.Record, i)
			if _, err := Verify(b, trust); err == nil {
				t.Fatalf("record byte %d: %q verified", i, b.Record)
			} else if StepOf(err) != StepRecord {
				t.Fatalf("record byte %d: step %q: %v", i, StepOf(err), err)
			}
		}
		b := clone(t, bd)
		b.Subject = apptest.Addr("moe").Hex()
		expect(t, "subject", b, StepRecord)
	})
	t.Run("header", func(t *testing.T) {
		edits := map[string]func(h *types.Header){
			"app hash":        func(h *types.Header) { h.AppHash = flip(h.AppHash, 3) },
			"time":            func(h *types.Header) { h.Time = h.Time.Add(1) },
			"height":          func(h *types.Header) { h.Height++ },
			"validators hash": func(h *types.Header) { h.ValidatorsHash = flip(h.ValidatorsHash, 0) },
			"next validators": func(h *types.Header) { h.NextValidatorsHash = flip(h.NextValidatorsHash, 31) },
			"last block id":   func(h *types.Header) { h.LastBlockID.Hash = flip(h.LastBlockID.Hash, 7) },
			"proposer":        func(h *types.Header) { h.ProposerAddress = flip(h.ProposerAddress, 19) },
			"chain id":        func(h *types.Header) { h.ChainID += "x" },
			"data hash":       func(h *types.Header) { h.DataHash = flip(h.DataHash, 0) },
		}
		for name, f := range edits {
			b := clone(t, bd)
			editHeader(t, b, f)
			expect(t, "header "+name, b, StepHeader)
		}
		b := clone(t, bd)
		b.ChainID = "other-chain"
		expect(t, "bundle chain id", b, StepHeader)
		b = clone(t, bd)
		b.Height--
		expect(t, "bundle height", b, StepHeader)
	})
	t.Run("commit", func(t *testing.T) {
		var c types.Commit
		if err := cmtjson.Unmarshal(bd.Commit, &c); err != nil {
			t.Fatal(err)
		}
		for i := range c.Signatures {
			for j := range c.Signatures[i].Signature {
				b := clone(t, bd)
				editCommit(t, b, func(c *types.Commit) { c.Signatures[i].Signature = flip(c.Signatures[i].Signature, j) })
				expect(t, "signature byte", b, StepCommit)
			}
			b := clone(t, bd)
			editCommit(t, b, func(c *types.Commit) { c.Signatures[i].Timestamp = c.Signatures[i].Timestamp.Add(1) })
			expect(t, "signature timestamp", b, StepCommit)
			b = clone(t, bd)
			editCommit(t, b, func(c *types.Commit) {
				c.Signatures[i].ValidatorAddress = flip(c.Signatures[i].ValidatorAddress, 0)
			})
			expect(t, "signature address", b, StepCommit)
		}
		b := clone(t, bd)
		editCommit(t, b, func(c *types.Commit) { c.Round++ })
		expect(t, "round", b, StepCommit)
		b = clone(t, bd)
		editCommit(t, b, func(c *types.Commit) { c.BlockID.PartSetHeader.Hash = flip(c.BlockID.PartSetHeader.Hash, 0) })
		expect(t, "part set header", b, StepCommit)
		b = clone(t, bd)
		editCommit(t, b, func(c *types.Commit) { c.BlockID.Hash = flip(c.BlockID.Hash, 0) })
		expect(t, "block id", b, StepHeader)
	})
	t.Run("validators", func(t *testing.T) {
		for i := range bd.Validators {
			for j := range bd.Validators[i].PubKey {
				b := clone(t, bd)
				b.Validators[i].PubKey = flip(b.Validators[i].PubKey, j)
				expect(t, "pub key byte", b, StepValidators)
			}
			for j := range bd.Validators[i].Address {
				b := clone(t, bd)
				b.Validators[i].Address = flip(b.Validators[i].Address, j)
				expect(t, "address byte", b, StepValidators)
			}
			b := clone(t, bd)
			b.Validators[i].Power++
			expect(t, "power", b, StepValidators)
			b = clone(t, bd)
			b.Validators[i].PubKeyType = "secp256k1"
			expect(t, "key type", b, StepValidators)
		}
		b := clone(t, bd)
		b.Validators = b.Validators[1:]
		expect(t, "a validator dropped", b, StepValidators)
	})
	t.Run("format", func(t *testing.T) {
		raw, _ := bd.Marshal()
		if _, err := VerifyJSON(raw[:len(raw)/2], trust); StepOf(err) != StepFormat {
			t.Fatalf("truncated: %v", err)
		}
		b := clone(t, bd)
		b.Format = "jcredit-proof/v0"
		expect(t, "format", b, StepFormat)
		b = clone(t, bd)
		b.Kind = "retirement"
		expect(t, "kind", b, StepRecord)
	})
}
