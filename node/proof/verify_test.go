package proof

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/types"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
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

// creditsGenesis migrates one forest batch of 20 credits: 1-10 retired
// (JCR-00000001), 11-17 held by meti, 18-20 cancelled (JCX-00000001).
func creditsGenesis(t *testing.T) json.RawMessage {
	owner := apptest.Addr("meti").Hex()
	bz, err := protojson.Marshal(&creditsv1.GenesisState{
		Batches: []*creditsv1.Batch{{Id: "JC-00000001", Number: 1, ProjectId: "P-1", ReportId: "R-1", Methodology: "FO-001",
			Category: creditsv1.Category_CATEGORY_FOREST, VintageStart: "2022-04-01", VintageEnd: "2023-03-31", Issued: 20}},
		Ranges: []*creditsv1.Range{
			{BatchId: "JC-00000001", Start: 1, End: 10, Owner: owner, Status: creditsv1.RangeStatus_RANGE_STATUS_RETIRED, RetirementId: "JCR-00000001"},
			{BatchId: "JC-00000001", Start: 11, End: 17, Owner: owner, Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE},
			{BatchId: "JC-00000001", Start: 18, End: 20, Owner: owner, Status: creditsv1.RangeStatus_RANGE_STATUS_CANCELLED, CancellationId: "JCX-00000001"},
		},
		Cancellations: []*creditsv1.Cancellation{{Id: "JCX-00000001", Ministry: owner, Reason: "double registration", Quantity: 3, Height: 1,
			Blocks: []*creditsv1.SerialBlock{{BatchId: "JC-00000001", Start: 18, End: 20, Serials: "JC-00000001-FO-2022-0000000018-0000000020"}}}},
		Retirements: []*creditsv1.Retirement{{Id: "JCR-00000001", Account: owner, Beneficiary: "森の会社", Use: creditsv1.Use_USE_CARBON_OFFSET,
			FiscalYear: 2024, Quantity: 10, Height: 1,
			Blocks: []*creditsv1.SerialBlock{{BatchId: "JC-00000001", Start: 1, End: 10, Serials: "JC-00000001-FO-2022-0000000001-0000000010"}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return bz
}

// creditsBundle proves a credits record on a real app with that genesis.
func creditsBundle(t *testing.T, kind, subject string) (*Bundle, *appSource) {
	t.Helper()
	c := apptest.New(t, app.GenesisState{"accounts": apptest.AccountsGenesis(apptest.DefaultAccounts()), "credits": creditsGenesis(t)})
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	src.block()
	bl := &Builder{Source: src}
	var bd *Bundle
	var err error
	switch kind {
	case KindRetirement:
		bd, err = bl.Retirement(context.Background(), subject)
	case KindSerial:
		bd, err = bl.Serial(context.Background(), subject)
	case KindCancellation:
		bd, err = bl.Cancellation(context.Background(), subject)
	}
	if err != nil {
		t.Fatal(err)
	}
	return bd, src
}

func TestCreditsProofsVerify(t *testing.T) {
	for _, c := range []struct {
		kind, subject string
		exists        bool
		want          string
	}{
		{KindRetirement, "JCR-00000001", true, "森の会社"},
		{KindSerial, "JC-00000001-FO-2022-0000000005", true, "RANGE_STATUS_RETIRED"},
		{KindSerial, "JC-00000001-FO-2022-0000000015", true, "RANGE_STATUS_ACTIVE"},
		{KindSerial, "JC-00000001-FO-2022-0000000021", true, `"issued"`}, // not issued: the batch
		{KindSerial, "JC-00000002-FO-2022-0000000001", false, ""},        // no such batch
	} {
		bd, _ := creditsBundle(t, c.kind, c.subject)
		res, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals, apptest.ChainID))
		if err != nil {
			t.Fatalf("%s %s: %v", c.kind, c.subject, err)
		}
		if res.Exists != c.exists || !strings.Contains(string(bd.Record), c.want) {
			t.Fatalf("%s %s: exists %v, record %s", c.kind, c.subject, res.Exists, bd.Record)
		}
	}
	// A retirement that does not exist is proven absent.
	c := apptest.New(t, nil)
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	src.block()
	bd, err := (&Builder{Source: src}).Retirement(context.Background(), "JCR-00000001")
	if err != nil {
		t.Fatalf("missing retirement: %v", err)
	}
	res, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals, apptest.ChainID))
	if err != nil || res.Exists || res.Answer != AnswerAbsent {
		t.Fatalf("absence of JCR-00000001: %v %+v", err, res)
	}
}

// A range proof cannot be passed off as the proof of a serial outside it,
// nor a batch proof as the proof that an issued serial does not exist.
func TestSerialProofAnswersOnlyItsSerial(t *testing.T) {
	bd, _ := creditsBundle(t, KindSerial, "JC-00000001-FO-2022-0000000005")
	b := roundTrip(t, bd)
	b.Subject = "JC-00000001-FO-2022-0000000012"
	if _, err := Verify(b, TrustSet(fourVals.vals, apptest.ChainID)); !errors.Is(err, ErrStepRecord) {
		t.Fatalf("range 1-10 for serial 12: %v", err)
	}
	notIssued, _ := creditsBundle(t, KindSerial, "JC-00000001-FO-2022-0000000021")
	b = roundTrip(t, notIssued)
	b.Subject = "JC-00000001-FO-2022-0000000020"
	if _, err := Verify(b, TrustSet(fourVals.vals, apptest.ChainID)); !errors.Is(err, ErrStepRecord) {
		t.Fatalf("batch proof for an issued serial: %v", err)
	}
}

func TestAccountProofVerifies(t *testing.T) {
	bd, src := accountBundle(t)
	res, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals, apptest.ChainID))
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
	res, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals, apptest.ChainID))
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if res.Exists {
		t.Fatal("absent account proven present")
	}
	// The same non-membership proof cannot be passed off as a membership.
	bd.Exists = true
	if _, err := Verify(bd, TrustSet(fourVals.vals, apptest.ChainID)); !errors.Is(err, ErrStepProof) {
		t.Fatalf("absence claimed as presence: got %v, want the proof step", err)
	}
}

func TestOtherValidatorSetIsNotTrusted(t *testing.T) {
	bd, _ := accountBundle(t)
	other := newSigners([]string{"a", "b", "c", "d"}, []int64{10, 10, 10, 10})
	_, err := Verify(bd, TrustSet(other.vals, apptest.ChainID))
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
	if _, err := Verify(forged, TrustSet(fourVals.vals, apptest.ChainID)); !errors.Is(err, ErrStepTrust) {
		t.Fatalf("got %v, want the trust step", err)
	}
}

func TestTooFewSignaturesFail(t *testing.T) {
	c := apptest.New(t, nil)
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	src.signed = 2 // half the power: not +2/3
	// The builder refuses such a header from a node.
	if _, err := (&Builder{Source: src}).Account(context.Background(), apptest.Addr("meti").Hex()); err == nil {
		t.Fatal("built a bundle on a header half the power signed")
	}
	// A bundle made of one anyway is refused by the verifier.
	src.signed, src.headers = 0, map[int64]*types.SignedHeader{}
	bd, err := (&Builder{Source: src}).Account(context.Background(), apptest.Addr("meti").Hex())
	if err != nil {
		t.Fatal(err)
	}
	src.signed, src.headers = 2, map[int64]*types.SignedHeader{}
	weak, err := src.SignedHeader(context.Background(), bd.Height+1)
	if err != nil {
		t.Fatal(err)
	}
	bd.Header, bd.Commit = mustJSON(t, weak.Header), mustJSON(t, weak.Commit)
	if _, err := Verify(bd, TrustSet(fourVals.vals, apptest.ChainID)); !errors.Is(err, ErrStepCommit) {
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

// TestTamperingIsCaught flips bytes in every part of a bundle (of each
// kind) and checks that verification fails at the step that owns that part.
func TestTamperingIsCaught(t *testing.T) {
	acc, _ := accountBundle(t)
	ret, _ := creditsBundle(t, KindRetirement, "JCR-00000001")
	ser, _ := creditsBundle(t, KindSerial, "JC-00000001-FO-2022-0000000005")
	canc, _ := creditsBundle(t, KindCancellation, "JCX-00000001")
	for _, c := range []struct {
		name, otherSubject string
		bd                 *Bundle
	}{
		{"account", apptest.Addr("moe").Hex(), acc},
		{"retirement", "JCR-00000002", ret},
		{"serial", "JC-00000001-FO-2022-0000000011", ser},
		{"cancellation", "JCX-00000002", canc},
	} {
		t.Run(c.name, func(t *testing.T) { tamper(t, c.bd, c.otherSubject) })
	}
}

func tamper(t *testing.T, bd *Bundle, otherSubject string) {
	trust := TrustSet(fourVals.vals, apptest.ChainID)
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
		b.Subject = otherSubject
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
		b.Kind = map[string]string{KindRetirement: KindCancellation, KindCancellation: KindRetirement, KindAccount: KindRetirement, KindSerial: KindBatch}[bd.Kind]
		expect(t, "kind", b, StepRecord)
	})
}

// Literally any byte: flipping the lowest bit of any byte of a bundle file
// makes verification fail (and always with a named step).
func TestFlippingAnyByteOfTheFileFails(t *testing.T) {
	bd, _ := creditsBundle(t, KindRetirement, "JCR-00000001")
	raw, err := bd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust := TrustSet(fourVals.vals, apptest.ChainID)
	if _, err := VerifyJSON(raw, trust); err != nil {
		t.Fatal(err)
	}
	steps := map[Step]int{}
	for i := range raw {
		_, err := VerifyJSON(flip(raw, i), trust)
		if err == nil {
			t.Fatalf("byte %d (%q in %q) flipped: still verifies", i, raw[i], raw[max(0, i-30):min(len(raw), i+30)])
		}
		if StepOf(err) == "" {
			t.Fatalf("byte %d flipped: error names no step: %v", i, err)
		}
		steps[StepOf(err)]++
	}
	t.Logf("%d bytes flipped one at a time, failures by step: %v", len(raw), steps)
}

// The same for a bundle with a header chain of several links, made by the
// released v0.2.0 on a real network whose validator set changed three times
// by ministry decision (testdata/corpus-v1): every byte of every link —
// signatures, validator addresses, timestamps, vote flags — is checked.
func TestFlippingAnyByteOfAChainBundleFails(t *testing.T) {
	raw := corpusFile(t, "e3-retirement-1.json")
	trust := corpusTrust(t, "genesis.json", "")
	res, err := VerifyJSON(raw, trust)
	if err != nil {
		t.Fatal(err)
	}
	if res.ChainLength < 3 {
		t.Fatalf("chain of %d links", res.ChainLength)
	}
	steps := map[Step]int{}
	start := time.Now()
	stride := 1
	if testing.Short() {
		stride = 7 // -short: every 7th byte (a few seconds instead of ~20)
	}
	for i := 0; i < len(raw); i += stride {
		_, err := VerifyJSON(flip(raw, i), trust)
		if err == nil {
			t.Fatalf("byte %d (%q in %q) flipped: still verifies", i, raw[i], raw[max(0, i-30):min(len(raw), i+30)])
		}
		if StepOf(err) == "" {
			t.Fatalf("byte %d flipped: error names no step: %v", i, err)
		}
		steps[StepOf(err)]++
	}
	t.Logf("%d bytes of a bundle with a %d-link chain flipped one at a time in %s, failures by step: %v",
		len(raw), res.ChainLength, time.Since(start).Round(time.Millisecond), steps)
}
