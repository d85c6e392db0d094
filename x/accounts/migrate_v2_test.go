package accounts_test

import (
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/upgradetest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// The accounts step of upgrade v2, on the state release v0.2.0 wrote (see
// app/upgrade_v2_test.go for the whole upgrade): accounts are numbered in
// the order they were opened, keys and rotated-away addresses lead to the
// numbers, nonces stay with the keys, and governance names numbers.
func TestMigrateV2NumbersAccountsInTheOrderTheyWereOpened(t *testing.T) {
	_, ctx := upgradetest.V1Context(t)
	k := accounts.NewKeeper()
	if err := k.MigrateV2(ctx); err != nil {
		t.Fatal(err)
	}
	last := k.LastAccountNumber(ctx.Store)
	prev := int64(0)
	for n := uint64(1); n <= last; n++ {
		acc, err := k.Account(ctx.Store, n)
		if err != nil || acc == nil || acc.Number != n || acc.Nonce != 0 {
			t.Fatalf("account %d: %v %v", n, acc, err)
		}
		if acc.OpenedHeight < prev {
			t.Fatalf("account %d was opened at %d, before account %d (%d)", n, acc.OpenedHeight, n-1, prev)
		}
		prev = acc.OpenedHeight
		if got, ok := k.AccountNumber(ctx.Store, apptestAddr(acc.Address)); !ok || got != n {
			t.Fatalf("the key of account %d leads to %d", n, got)
		}
	}
	// The two accounts opened in one transaction are numbered in address
	// order.
	carol, dave := numberOf(k, ctx.Store, "carol"), numberOf(k, ctx.Store, "dave")
	if (apptest.Addr("carol").Hex() < apptest.Addr("dave").Hex()) != (carol < dave) || carol == 0 || dave == 0 {
		t.Fatalf("carol %d, dave %d", carol, dave)
	}
	// Rotated keys: the old address is retired with the account's number,
	// the new key carries the account's nonce.
	for _, rot := range [][2]string{{"alice", "alice-2"}, {"maff", "maff-2"}} {
		n := numberOf(k, ctx.Store, rot[1])
		r := k.Retired(ctx.Store, apptest.Addr(rot[0]))
		if n == 0 || r == nil || r.Account != n || numberOf(k, ctx.Store, rot[0]) != 0 {
			t.Fatalf("%s -> %s: account %d, retired record %v", rot[0], rot[1], n, r)
		}
		if k.Nonce(ctx.Store, apptest.Addr(rot[1])) == 0 {
			t.Fatalf("%s's nonce was lost", rot[1])
		}
	}
	// Governance by number: the proposal maff made before rotating names
	// the account.
	maff := numberOf(k, ctx.Store, "maff-2")
	if p := k.GetProposal(ctx.Store, 1); p.ProposerAccount != maff || p.Proposer != "" || len(p.Approvals) != 0 {
		t.Fatalf("proposal 1: %v", p)
	}
	for _, v := range k.Validators(ctx.Store) {
		if v.OperatorAccount == 0 || v.Operator != "" || v.LastSignedHeight != ctx.Height {
			t.Fatalf("validator %v", v)
		}
	}
	// No v1 key and no empty value is left in the module.
	it := ctx.Store.Iterator([]byte(types.StorePrefix), module.PrefixEnd([]byte(types.StorePrefix)))
	defer it.Close()
	for ; it.Valid(); it.Next() {
		key := strings.TrimPrefix(string(it.Key()), types.StorePrefix)
		if len(it.Value()) == 0 || strings.HasPrefix(key, "~") ||
			(strings.HasPrefix(key, "a/") && len(key) != 10) || (strings.HasPrefix(key, "r/") && len(key) != 11) {
			t.Fatalf("left after the migration: %q = %x", key, it.Value())
		}
	}
	// A second run refuses: the state is no longer version 1.
	if err := k.MigrateV2(ctx); err == nil {
		t.Fatal("the migration ran twice")
	}
}

func TestMigrateV2RefusesARetiredAddressNoAccountLists(t *testing.T) {
	_, ctx := upgradetest.V1Context(t)
	k := accounts.NewKeeper()
	orphan := apptest.Addr("orphan")
	ctx.Store.Set(module.Key([]byte(types.StorePrefix), types.RetiredKey(orphan)), mustMarshal(&accountsv1.RetiredAddress{
		Address: orphan.Hex(), RotatedTo: apptest.Addr("nobody").Hex(), Height: 3,
	}))
	if err := k.MigrateV2(ctx); err == nil || !strings.Contains(err.Error(), orphan.Hex()) {
		t.Fatalf("an orphan rotation record: %v", err)
	}
}

// TestMigrateV2LeavesNoMembersOrPolicies: a migrated v1 state has no member
// keys, threshold policies or pending actions; every key is a primary key
// and every account acts on one signature, as before; the pending actions'
// lifetime is the default.
func TestMigrateV2LeavesNoMembersOrPolicies(t *testing.T) {
	_, ctx := upgradetest.V1Context(t)
	k := accounts.NewKeeper()
	if err := k.MigrateV2(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range [][]byte{types.MemberPrefix, types.PolicyPrefix, types.ActionPrefix, types.ActionExpiryPrefix, types.AccountActionPrefix, types.NextActionKey} {
		full := module.Key([]byte(types.StorePrefix), p)
		it := ctx.Store.Iterator(full, module.PrefixEnd(full))
		if it.Valid() {
			t.Errorf("%q holds %q after the migration", p, it.Key())
		}
		it.Close()
	}
	for n := uint64(1); n <= k.LastAccountNumber(ctx.Store); n++ {
		acc, _ := k.Account(ctx.Store, n)
		if ref := k.KeyRef(ctx.Store, apptestAddr(acc.Address)); ref == nil || ref.Kind != accountsv1.KeyKind_KEY_KIND_PRIMARY || acc.LastMemberId != 0 {
			t.Fatalf("account %d: key %v, last member id %d", n, ref, acc.LastMemberId)
		}
		if k.Policy(ctx.Store, n) != nil || len(k.Members(ctx.Store, n)) != 0 {
			t.Fatalf("account %d has members or a policy", n)
		}
	}
	if ttl := k.Params(ctx.Store).PendingActionTtlBlocks; ttl != accounts.DefaultPendingActionTTLBlocks {
		t.Fatalf("pending action lifetime %d", ttl)
	}
}
