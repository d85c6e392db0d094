package proof

import (
	"context"
	"errors"
	"testing"

	"github.com/cometbft/cometbft/types"

	"github.com/jcredit/jcredit/app/apptest"
)

// A network whose validators are replaced over time, as governance does:
// at each change one member leaves and a new one joins, and at the end none
// of the genesis validators is left. Real app state, headers signed with
// real validator keys.
func changingSets() (genesis *signers, setAt func(int64) *signers) {
	sets := []*signers{
		newSigners([]string{"meti", "moe", "maff", "secretariat"}, []int64{10, 10, 10, 10}),
		newSigners([]string{"p1", "moe", "maff", "secretariat"}, []int64{10, 10, 10, 10}),
		newSigners([]string{"p1", "p2", "maff", "secretariat"}, []int64{10, 10, 10, 10}),
		newSigners([]string{"p1", "p2", "p3", "secretariat"}, []int64{10, 10, 10, 10}),
		newSigners([]string{"p1", "p2", "p3", "p4"}, []int64{10, 10, 10, 10}),
	}
	return sets[0], func(h int64) *signers {
		i := int(h / 5) // a change every 5 blocks
		if i >= len(sets) {
			i = len(sets) - 1
		}
		return sets[i]
	}
}

func TestProofVerifiesAfterValidatorSetChanges(t *testing.T) {
	genesis, setAt := changingSets()
	c := apptest.New(t, nil)
	src := newAppSource(t, c, setAt)
	for c.Height < 30 {
		src.block()
	}
	bd, err := (&Builder{Source: src}).Account(context.Background(), apptest.Addr("moe").Hex())
	if err != nil {
		t.Fatal(err)
	}
	if len(bd.Chain) == 0 {
		t.Fatal("the set changed but the bundle has no header chain")
	}
	res, err := Verify(roundTrip(t, bd), TrustSet(genesis.vals, apptest.ChainID))
	if err != nil {
		t.Fatalf("verify after %d set changes: %v", 4, err)
	}
	if res.ChainLength != len(bd.Chain) {
		t.Fatal("chain length not reported")
	}
	t.Logf("header chain of %d links from block 1 to block %d", len(bd.Chain), res.BlockHeight)

	// A verifier holding a newer published root (the latest set) finds it
	// at the proven block: the chain before it is checked but not needed.
	res, err = Verify(roundTrip(t, bd), TrustSet(setAt(31).vals, apptest.ChainID))
	if err != nil {
		t.Fatalf("the latest set as trust root: %v", err)
	}
	if res.Trust.FoundAt != res.BlockHeight || res.Walk[len(res.Walk)-1].How != "trust root" || res.Walk[0].How != "before root" {
		t.Fatalf("trust found at %d, walk %+v", res.Trust.FoundAt, res.Walk)
	}
	// A set that signs no header of the walk is not trusted.
	stranger := newSigners([]string{"x1", "x2", "x3", "x4"}, []int64{10, 10, 10, 10})
	if _, err := Verify(roundTrip(t, bd), TrustSet(stranger.vals, apptest.ChainID)); !errors.Is(err, ErrStepTrust) {
		t.Fatalf("a set outside the walk: got %v, want the trust step", err)
	}

	// Without the chain, the genesis set does not vouch for the header.
	b := roundTrip(t, bd)
	b.Chain = nil
	if _, err := Verify(b, TrustSet(genesis.vals, apptest.ChainID)); !errors.Is(err, ErrStepTrust) {
		t.Fatalf("no chain: got %v, want the trust step", err)
	}

	// Dropping any link, or flipping a signature in one, breaks the chain.
	for i := range bd.Chain {
		b := roundTrip(t, bd)
		b.Chain = append(b.Chain[:i], b.Chain[i+1:]...)
		if _, err := Verify(b, TrustSet(genesis.vals, apptest.ChainID)); err == nil {
			// Skipping a link can be legitimate if the remaining steps
			// still overlap by more than 1/3; only report real gaps.
			continue
		} else if !errors.Is(err, ErrStepTrust) {
			t.Fatalf("link %d dropped: got %v, want the trust step", i, err)
		}
	}
	for i := range bd.Chain {
		b := roundTrip(t, bd)
		l := &Bundle{Header: b.Chain[i].Header, Commit: b.Chain[i].Commit}
		editCommit(t, l, func(c *types.Commit) { c.Signatures[0].Signature = flip(c.Signatures[0].Signature, 5) })
		b.Chain[i].Commit = l.Commit
		if _, err := Verify(b, TrustSet(genesis.vals, apptest.ChainID)); !errors.Is(err, ErrStepTrust) {
			t.Fatalf("link %d signature flipped: got %v, want the trust step", i, err)
		}
		b = roundTrip(t, bd)
		l = &Bundle{Header: b.Chain[i].Header}
		editHeader(t, l, func(h *types.Header) { h.AppHash = flip(h.AppHash, 0) })
		b.Chain[i].Header = l.Header
		if _, err := Verify(b, TrustSet(genesis.vals, apptest.ChainID)); !errors.Is(err, ErrStepTrust) {
			t.Fatalf("link %d header altered: got %v, want the trust step", i, err)
		}
		b = roundTrip(t, bd)
		b.Chain[i].Validators[0].Power++
		if _, err := Verify(b, TrustSet(genesis.vals, apptest.ChainID)); !errors.Is(err, ErrStepTrust) {
			t.Fatalf("link %d validators altered: got %v, want the trust step", i, err)
		}
	}
}

// A set that took over without the old one handing over (no overlap and no
// adjacent header naming it) cannot be reached from the trust root.
func TestChainFromAnUnrelatedSetFails(t *testing.T) {
	genesis, _ := changingSets()
	usurpers := newSigners([]string{"x1", "x2", "x3", "x4"}, []int64{10, 10, 10, 10})
	c := apptest.New(t, nil)
	src := newAppSource(t, c, func(h int64) *signers {
		if h >= 5 {
			return usurpers
		}
		return genesis
	})
	src.nextAt = func(int64) *signers { return genesis }
	for c.Height < 10 {
		src.block()
	}
	// Header 4 names the genesis set as next, yet block 5 is signed by
	// others: no honest chain leads there.
	if _, err := (&Builder{Source: src}).Account(context.Background(), apptest.Addr("moe").Hex()); err == nil {
		t.Fatal("built a chain across a takeover")
	}
}
