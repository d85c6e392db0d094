package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

// rotateMsg moves from's account to the key of name to, with to's proof.
func rotateMsg(t *testing.T, chainID, from, to string) *accountsv1.MsgRotateKey {
	t.Helper()
	sig, err := accounts.SignRotation(chainID, apptest.Addr(from), apptest.Key(to))
	if err != nil {
		t.Fatal(err)
	}
	return &accountsv1.MsgRotateKey{NewAddress: apptest.Addr(to).Hex(), NewKeySignature: sig}
}

// TestRotateKeyKeepsEverything: the account — record, roles, nonce, history,
// credits — moves to the new address in one transaction, and the old key's
// next transaction is rejected.
func TestRotateKeyKeepsEverything(t *testing.T) {
	c := apptest.New(t, withCredits(t, "tokyo-gas")).ReplayAtEnd()
	c.MustExec("secretariat", rolesMsg("tokyo-gas", provider, holder))
	oldAddr, newAddr := apptest.Addr("tokyo-gas").Hex(), apptest.Addr("tokyo-gas-2").Hex()
	before := account(t, c, "tokyo-gas")
	beforeNonce := c.Nonce("tokyo-gas")
	heldBefore := holdings(t, c, oldAddr)
	emptyHoldings := holdings(t, c, apptest.Addr("nobody").Hex())
	if heldBefore == emptyHoldings {
		t.Fatal("test setup: tokyo-gas holds no credits")
	}

	res := c.MustExec("tokyo-gas", rotateMsg(t, apptest.ChainID, "tokyo-gas", "tokyo-gas-2"))
	if !hasEvent(res.Events, accounts.EventRotateKey, "old_address", oldAddr) || !hasEvent(res.Events, accounts.EventRotateKey, "account", newAddr) {
		t.Fatalf("no rotation event: %v", res.Events)
	}

	after := accountAt(t, c, newAddr)
	if after.LegalName != before.LegalName || after.EntityKind != before.EntityKind || after.Country != before.Country ||
		after.OpenedHeight != before.OpenedHeight || after.Status != before.Status || after.Number != before.Number ||
		len(after.Roles) != 2 || after.Roles[0] != provider || after.Roles[1] != holder {
		t.Fatalf("account changed in the move:\nbefore %+v\nafter  %+v", before, after)
	}
	if n := c.Nonce("tokyo-gas-2"); n != beforeNonce+1 {
		t.Fatalf("nonce %d after rotation, want %d (the nonce goes with the key; the rotation counts as the account's transaction)", n, beforeNonce+1)
	}
	if c.AccountNumber("tokyo-gas-2") != before.Number || c.AccountNumber("tokyo-gas") != 0 {
		t.Fatalf("account numbers after rotation: new key %d, old key %d, want %d and 0",
			c.AccountNumber("tokyo-gas-2"), c.AccountNumber("tokyo-gas"), before.Number)
	}
	if len(after.PreviousAddresses) != 1 || after.PreviousAddresses[0] != oldAddr {
		t.Fatalf("previous addresses %v", after.PreviousAddresses)
	}
	if got := holdings(t, c, newAddr); got != heldBefore {
		t.Fatalf("credits did not move:\nbefore %s\nafter  %s", heldBefore, got)
	}
	if got := holdings(t, c, oldAddr); got != emptyHoldings {
		t.Fatalf("old address still holds: %s", got)
	}
	k, s := keeperView(t, c)
	if !k.HasRole(s, numberOf(k, s, "tokyo-gas-2"), provider) || k.HasRole(s, numberOf(k, s, "tokyo-gas"), provider) || k.IsActive(s, numberOf(k, s, "tokyo-gas")) {
		t.Fatal("roles did not move with the account")
	}

	// The old key is dead: its next transaction, with the nonce it would
	// have used, is rejected and changes nothing.
	before2 := append([]byte(nil), c.LastHash...)
	stale := c.Sign("tokyo-gas", beforeNonce+1, &accountsv1.MsgApproveProposal{ProposalId: 1})
	wantCode(t, c.Block(stale)[0], accounts.ErrKeyRotated)
	if string(before2) != string(c.LastHash) {
		t.Fatal("the old key's rejected tx changed the app hash")
	}
	// The new key signs from the account's nonce on (reject checks that
	// its refused transaction spends that nonce and nothing else).
	if n := c.Nonce("tokyo-gas-2"); n != beforeNonce+1 {
		t.Fatalf("the new key's next nonce is %d, want %d", n, beforeNonce+1)
	}
	reject(t, c, "tokyo-gas-2", accounts.ErrUnauthorized, &accountsv1.MsgApproveProposal{ProposalId: 1})
	// The old address never comes back, and its rotation record is provable.
	reject(t, c, "secretariat", accounts.ErrAddressRetired, openMsg("tokyo-gas", holder))
	if res := c.Ask("/accounts/Account", &accountsv1.QueryAccountRequest{Account: oldAddr}, false); res.Code == 0 {
		t.Fatal("the old address still answers as an account")
	}
	if res := c.Ask("/accounts/RetiredAddress", &accountsv1.QueryRetiredAddressRequest{Address: oldAddr}, true); res.Code != 0 || res.ProofOps == nil {
		t.Fatalf("retired record: %s", res.Log)
	}

	// A second rotation keeps the whole history.
	c.MustExec("tokyo-gas-2", rotateMsg(t, apptest.ChainID, "tokyo-gas-2", "tokyo-gas-3"))
	if got := account(t, c, "tokyo-gas-3").PreviousAddresses; len(got) != 2 || got[0] != oldAddr || got[1] != newAddr {
		t.Fatalf("history %v", got)
	}
}

// TestRotateKeyMovesGovernance: a ministry that rotates keeps its validator
// operatorship and its approvals of pending proposals (they name its
// number, which the rotation keeps), which then still count once, not
// twice.
func TestRotateKeyMovesGovernance(t *testing.T) {
	c := governanceChain(t)
	c.MustExec("meti", addValidator("provider-node", "provider", 5))
	c.MustExec("meti", rotateMsg(t, apptest.ChainID, "meti", "meti-2"))

	k, s := keeperView(t, c)
	meti := numberOf(k, s, "meti-2")
	if v := k.GetValidator(s, apptest.ConsensusKey("meti")); v.OperatorAccount != meti || meti == 0 {
		t.Fatalf("validator operator %d after rotation, want %d", v.OperatorAccount, meti)
	}
	ans := &accountsv1.QueryValidatorResponse{}
	if err := c.Read("/accounts/Validator", &accountsv1.QueryValidatorRequest{PubKey: hexKey("meti")}, ans); err != nil || answerAccounts(ans.Accounts)[meti] != apptest.Addr("meti-2").Hex() {
		t.Fatalf("the validator answer does not name the operator's new address: %v %v", ans, err)
	}
	p := k.GetProposal(s, 1)
	if p.ProposerAccount != meti || len(p.ApprovalAccounts) != 1 || p.ApprovalAccounts[0] != meti {
		t.Fatalf("proposal after rotation: %+v", p)
	}
	reject(t, c, "meti-2", accounts.ErrAlreadyApproved, &accountsv1.MsgApproveProposal{ProposalId: 1})
	resp := c.BlockResponse(c.Tx("moe", &accountsv1.MsgApproveProposal{ProposalId: 1}))
	wantCode(t, resp.TxResults[0], nil)
	if len(resp.ValidatorUpdates) != 1 {
		t.Fatalf("updates %v", resp.ValidatorUpdates)
	}
}

func TestRotateKeyRejections(t *testing.T) {
	c := scenario(t)
	wrongKey := rotateMsg(t, apptest.ChainID, "holder", "holder-2")
	wrongKey.NewAddress = apptest.Addr("holder-3").Hex() // proof by holder-2's key for holder-3: a typo
	otherChain := rotateMsg(t, "another-chain", "holder", "holder-2")
	otherAccount := rotateMsg(t, apptest.ChainID, "provider", "holder-2") // a proof made for someone else
	short := rotateMsg(t, apptest.ChainID, "holder", "holder-2")
	short.NewKeySignature = short.NewKeySignature[:64]
	for _, tc := range []struct {
		name   string
		signer string
		msg    *accountsv1.MsgRotateKey
		err    *module.Error
	}{
		{"proof by another key", "holder", wrongKey, accounts.ErrBadRotationProof},
		{"proof for another chain", "holder", otherChain, accounts.ErrBadRotationProof},
		{"proof for another account", "holder", otherAccount, accounts.ErrBadRotationProof},
		{"short proof", "holder", short, accounts.ErrBadRotationProof},
		{"onto an open account", "holder", rotateMsg(t, apptest.ChainID, "holder", "provider"), accounts.ErrAccountExists},
		{"onto itself", "holder", rotateMsg(t, apptest.ChainID, "holder", "holder"), accounts.ErrInvalidAddress},
		{"no account", "stranger", rotateMsg(t, apptest.ChainID, "stranger", "stranger-2"), accounts.ErrUnknownSigner},
	} {
		t.Run(tc.name, func(t *testing.T) { reject(t, c, tc.signer, tc.err, tc.msg) })
	}
	// Nothing may follow the rotation in its transaction: the old address
	// no longer holds the account.
	reject(t, c, "secretariat", accounts.ErrRotateNotLast,
		rotateMsg(t, apptest.ChainID, "secretariat", "secretariat-2"), openMsg("late", holder))
	// Onto an address rotated away earlier.
	c.MustExec("creator", rotateMsg(t, apptest.ChainID, "creator", "creator-2"))
	reject(t, c, "holder", accounts.ErrAddressRetired, rotateMsg(t, apptest.ChainID, "holder", "creator"))
}
