package proof

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/cometbft/cometbft/types"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/upgradetest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
)

// An account proof after a key rotation: the account record (keyed by its
// number) names the new address, so a bundle for the new address verifies,
// the old address is proven to be no account's key, and a record cannot be
// passed off as another address's or another number's.
func TestAccountProofsFollowTheAccountNumber(t *testing.T) {
	c := apptest.New(t, nil)
	c.OpenAccount("alice", 0, accountsv1.Role_ROLE_HOLDER)
	upgradetest.Rotate(c, "alice", "alice-2")
	number := c.AccountNumber("alice-2")
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	b := &Builder{Source: src}
	ctx := context.Background()
	trust := TrustSet(fourVals.vals, apptest.ChainID)

	byAddr, err := b.Account(ctx, apptest.Addr("alice-2").Hex())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Verify(roundTrip(t, byAddr), trust)
	if err != nil || !res.Exists || string(byAddr.Key) != string(accountstypes.AccountStoreKey(number)) {
		t.Fatalf("the new key's account: %v %+v", err, res)
	}
	byNumber, err := b.Account(ctx, strconv.FormatUint(number, 10))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(roundTrip(t, byNumber), trust); err != nil {
		t.Fatalf("account by number: %v", err)
	}
	old, err := b.Account(ctx, apptest.Addr("alice").Hex())
	if err != nil {
		t.Fatal(err)
	}
	res, err = Verify(roundTrip(t, old), trust)
	if err != nil || res.Exists || string(old.Key) != string(accountstypes.KeyRefStoreKey(apptest.Addr("alice"))) {
		t.Fatalf("the rotated-away key: %v %+v", err, res)
	}
	for name, subject := range map[string]string{
		"the old address":           apptest.Addr("alice").Hex(),
		"another account's":         apptest.Addr("meti").Hex(),
		"another number":            strconv.FormatUint(number+1, 10),
		"the address in lower case": strings.ToLower(apptest.Addr("alice-2").Hex()),
	} {
		forged := roundTrip(t, byAddr)
		forged.Subject = subject
		if _, err := Verify(forged, trust); !errors.Is(err, ErrStepRecord) {
			t.Errorf("alice-2's record for %s (%s): %v", name, subject, err)
		}
	}
}

// Account bundles of a state of version 1 (keyed accounts by address) keep
// verifying, presence and absence: the header committing the state says its
// version (version.app). The same keys in a header of state version 2
// prove nothing: nothing is stored there since.
func TestAccountBundlesOfStateVersion1StillVerify(t *testing.T) {
	f, err := upgradetest.LoadFixture(upgradetest.FixtureV1Path())
	if err != nil {
		t.Fatal(err)
	}
	dir := upgradetest.ImportFixture(t, f)
	a, err := app.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	c := &apptest.Chain{T: t, App: a, Dir: dir, Height: f.Height, LastHash: f.AppHash}
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	src.appVersion = 1 // the fixture is a state v0.2.0 wrote
	b := &Builder{Source: src}
	ctx := context.Background()
	kyoto := apptest.Addr("kyoto")
	bd, err := b.Build(ctx, KindAccount, kyoto.Hex(), accountstypes.V1AccountStoreKey(kyoto), f.Height)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals, apptest.ChainID))
	if err != nil || !res.Exists {
		t.Fatalf("a v1 account bundle: %v %+v", err, res)
	}
	forged := roundTrip(t, bd)
	forged.Subject = apptest.Addr("meti").Hex()
	if _, err := Verify(forged, TrustSet(fourVals.vals, apptest.ChainID)); !errors.Is(err, ErrStepRecord) {
		t.Fatalf("kyoto's v1 record for meti: %v", err)
	}
	nobody := apptest.Addr("nobody")
	absent, err := b.Build(ctx, KindAccount, nobody.Hex(), accountstypes.V1AccountStoreKey(nobody), f.Height)
	if err != nil {
		t.Fatal(err)
	}
	res, err = Verify(roundTrip(t, absent), TrustSet(fourVals.vals, apptest.ChainID))
	if err != nil || res.Exists || res.StateVersion != 1 {
		t.Fatalf("absence of a v1 account key in a version 1 state: %v %+v", err, res)
	}
	// The same keys under a header that says state version 2 are refused.
	src.appVersion, src.headers = 2, map[int64]*types.SignedHeader{}
	for name, key := range map[string][]byte{"kyoto": accountstypes.V1AccountStoreKey(kyoto), "nobody": accountstypes.V1AccountStoreKey(nobody)} {
		bd, err := b.Build(ctx, KindAccount, apptest.Addr(name).Hex(), key, f.Height)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals, apptest.ChainID)); !errors.Is(err, ErrStepRecord) {
			t.Fatalf("%s's version 1 key in a version 2 header: %v", name, err)
		}
	}
}
