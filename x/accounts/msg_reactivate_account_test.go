package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

func reactivateMsg(name string) *accountsv1.MsgReactivateAccount {
	return &accountsv1.MsgReactivateAccount{Address: apptest.Addr(name).Hex(), Reason: "identity re-checked"}
}

func TestReactivateAccount(t *testing.T) {
	c := scenario(t)
	c.MustExec("secretariat", suspendMsg("provider"))
	res := c.MustExec("secretariat", reactivateMsg("provider"))
	if !hasEvent(res.Events, accounts.EventReactivate, "account", apptest.Addr("provider").Hex()) {
		t.Fatalf("no event: %v", res.Events)
	}
	acc := account(t, c, "provider")
	if acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE || acc.StatusReason != "identity re-checked" {
		t.Fatalf("reactivated account: %+v", acc)
	}
	// It signs again (admitted; the handler decides).
	reject(t, c, "provider", accounts.ErrUnauthorized, &accountsv1.MsgApproveProposal{ProposalId: 1})
}

func TestReactivateAccountRejections(t *testing.T) {
	c := scenario(t)
	c.MustExec("secretariat", suspendMsg("holder"))
	c.MustExec("secretariat", &accountsv1.MsgCloseAccount{Address: apptest.Addr("creator").Hex(), Reason: "wound up"})
	for _, tc := range []struct {
		name   string
		signer string
		msg    *accountsv1.MsgReactivateAccount
		err    *module.Error
	}{
		{"not the secretariat", "maff", reactivateMsg("holder"), accounts.ErrUnauthorized},
		{"the account itself", "holder", reactivateMsg("holder"), accounts.ErrAccountInactive},
		{"not suspended", "secretariat", reactivateMsg("provider"), accounts.ErrBadStatusChange},
		{"closed is final", "secretariat", reactivateMsg("creator"), accounts.ErrAccountClosed},
		{"unknown", "secretariat", reactivateMsg("nobody"), accounts.ErrUnknownAccount},
	} {
		t.Run(tc.name, func(t *testing.T) { reject(t, c, tc.signer, tc.err, tc.msg) })
	}
}
