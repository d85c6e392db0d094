package credits_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/store"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
)

// countingStore counts the writes that reach it.
type countingStore struct {
	module.KVStore
	writes []string
}

func (c *countingStore) Set(k, v []byte) {
	c.writes = append(c.writes, "set "+string(k))
	c.KVStore.Set(k, v)
}
func (c *countingStore) Delete(k []byte) {
	c.writes = append(c.writes, "del "+string(k))
	c.KVStore.Delete(k)
}

// fragmented gives alice n ranges (every other credit of a batch, the rest
// to bob, so that none merge), retires a third of them and returns the env.
func fragmented(t *testing.T, n int) *keeperEnv {
	t.Helper()
	e := newKeeperEnv(t, "alice", "bob")
	if _, err := e.cred.IssueBatch(e.ctx, e.request("R-1", re, "alice", 2*n)); err != nil {
		t.Fatal(err)
	}
	var serials []string
	for i := 0; i < n; i++ {
		serials = append(serials, fmt.Sprintf("JC-00000001-RE-2024-%010d", 2*i+2))
		if len(serials) == credits.MaxSerialsPerMsg || i == n-1 {
			if err := e.cred.Transfer(e.as("alice"), &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: serials}); err != nil {
				t.Fatal(err)
			}
			serials = nil
		}
	}
	for i := 0; i < n; i += 3 {
		if err := e.cred.Retire(e.as("alice"), &creditsv1.MsgRetire{Serials: []string{fmt.Sprintf("JC-00000001-RE-2024-%010d", 2*i+1)},
			Beneficiary: "Alice", Use: creditsv1.Use_USE_RE100, FiscalYear: 2025}); err != nil {
			t.Fatal(err)
		}
	}
	if err := credits.CheckInvariants(e.cache); err != nil {
		t.Fatal(err)
	}
	return e
}

// rotateCounting rotates alice's key through a store that counts writes and
// returns them.
func rotateCounting(t *testing.T, e *keeperEnv, to string) []string {
	t.Helper()
	sig, err := accounts.SignRotation(e.ctx.ChainID, apptest.Addr("alice"), apptest.Key(to))
	if err != nil {
		t.Fatal(err)
	}
	cs := &countingStore{KVStore: store.NewCache(e.cache)}
	ctx := e.as("alice").WithStore(cs)
	if err := e.acc.RotateKey(ctx, &accountsv1.MsgRotateKey{NewAddress: apptest.Addr(to).Hex(), NewKeySignature: sig}); err != nil {
		t.Fatal(err)
	}
	if err := e.acc.IncrementNonce(ctx, apptest.Addr("alice")); err != nil {
		t.Fatal(err)
	}
	cs.KVStore.(*store.Cache).Write()
	return cs.writes
}

// A key rotation writes the same few keys whether the account holds ten
// ranges or a thousand (issue 10: it rewrote every range the account ever
// owned): the cost is counted in writes, not measured in time.
func TestKeyRotationCostDoesNotGrowWithTheRangesHeld(t *testing.T) {
	var counts []int
	for _, n := range []int{10, 1000} {
		e := fragmented(t, n)
		h := e.holdings(apptest.Addr("alice").Hex())
		if got := len(h.Ranges); got < n {
			t.Fatalf("alice holds %d ranges, want at least %d", got, n)
		}
		writes := rotateCounting(t, e, "alice-new")
		for _, w := range writes {
			if !bytes.HasPrefix([]byte(w[4:]), []byte(accounts.StorePrefix)) {
				t.Fatalf("the rotation wrote outside x/accounts: %q", w)
			}
		}
		counts = append(counts, len(writes))
	}
	// The rotation: delete the old key, write the new one, retire the old
	// address, update the account; then the nonce, on the new key.
	if counts[0] != counts[1] || counts[0] != 5 {
		t.Fatalf("writes of a rotation with 10 and 1000 ranges: %v, want 5 and 5", counts)
	}
}

// Retired (and all other) ranges are untouched by a rotation: every credits
// key keeps its bytes, and the account keeps its number and its holdings.
func TestKeyRotationLeavesEveryRangeAsItWas(t *testing.T) {
	e := fragmented(t, 30)
	creditsState := func() map[string]string {
		out := map[string]string{}
		it := e.cache.Iterator([]byte(credits.StorePrefix), module.PrefixEnd([]byte(credits.StorePrefix)))
		defer it.Close()
		for ; it.Valid(); it.Next() {
			out[string(it.Key())] = string(it.Value())
		}
		return out
	}
	before := creditsState()
	number := e.num("alice")
	held := e.holdings(fmt.Sprint(number))
	if held.Retired == 0 {
		t.Fatal("test setup: alice retired nothing")
	}
	rotateCounting(t, e, "alice-new")
	after := creditsState()
	if len(after) != len(before) {
		t.Fatalf("%d credits keys after the rotation, %d before", len(after), len(before))
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("the rotation changed %q", k)
		}
	}
	if e.num("alice-new") != number || e.num("alice") != 0 {
		t.Fatalf("account number %d after rotation, %d before", e.num("alice-new"), number)
	}
	now := e.holdings(fmt.Sprint(number))
	if now.Active != held.Active || now.Retired != held.Retired || now.Account != apptest.Addr("alice-new").Hex() {
		t.Fatalf("holdings before %+v, after %+v", held, now)
	}
}
