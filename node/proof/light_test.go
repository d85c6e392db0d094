package proof

// light.go re-expresses four functions of CometBFT's types package (the
// header hash, the validator-set hash, a precommit's sign bytes, the
// commit checks) and reads and writes CometBFT's JSON itself. These tests
// hold it to CometBFT's own functions: on every header, commit and set of
// the real chains in testdata (a six-node network with three validator-set
// changes, and the totals chain), on random values, and on random edits of
// the JSON text.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	cmtversionpb "github.com/cometbft/cometbft/api/cometbft/version/v1"
	"github.com/cometbft/cometbft/crypto/ed25519"
	cmtjson "github.com/cometbft/cometbft/libs/json"
	"github.com/cometbft/cometbft/types"
	cmtversion "github.com/cometbft/cometbft/version"
)

// realLinks is every signed header of the bundles in testdata, with its
// chain id and validators.
type realLink struct {
	name           string
	chainID        string
	header, commit json.RawMessage
	vals           []Validator
}

func realLinks(t *testing.T) []realLink {
	t.Helper()
	var out []realLink
	for _, dir := range []string{corpusDir, "testdata/totals"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var b Bundle
			if json.Unmarshal(raw, &b) != nil || len(b.Header) == 0 {
				continue // the manifest, the trust roots
			}
			out = append(out, realLink{f, b.ChainID, b.Header, b.Commit, b.Validators})
			for i, l := range b.Chain {
				out = append(out, realLink{fmt.Sprintf("%s chain[%d]", f, i), b.ChainID, l.Header, l.Commit, l.Validators})
			}
		}
	}
	if len(out) < 40 {
		t.Fatalf("only %d signed headers in testdata", len(out))
	}
	return out
}

// cometSet is the set CometBFT builds from a bundle's list.
func cometSet(t *testing.T, vals []Validator) *types.ValidatorSet {
	t.Helper()
	tv := make([]*types.Validator, len(vals))
	for i, v := range vals {
		tv[i] = types.NewValidator(ed25519.PubKey(v.PubKey), v.Power)
	}
	vs, err := types.ValidatorSetFromExistingValidators(tv)
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// cometReads is how the verifier read a header and commit before light.go:
// CometBFT's JSON package, and the text must be what it writes back.
func cometReadsHeader(raw []byte) (*types.Header, bool) {
	var h types.Header
	if cmtjson.Unmarshal(raw, &h) != nil {
		return nil, false
	}
	again, err := cmtjson.Marshal(&h)
	return &h, err == nil && sameJSON(raw, again)
}

func cometReadsCommit(raw []byte) (*types.Commit, bool) {
	var c types.Commit
	if cmtjson.Unmarshal(raw, &c) != nil {
		return nil, false
	}
	again, err := cmtjson.Marshal(&c)
	return &c, err == nil && sameJSON(raw, again)
}

func lightReadsHeader(raw []byte) (*header, bool) {
	var h header
	if json.Unmarshal(raw, &h) != nil {
		return nil, false
	}
	return &h, canonical(raw, &h) == nil
}

func lightReadsCommit(raw []byte) (*commit, bool) {
	var c commit
	if json.Unmarshal(raw, &c) != nil {
		return nil, false
	}
	return &c, canonical(raw, &c) == nil
}

// sameHeader: the same JSON bytes, hash and ValidateBasic verdict.
func sameHeader(t *testing.T, name string, ch *types.Header, lh *header) {
	t.Helper()
	cj, err1 := cmtjson.Marshal(ch)
	lj, err2 := lh.MarshalJSON()
	if err1 != nil || err2 != nil || !bytes.Equal(cj, lj) {
		t.Errorf("%s: header JSON differs (%v %v)\ncometbft %s\nlight    %s", name, err1, err2, cj, lj)
	}
	if !bytes.Equal(ch.Hash(), lh.Hash()) {
		t.Errorf("%s: header hash %X, CometBFT's %X", name, lh.Hash(), []byte(ch.Hash()))
	}
	if e1, e2 := ch.ValidateBasic(), lh.ValidateBasic(); (e1 == nil) != (e2 == nil) {
		t.Errorf("%s: ValidateBasic: CometBFT %v, light %v", name, e1, e2)
	}
}

// sameCommit: the same JSON bytes, ValidateBasic verdict and sign bytes.
func sameCommit(t *testing.T, name, chainID string, cc *types.Commit, lc *commit) {
	t.Helper()
	cj, err1 := cmtjson.Marshal(cc)
	lj, err2 := lc.MarshalJSON()
	if err1 != nil || err2 != nil || !bytes.Equal(cj, lj) {
		t.Errorf("%s: commit JSON differs (%v %v)\ncometbft %s\nlight    %s", name, err1, err2, cj, lj)
	}
	e1, e2 := cc.ValidateBasic(), lc.ValidateBasic()
	if (e1 == nil) != (e2 == nil) {
		t.Errorf("%s: commit ValidateBasic: CometBFT %v, light %v", name, e1, e2)
	}
	if e1 != nil || cc.BlockID.ValidateBasic() != nil {
		return // CometBFT's sign bytes panic on what these refuse
	}
	for i := range cc.Signatures {
		if cc.Signatures[i].BlockIDFlag == types.BlockIDFlagAbsent {
			continue
		}
		if cb, lb := cc.VoteSignBytes(chainID, int32(i)), lc.voteSignBytes(chainID, i); !bytes.Equal(cb, lb) {
			t.Errorf("%s: sign bytes of signature %d differ\ncometbft %X\nlight    %X", name, i, cb, lb)
		}
	}
}

// cometVerdict and lightVerdict are the commit step of each: ValidateBasic
// and every signature, +2/3 for the block.
func cometVerdict(chainID string, vs *types.ValidatorSet, c *types.Commit) error {
	if err := c.ValidateBasic(); err != nil {
		return err
	}
	if err := c.BlockID.ValidateBasic(); err != nil {
		return err
	}
	return types.VerifyCommit(chainID, vs, c.BlockID, c.Height, c)
}

func lightVerdict(chainID string, vs *validatorSet, c *commit) error {
	if err := c.ValidateBasic(); err != nil {
		return err
	}
	if err := c.BlockID.ValidateBasic(); err != nil {
		return err
	}
	return verifyCommit(chainID, vs, c)
}

func TestLightAgreesWithCometBFTOnTheRealChains(t *testing.T) {
	for _, l := range realLinks(t) {
		ch, ok1 := cometReadsHeader(l.header)
		lh, ok2 := lightReadsHeader(l.header)
		cc, ok3 := cometReadsCommit(l.commit)
		lc, ok4 := lightReadsCommit(l.commit)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			t.Fatalf("%s: read: CometBFT %v %v, light %v %v", l.name, ok1, ok3, ok2, ok4)
		}
		sameHeader(t, l.name, ch, lh)
		sameCommit(t, l.name, l.chainID, cc, lc)
		cs := cometSet(t, l.vals)
		ls, err := toValidatorSet(l.vals)
		if err != nil {
			t.Fatalf("%s: %v", l.name, err)
		}
		if !bytes.Equal(cs.Hash(), ls.Hash()) || !bytes.Equal(ls.Hash(), lh.ValidatorsHash) {
			t.Errorf("%s: set hash %X, CometBFT's %X, header's %X", l.name, ls.Hash(), cs.Hash(), lh.ValidatorsHash)
		}
		if e1, e2 := cometVerdict(l.chainID, cs, cc), lightVerdict(l.chainID, ls, lc); e1 != nil || e2 != nil {
			t.Errorf("%s: commit: CometBFT %v, light %v", l.name, e1, e2)
		}
	}
}

// randomKeys are deterministic validator keys.
func randomKeys(n int) []ed25519.PrivKey {
	keys := make([]ed25519.PrivKey, n)
	for i := range keys {
		keys[i] = ed25519.GenPrivKeyFromSecret([]byte(fmt.Sprintf("light-test-%d", i)))
	}
	return keys
}

func randBytes(r *rand.Rand, sizes ...int) []byte {
	n := sizes[r.Intn(len(sizes))]
	if n < 0 {
		return nil
	}
	b := make([]byte, n)
	r.Read(b)
	return b
}

func randTime(r *rand.Rand) time.Time {
	switch r.Intn(6) {
	case 0:
		return time.Time{}
	case 1:
		return time.Unix(-r.Int63n(62135596800), r.Int63n(1e9)).UTC() // before 1970
	case 2:
		return time.Unix(r.Int63n(1<<33), 0).UTC() // whole seconds
	default:
		return time.Unix(r.Int63n(1<<33), r.Int63n(1e9)).UTC()
	}
}

func randHeader(r *rand.Rand, vs *types.ValidatorSet) *types.Header {
	h := &types.Header{
		Version: cmtversionpb.Consensus{Block: cmtversion.BlockProtocol, App: uint64(r.Intn(3))},
		ChainID: fmt.Sprintf("chain-%d", r.Intn(1000)), Height: 1 + r.Int63n(1<<40), Time: randTime(r),
		LastBlockID:    types.BlockID{Hash: randBytes(r, 32, 32, 0, 31), PartSetHeader: types.PartSetHeader{Total: uint32(r.Intn(5)), Hash: randBytes(r, 32, 0, 33)}},
		LastCommitHash: randBytes(r, 32, 0, 31), DataHash: randBytes(r, 32, 0), ValidatorsHash: vs.Hash(),
		NextValidatorsHash: vs.Hash(), ConsensusHash: randBytes(r, 32, 32, 0), AppHash: randBytes(r, 32, 0, 20, 1),
		LastResultsHash: randBytes(r, 32, 0, 5), EvidenceHash: randBytes(r, 32, 0), ProposerAddress: randBytes(r, 20, 20, 0, 19),
	}
	switch r.Intn(12) {
	case 0:
		h.Version.Block = uint64(r.Intn(20))
	case 1:
		h.ChainID = string(bytes.Repeat([]byte("c"), 40+r.Intn(20)))
	case 2:
		h.Height = -r.Int63n(3)
	case 3:
		h.ChainID = "<é\u2028>" // escaped alike by both encoders
	case 4:
		h.NextValidatorsHash = randBytes(r, 0, 31)
	}
	return h
}

// TestLightAgreesWithCometBFTOnRandomBlocks signs random headers with
// random sets, as CometBFT would, then spoils some of them, and compares
// every function and every verdict.
func TestLightAgreesWithCometBFTOnRandomBlocks(t *testing.T) {
	r := rand.New(rand.NewSource(13))
	keys := randomKeys(7)
	accepted, refused := 0, 0
	for iter := 0; iter < 400; iter++ {
		n := 1 + r.Intn(len(keys))
		tv := make([]*types.Validator, n)
		for i := 0; i < n; i++ {
			power := int64(1 + r.Intn(4))
			if r.Intn(4) == 0 {
				power = 1 + r.Int63n(1<<40)
			}
			tv[i] = types.NewValidator(keys[i].PubKey(), power)
		}
		vs := types.NewValidatorSet(tv)
		byAddr := map[string]ed25519.PrivKey{}
		for _, k := range keys[:n] {
			byAddr[string(k.PubKey().Address())] = k
		}
		name := fmt.Sprintf("iteration %d", iter)

		ls, err := toValidatorSet(FromValidatorSet(vs))
		if err != nil || !bytes.Equal(ls.Hash(), vs.Hash()) {
			t.Fatalf("%s: set: %v, hash %X, CometBFT's %X", name, err, ls.Hash(), vs.Hash())
		}

		h := randHeader(r, vs)
		hraw, err := cmtjson.Marshal(h)
		if err != nil {
			continue // a time outside RFC 3339's years
		}
		lh, ok := lightReadsHeader(hraw)
		if !ok {
			t.Fatalf("%s: light refuses CometBFT's header JSON %s", name, hraw)
		}
		sameHeader(t, name, h, lh)

		c := &types.Commit{Height: h.Height, Round: int32(r.Intn(3)), BlockID: types.BlockID{Hash: h.Hash(), PartSetHeader: types.PartSetHeader{Total: 1 + uint32(r.Intn(3)), Hash: randBytes(r, 32)}}}
		chainID := h.ChainID
		for i, v := range vs.Validators {
			s := types.CommitSig{BlockIDFlag: types.BlockIDFlag(1 + r.Intn(3)), ValidatorAddress: v.Address, Timestamp: randTime(r)}
			if r.Intn(3) > 0 {
				s.BlockIDFlag = types.BlockIDFlagCommit
			}
			if s.BlockIDFlag == types.BlockIDFlagAbsent {
				s.ValidatorAddress, s.Timestamp = nil, time.Time{}
			}
			c.Signatures = append(c.Signatures, s)
			if s.BlockIDFlag != types.BlockIDFlagAbsent && c.BlockID.ValidateBasic() == nil {
				c.Signatures[i].Signature, _ = byAddr[string(v.Address)].Sign(c.VoteSignBytes(chainID, int32(i)))
			}
		}
		// Spoil one in two: a flipped bit, a moved time, a changed flag,
		// round or block, a missing or extra byte.
		if r.Intn(2) == 0 {
			i := r.Intn(len(c.Signatures))
			s := &c.Signatures[i]
			switch r.Intn(8) {
			case 0:
				if len(s.Signature) > 0 {
					s.Signature = bytes.Clone(s.Signature)
					s.Signature[r.Intn(len(s.Signature))] ^= 1 << r.Intn(8)
				}
			case 1:
				s.Timestamp = s.Timestamp.Add(time.Duration(1 + r.Intn(1000)))
			case 2:
				s.BlockIDFlag = types.BlockIDFlag(1 + r.Intn(4))
			case 3:
				c.Round++
			case 4:
				c.BlockID.PartSetHeader.Total++
			case 5:
				s.Signature = append(bytes.Clone(s.Signature), 0)
			case 6:
				s.ValidatorAddress = randBytes(r, 20, 19)
			case 7:
				c.Signatures = c.Signatures[:len(c.Signatures)-1]
			}
		}
		craw, err := cmtjson.Marshal(c)
		if err != nil {
			continue
		}
		_, okComet := cometReadsCommit(craw)
		lc, ok := lightReadsCommit(craw)
		if ok != okComet {
			t.Fatalf("%s: CometBFT reads its commit JSON: %v, light: %v: %s", name, okComet, ok, craw)
		}
		if !ok {
			continue // an empty list, which CometBFT's JSON reads back as null
		}
		sameCommit(t, name, chainID, c, lc)
		if lc.ValidateBasic() != nil || lc.BlockID.ValidateBasic() != nil {
			continue
		}
		e1, e2 := cometVerdict(chainID, vs, c), lightVerdict(chainID, ls, lc)
		if (e1 == nil) != (e2 == nil) {
			t.Errorf("%s: commit verdict: CometBFT %v, light %v", name, e1, e2)
		}
		if e1 == nil {
			accepted++
		} else {
			refused++
		}
	}
	if accepted < 50 || refused < 50 {
		t.Errorf("the random commits did not cover both verdicts: %d accepted, %d refused", accepted, refused)
	}
}

// TestLightReadsJSONAsCometBFTDid edits the real headers' and commits'
// JSON text at random (a byte changed, dropped or doubled, a letter's case)
// and checks that light.go accepts exactly the texts CometBFT's JSON
// package and the canonical check accepted, and reads them alike.
func TestLightReadsJSONAsCometBFTDid(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	links := realLinks(t)
	alphabet := []byte(`0123456789ABCDEFabcdef"{}[],:.-+TZ nul\e`)
	edited, same := 0, 0
	for iter := 0; iter < 6000; iter++ {
		l := links[r.Intn(len(links))]
		raw := l.header
		if iter%2 == 1 {
			raw = l.commit
		}
		raw = bytes.Clone(raw)
		for k := 0; k < 1+r.Intn(2); k++ {
			i := r.Intn(len(raw))
			switch r.Intn(4) {
			case 0:
				raw[i] = alphabet[r.Intn(len(alphabet))]
			case 1:
				raw = append(raw[:i:i], raw[i+1:]...)
			case 2:
				raw = append(raw[:i+1:i+1], raw[i:]...)
			case 3:
				raw[i] ^= 0x20 // letter case
			}
		}
		if checkStrictJSON(raw, MaxJSONDepth) != nil {
			continue // Parse refuses the bundle before either reader
		}
		edited++
		name := fmt.Sprintf("edit %d of %s: %s", iter, l.name, raw)
		if iter%2 == 0 {
			ch, ok1 := cometReadsHeader(raw)
			lh, ok2 := lightReadsHeader(raw)
			if ok1 != ok2 {
				t.Errorf("%s: CometBFT reads it: %v, light: %v", name, ok1, ok2)
			} else if ok1 {
				same++
				sameHeader(t, name, ch, lh)
			}
			continue
		}
		cc, ok1 := cometReadsCommit(raw)
		lc, ok2 := lightReadsCommit(raw)
		if ok1 != ok2 {
			t.Errorf("%s: CometBFT reads it: %v, light: %v", name, ok1, ok2)
		} else if ok1 {
			same++
			sameCommit(t, name, l.chainID, cc, lc)
		}
	}
	if edited < 1000 || same < 100 {
		t.Errorf("the edits covered too little: %d strict JSON, %d read by both", edited, same)
	}
}

// TestLightTrustRootsAgreeWithCometBFT: a genesis file and CometBFT's
// /validators answer give the set hash CometBFT computes from them.
func TestLightTrustRootsAgreeWithCometBFT(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(corpusDir, "genesis.json"))
	if err != nil {
		t.Fatal(err)
	}
	gen, err := types.GenesisDocFromJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ParseTrust(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tr.ValidatorsHash, gen.ValidatorHash()) || tr.ChainID != gen.ChainID || tr.Height != gen.InitialHeight || !tr.Time.Equal(gen.GenesisTime) {
		t.Errorf("genesis root %X %s %d %v, CometBFT's %X %s %d %v", tr.ValidatorsHash, tr.ChainID, tr.Height, tr.Time,
			gen.ValidatorHash(), gen.ChainID, gen.InitialHeight, gen.GenesisTime)
	}
	// The same set as CometBFT's /validators answer (shuffled: a root may
	// list its members in any order).
	vals := make([]*types.Validator, len(gen.Validators))
	for i, v := range gen.Validators {
		vals[i] = types.NewValidator(v.PubKey, v.Power)
	}
	rand.New(rand.NewSource(1)).Shuffle(len(vals), func(i, j int) { vals[i], vals[j] = vals[j], vals[i] })
	answer, err := cmtjson.Marshal(struct {
		BlockHeight int64              `json:"block_height"`
		Validators  []*types.Validator `json:"validators"`
		Count       int                `json:"count"`
		Total       int                `json:"total"`
	}{7, vals, len(vals), len(vals)})
	if err != nil {
		t.Fatal(err)
	}
	tr, err = ParseTrust(answer)
	if err != nil || !bytes.Equal(tr.ValidatorsHash, gen.ValidatorHash()) || tr.Height != 7 {
		t.Errorf("/validators root: %v, %X, want %X at 7", err, tr.ValidatorsHash, gen.ValidatorHash())
	}
	for _, f := range []string{"validators-latest.json", "validators-mid.json"} {
		raw, err := os.ReadFile(filepath.Join(corpusDir, f))
		if err != nil {
			t.Fatal(err)
		}
		tr, err := ParseTrust(raw)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var page struct {
			Result struct {
				Validators []*types.Validator `json:"validators"`
			} `json:"result"`
			Validators []*types.Validator `json:"validators"`
		}
		if err := cmtjson.Unmarshal(raw, &page); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		vals := append(page.Result.Validators, page.Validators...)
		if len(vals) == 0 {
			continue // not CometBFT's form
		}
		vs, err := types.ValidatorSetFromExistingValidators(vals)
		if err != nil || !bytes.Equal(vs.Hash(), tr.ValidatorsHash) {
			t.Errorf("%s: root %X, CometBFT's %X (%v)", f, tr.ValidatorsHash, vs.Hash(), err)
		}
	}
}
