package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

func suspendMsg(name string) *accountsv1.MsgSuspendAccount {
	return &accountsv1.MsgSuspendAccount{Address: apptest.Addr(name).Hex(), Reason: "key reported lost"}
}

func TestSuspendAccount(t *testing.T) {
	c := scenario(t)
	res := c.MustExec("secretariat", suspendMsg("provider"))
	if !hasEvent(res.Events, accounts.EventSuspend, "account", apptest.Addr("provider").Hex()) {
		t.Fatalf("no event: %v", res.Events)
	}
	acc := account(t, c, "provider")
	if acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_SUSPENDED || acc.StatusReason != "key reported lost" || acc.StatusHeight != c.Height {
		t.Fatalf("suspended account: %+v", acc)
	}
	// The authorization other modules use: no role, not active (so it can
	// receive nothing), and it signs nothing.
	k, s := keeperView(t, c)
	if k.HasRole(s, numberOf(k, s, "provider"), provider) || k.IsActive(s, numberOf(k, s, "provider")) {
		t.Fatal("a suspended account still counts as active")
	}
	reject(t, c, "provider", accounts.ErrAccountInactive, &accountsv1.MsgApproveProposal{ProposalId: 1})
	// Suspended accounts keep their records and can still be queried.
	if got := account(t, c, "provider").Roles; len(got) != 1 || got[0] != provider {
		t.Fatalf("roles after suspension: %v", got)
	}
}

func TestSuspendAccountRejections(t *testing.T) {
	c := scenario(t)
	c.MustExec("secretariat", suspendMsg("holder"))
	c.MustExec("secretariat", &accountsv1.MsgCloseAccount{Address: apptest.Addr("creator").Hex(), Reason: "wound up"})
	for _, tc := range []struct {
		name   string
		signer string
		msg    *accountsv1.MsgSuspendAccount
		err    *module.Error
	}{
		{"not the secretariat", "meti", suspendMsg("provider"), accounts.ErrUnauthorized},
		{"already suspended", "secretariat", suspendMsg("holder"), accounts.ErrBadStatusChange},
		{"closed", "secretariat", suspendMsg("creator"), accounts.ErrAccountClosed},
		{"a ministry", "secretariat", suspendMsg("moe"), accounts.ErrMinistryProtected},
		{"the last secretariat", "secretariat", suspendMsg("secretariat"), accounts.ErrLastSecretariat},
		{"unknown", "secretariat", suspendMsg("nobody"), accounts.ErrUnknownAccount},
		{"no reason", "secretariat", &accountsv1.MsgSuspendAccount{Address: apptest.Addr("provider").Hex()}, accounts.ErrInvalidStatusReason},
	} {
		t.Run(tc.name, func(t *testing.T) { reject(t, c, tc.signer, tc.err, tc.msg) })
	}
}
