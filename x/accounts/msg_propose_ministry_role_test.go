package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

func ministryRole(name string, grant bool) *accountsv1.MsgProposeMinistryRole {
	return &accountsv1.MsgProposeMinistryRole{Change: &accountsv1.MinistryRoleChange{Address: apptest.Addr(name).Hex(), Grant: grant}}
}

func approve(id uint64) *accountsv1.MsgApproveProposal {
	return &accountsv1.MsgApproveProposal{ProposalId: id}
}

// TestMinistryRoleByQuorum: the only way to the ministry role after genesis
// is two ministries agreeing; the new ministry then votes, and a ministry can
// be voted out as long as the quorum stays reachable.
func TestMinistryRoleByQuorum(t *testing.T) {
	c := scenario(t)
	c.OpenAccount("mlit", accountsv1.EntityKind_ENTITY_KIND_GOVERNMENT, holder)
	c.MustExec("meti", ministryRole("mlit", true))
	k, s := keeperView(t, c)
	if k.HasRole(s, numberOf(k, s, "mlit"), ministry) {
		t.Fatal("one ministry granted the role alone")
	}
	res := c.MustExec("maff", approve(1))
	if !hasEvent(res.Events, accounts.EventApplied, "proposal", "1") {
		t.Fatalf("no applied event: %v", res.Events)
	}
	k, s = keeperView(t, c)
	if !k.HasRole(s, numberOf(k, s, "mlit"), ministry) || !k.HasRole(s, numberOf(k, s, "mlit"), holder) {
		t.Fatal("quorum did not grant the ministry role (keeping holder)")
	}
	// The new ministry takes part: it proposes revoking meti, moe agrees.
	c.MustExec("mlit", ministryRole("meti", false))
	c.MustExec("moe", approve(2))
	k, s = keeperView(t, c)
	if k.HasRole(s, numberOf(k, s, "meti"), ministry) {
		t.Fatal("revocation by quorum did not apply")
	}
	// Three ministries are left for a quorum of two: one more may go, then
	// no more.
	c.MustExec("mlit", ministryRole("maff", false))
	c.MustExec("moe", approve(3))
	reject(t, c, "mlit", accounts.ErrQuorumUnreachable, ministryRole("moe", false))
	// A former ministry can no longer propose.
	reject(t, c, "meti", accounts.ErrUnauthorized, ministryRole("holder", true))
}

func TestProposeMinistryRoleRejections(t *testing.T) {
	c := scenario(t)
	c.MustExec("secretariat", suspendMsg("holder"))
	c.MustExec("secretariat", closeMsg("creator"))
	for _, tc := range []struct {
		name   string
		signer string
		msg    *accountsv1.MsgProposeMinistryRole
		err    *module.Error
	}{
		{"not a ministry", "secretariat", ministryRole("provider", true), accounts.ErrUnauthorized},
		{"grant to a suspended account", "meti", ministryRole("holder", true), accounts.ErrAccountInactive},
		{"grant to a closed account", "meti", ministryRole("creator", true), accounts.ErrAccountClosed},
		{"grant to no account", "meti", ministryRole("nobody", true), accounts.ErrUnknownAccount},
		{"grant twice", "meti", ministryRole("moe", true), accounts.ErrInvalidProposal},
		{"revoke a non-ministry", "meti", ministryRole("provider", false), accounts.ErrInvalidProposal},
		{"no change", "meti", &accountsv1.MsgProposeMinistryRole{}, accounts.ErrInvalidProposal},
		{"bad address", "meti", &accountsv1.MsgProposeMinistryRole{Change: &accountsv1.MinistryRoleChange{Address: "mlit"}}, accounts.ErrInvalidAddress},
	} {
		t.Run(tc.name, func(t *testing.T) { reject(t, c, tc.signer, tc.err, tc.msg) })
	}
}
