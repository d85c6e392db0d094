package accounts_test

import (
	"fmt"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

// TestUpdateMembers: the primary key adds member keys, each with its role
// and its own KeyRef (kind MEMBER, nonce 0) pointing at the account, so a
// member's transaction acts as the account; changes a role; removes a key,
// which is retired for good. Refusals change nothing but the nonce.
func TestUpdateMembers(t *testing.T) {
	c := apptest.New(t, withCredits(t, "company")).ReplayAtEnd()
	c.OpenAccount("bob", 0, holder)
	company := c.AccountNumber("company")

	// Stateless refusals.
	reject(t, c, "company", accounts.ErrInvalidMembers, &accountsv1.MsgUpdateMembers{})
	reject(t, c, "company", accounts.ErrInvalidMembers, addMember("sato", 0))
	reject(t, c, "company", accounts.ErrInvalidMembers, &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{
		{Address: apptest.Addr("sato").Hex(), Role: representative}, {Address: apptest.Addr("sato").Hex(), Role: approverRole}}})
	// A member key must be fresh: not an account's key, not retired; a
	// removal names a member.
	reject(t, c, "company", accounts.ErrAccountExists, addMember("bob", representative))
	reject(t, c, "company", accounts.ErrAccountExists, addMember("company", representative))
	reject(t, c, "company", accounts.ErrInvalidMembers, removeMember("sato"))

	res := c.MustExec("company", addMember("sato", representative), addMember("tanaka", approverRole))
	if !hasEvent(res.Events, accounts.EventMembers, "added", apptest.Addr("sato").Hex()) {
		t.Fatalf("events: %v", res.Events)
	}
	k, s := keeperView(t, c)
	if ref := k.KeyRef(s, apptest.Addr("sato")); ref == nil || ref.Account != company || ref.Kind != accountsv1.KeyKind_KEY_KIND_MEMBER || ref.Nonce != 0 {
		t.Fatalf("sato's key: %+v", ref)
	}
	if m := k.Member(s, company, apptest.Addr("tanaka")); m == nil || m.Id != 2 || m.Role != approverRole || m.Label != "tanaka" {
		t.Fatalf("tanaka: %+v", m)
	}
	if acc, _ := k.Account(s, company); acc.LastMemberId != 2 || acc.Address != apptest.Addr("company").Hex() {
		t.Fatalf("account after adding: %+v", acc)
	}
	// A representative acts as the account (no policy: at once).
	c.MustExec("sato", transferMsg("bob", 5))
	if got := heldQuantity(t, c, "bob"); got != 5 {
		t.Fatalf("bob holds %d", got)
	}
	// Without a policy only the primary key changes members and policy.
	reject(t, c, "sato", accounts.ErrPrimaryKeyOnly, addMember("suzuki", representative))
	reject(t, c, "sato", accounts.ErrPrimaryKeyOnly, policy(rule(retireClass, 2, 0)))
	// Nor with a policy that has no keys-and-members rule.
	c.MustExec("company", policy(rule(retireClass, 1, 0)))
	reject(t, c, "sato", accounts.ErrPrimaryKeyOnly, addMember("suzuki", representative))
	c.MustExec("company", policy())

	// A role change keeps the id; a viewer then signs nothing.
	c.MustExec("company", addMember("sato", viewerRole))
	reject(t, c, "sato", accounts.ErrViewerCannotSign, transferMsg("bob", 1))
	k, s = keeperView(t, c)
	if m := k.Member(s, company, apptest.Addr("sato")); m.Id != 1 || m.Role != viewerRole {
		t.Fatalf("sato after the role change: %+v", m)
	}

	// Removal: the key is retired, signs nothing (no nonce to spend) and
	// resolves nowhere as a key.
	c.MustExec("company", removeMember("sato"))
	wantCode(t, c.ExecFails("sato", transferMsg("bob", 1)), accounts.ErrMemberRemoved)
	k, s = keeperView(t, c)
	if k.KeyRef(s, apptest.Addr("sato")) != nil || k.Member(s, company, apptest.Addr("sato")) != nil {
		t.Fatal("sato's key or member record survived its removal")
	}
	if r := k.Retired(s, apptest.Addr("sato")); r == nil || !r.RemovedMember || r.Account != company || r.RotatedTo != "" {
		t.Fatalf("retired record: %+v", r)
	}
	reject(t, c, "company", accounts.ErrAddressRetired, addMember("sato", representative))
	// A removed key cannot be opened as an account either.
	reject(t, c, "secretariat", accounts.ErrAddressRetired, openMsg("sato", holder))
	checkInvariants(t, c)
}

// TestMembersAreBounded: at most MaxMembers member keys per account.
func TestMembersAreBounded(t *testing.T) {
	c := apptest.New(t, withCredits(t, "company")).ReplayAtEnd()
	m := &accountsv1.MsgUpdateMembers{}
	for i := 0; i < accounts.MaxMembers; i++ {
		m.Changes = append(m.Changes, &accountsv1.MemberChange{Address: apptest.Addr(fmt.Sprintf("m%d", i)).Hex(), Role: viewerRole})
	}
	// Two transactions: sixteen new keys are more than one default gas
	// limit.
	half := accounts.MaxMembers / 2
	c.MustExec("company", &accountsv1.MsgUpdateMembers{Changes: m.Changes[:half]})
	c.MustExec("company", &accountsv1.MsgUpdateMembers{Changes: m.Changes[half:]})
	reject(t, c, "company", accounts.ErrTooManyMembers, addMember("one-more", viewerRole))
	m.Changes = append(m.Changes, &accountsv1.MemberChange{Address: apptest.Addr("x").Hex(), Role: viewerRole})
	reject(t, c, "company", accounts.ErrInvalidMembers, m)
}

// TestMemberChangesKeepThresholdsReachable: no member change may leave a
// class needing more approvals than the keys able to give them; with a
// policy, member changes are themselves key changes that need approvals.
func TestMemberChangesKeepThresholdsReachable(t *testing.T) {
	c := companyChain(t, 0) // 2 of: company, sato, suzuki, tanaka
	// Removing sato and suzuki would leave company and tanaka: still 2.
	id := heldID(t, c.MustExec("company", removeMember("sato"), removeMember("suzuki")))
	c.MustExec("tanaka", approveAction(id))
	// tanaka made a viewer would leave the primary key alone: refused when
	// the second approval executes it.
	id = heldID(t, c.MustExec("company", addMember("tanaka", viewerRole)))
	reject(t, c, "tanaka", accounts.ErrThresholdUnreachable, approveAction(id))
}
