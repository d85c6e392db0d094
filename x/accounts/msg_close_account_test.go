package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

func closeMsg(name string) *accountsv1.MsgCloseAccount {
	return &accountsv1.MsgCloseAccount{Address: apptest.Addr(name).Hex(), Reason: "company dissolved"}
}

func TestCloseAccount(t *testing.T) {
	c := apptest.New(t, withCredits(t, "rich")).ReplayAtEnd()
	c.OpenAccount("empty", 0, holder)
	c.MustExec("secretariat", suspendMsg("empty")) // suspended accounts can be closed too
	res := c.MustExec("secretariat", closeMsg("empty"))
	if !hasEvent(res.Events, accounts.EventClose, "account", apptest.Addr("empty").Hex()) {
		t.Fatalf("no event: %v", res.Events)
	}
	acc := account(t, c, "empty")
	if acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_CLOSED || acc.StatusReason != "company dissolved" {
		t.Fatalf("closed account: %+v", acc)
	}
	// Closed is final: it signs nothing, is not reopened, not reactivated.
	reject(t, c, "empty", accounts.ErrAccountInactive, &accountsv1.MsgApproveProposal{ProposalId: 1})
	reject(t, c, "secretariat", accounts.ErrAccountExists, openMsg("empty", holder))
	reject(t, c, "secretariat", accounts.ErrAccountClosed, reactivateMsg("empty"))
	reject(t, c, "secretariat", accounts.ErrAccountClosed, closeMsg("empty"))

	// An account holding active credits cannot be closed (x/credits says
	// why through AccountHook.CanClose).
	res = reject(t, c, "secretariat", accounts.ErrCannotClose, closeMsg("rich"))
	t.Logf("refusal: %s", res.Log)
}

func TestCloseAccountRejections(t *testing.T) {
	c := governanceChain(t) // the provider operates no node; meti does
	c.MustExec("secretariat", rolesMsg("provider", provider, secretariat))
	for _, tc := range []struct {
		name   string
		signer string
		msg    *accountsv1.MsgCloseAccount
		err    *module.Error
	}{
		{"not the secretariat", "meti", closeMsg("provider"), accounts.ErrUnauthorized},
		{"a ministry", "secretariat", closeMsg("meti"), accounts.ErrMinistryProtected},
		{"a validator operator", "provider", closeMsg("secretariat"), accounts.ErrOperatesValidator},
		{"unknown", "secretariat", closeMsg("nobody"), accounts.ErrUnknownAccount},
		{"reason too long", "secretariat", &accountsv1.MsgCloseAccount{Address: apptest.Addr("provider").Hex(), Reason: string(make([]byte, accounts.MaxReasonBytes+1))}, accounts.ErrInvalidStatusReason},
	} {
		t.Run(tc.name, func(t *testing.T) { reject(t, c, tc.signer, tc.err, tc.msg) })
	}
	// Once the provider is the last active secretariat, it cannot be closed.
	c.MustExec("provider", suspendMsg("secretariat"))
	reject(t, c, "provider", accounts.ErrLastSecretariat, closeMsg("provider"))
}
