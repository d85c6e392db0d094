package app_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

// TestCheckTxAppliesMemberRoles: the mempool refuses what a block would:
// a viewer's transaction, an approver's transaction other than an
// approval, a removed member's transaction; a representative's is
// admitted with its own key's nonce.
func TestCheckTxAppliesMemberRoles(t *testing.T) {
	c := authzChain(t)
	transfer := &creditsv1.MsgTransfer{Recipient: apptest.Addr("h2").Hex(), Quantity: 1}
	for _, tc := range []struct {
		signer string
		code   uint32
	}{
		{"org-view", accounts.ErrViewerCannotSign.Code},
		{"org-apr", accounts.ErrApproverOnlyApproves.Code},
		{"org-gone", accounts.ErrMemberRemoved.Code},
		{"org-rep", 0},
	} {
		res := checkTxCode(t, c, c.Tx(tc.signer, transfer))
		if res.Code != tc.code || (tc.code != 0 && res.Codespace != accounts.ModuleName) {
			t.Errorf("%s: CheckTx %s/%d (%s), want %d", tc.signer, res.Codespace, res.Code, res.Log, tc.code)
		}
	}
	if res := checkTxCode(t, c, c.Tx("org-apr", &accountsv1.MsgApproveAction{ActionId: 1})); res.Code != 0 {
		t.Errorf("an approver's approval refused by CheckTx: %s", res.Log)
	}
}
