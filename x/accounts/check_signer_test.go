package accounts_test

import (
	"context"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

// CheckSigner (CheckTx's one read of the key) answers what NextNonce and
// Admit answer, for active, suspended, closed and unknown signers and for
// a rotation that is not the last message.
func TestCheckSignerIsNextNonceAndAdmit(t *testing.T) {
	c := scenario(t)
	c.MustExec("secretariat", suspendMsg("provider"))
	c.MustExec("secretariat", &accountsv1.MsgCloseAccount{Address: apptest.Addr("creator").Hex(), Reason: "wound up"})
	k, s := keeperView(t, c)
	ctx := module.NewContext(s, apptest.ChainID, c.Height+1, apptest.GenesisTime)
	rotate := &accountsv1.MsgRotateKey{NewAddress: apptest.Addr("holder-new").Hex()}
	approve := &accountsv1.MsgApproveProposal{ProposalId: 1}
	for _, name := range []string{"holder", "provider", "creator", "nobody"} {
		for _, msgs := range [][]proto.Message{{approve}, {rotate, approve}} {
			signer := apptest.Addr(name)
			acc, nonce, admitErr, err := k.CheckSigner(ctx, signer, msgs)
			wantAcc, wantNonce, wantErr := k.NextNonce(ctx, signer)
			_, _, wantAdmitErr := k.Admit(ctx, signer, msgs)
			if wantErr != nil {
				wantAdmitErr = nil // CheckTx stops at NextNonce's refusal
			}
			if acc != wantAcc || nonce != wantNonce || !sameErr(err, wantErr) || !sameErr(admitErr, wantAdmitErr) {
				t.Errorf("%s, %d messages: CheckSigner = %d, %d, %v, %v; NextNonce, Admit = %d, %d, %v, %v",
					name, len(msgs), acc, nonce, admitErr, err, wantAcc, wantNonce, wantAdmitErr, wantErr)
			}
		}
	}
}

func sameErr(a, b error) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Error() == b.Error())
}

// CheckTx refuses a suspended account's transaction for its nonce first
// (stale), and for the suspension once the nonce is right.
func TestCheckTxNonceBeforeSuspension(t *testing.T) {
	c := scenario(t)
	c.Exec("provider", &accountsv1.MsgApproveProposal{ProposalId: 1}) // spends a nonce, whatever the message does
	c.MustExec("secretariat", suspendMsg("provider"))
	n := c.Nonce("provider")
	for _, tc := range []struct {
		nonce uint64
		want  *module.Error
	}{{n - 1, app.ErrStaleNonce}, {n, accounts.ErrAccountInactive}} {
		raw := c.Sign("provider", tc.nonce, &accountsv1.MsgApproveProposal{ProposalId: 1})
		res, err := c.App.CheckTx(context.Background(), &abci.CheckTxRequest{Tx: raw, Type: abci.CHECK_TX_TYPE_CHECK})
		if err != nil {
			t.Fatal(err)
		}
		if space, code := module.CodeOf(tc.want); res.Codespace != space || res.Code != code {
			t.Errorf("nonce %d (next %d): %s/%d %s, want %v", tc.nonce, n, res.Codespace, res.Code, res.Log, tc.want)
		}
	}
}
