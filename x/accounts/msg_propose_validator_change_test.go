package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

func addValidator(node, operator string, power int64) *accountsv1.MsgProposeValidatorChange {
	return &accountsv1.MsgProposeValidatorChange{Change: apptest.ProvePossession(node, &accountsv1.ValidatorChange{
		Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD, PubKey: apptest.ConsensusKey(node),
		Power: power, Operator: apptest.Addr(operator).Hex(), Name: node,
	})}
}

func removeValidator(node string) *accountsv1.MsgProposeValidatorChange {
	return &accountsv1.MsgProposeValidatorChange{Change: &accountsv1.ValidatorChange{
		Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_REMOVE, PubKey: apptest.ConsensusKey(node),
	}}
}

func setPower(node string, power int64) *accountsv1.MsgProposeValidatorChange {
	return &accountsv1.MsgProposeValidatorChange{Change: apptest.ProvePossession(node, &accountsv1.ValidatorChange{
		Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_SET_POWER, PubKey: apptest.ConsensusKey(node), Power: power,
	})}
}

func TestProposeValidatorChange(t *testing.T) {
	c := governanceChain(t)
	res := c.MustExec("moe", addValidator("provider-node", "provider", 5))
	if !hasEvent(res.Events, accounts.EventPropose, "proposal", "1") {
		t.Fatalf("no event: %v", res.Events)
	}
	k, s := keeperView(t, c)
	p := k.GetProposal(s, 1)
	if p.Status != accountsv1.ProposalStatus_PROPOSAL_STATUS_PENDING || p.ProposerAccount != numberOf(k, s, "moe") ||
		len(p.ApprovalAccounts) != 1 || p.SubmittedHeight != c.Height || p.ExpiresHeight != c.Height+accounts.DefaultProposalTTLBlocks {
		t.Fatalf("proposal: %+v", p)
	}
	if k.GetValidator(s, apptest.ConsensusKey("provider-node")) != nil {
		t.Fatal("one ministry's proposal changed the set")
	}
}

func TestProposeValidatorChangeRejections(t *testing.T) {
	c := governanceChain(t)
	c.OpenAccount("holder", 0, holder)
	badType := addValidator("x", "provider", 1)
	badType.Change.PubKeyType = "secp256k1"
	shortKey := addValidator("x", "provider", 1)
	shortKey.Change.PubKey = shortKey.Change.PubKey[:31]
	for _, tc := range []struct {
		name   string
		signer string
		msg    *accountsv1.MsgProposeValidatorChange
		err    *module.Error
	}{
		{"not a ministry", "secretariat", addValidator("x", "provider", 1), accounts.ErrUnauthorized},
		{"unknown key type", "meti", badType, accounts.ErrInvalidValidator},
		{"short key", "meti", shortKey, accounts.ErrInvalidValidator},
		{"zero power", "meti", addValidator("x", "provider", 0), accounts.ErrInvalidValidator},
		{"huge power", "meti", addValidator("x", "provider", accounts.MaxValidatorPower+1), accounts.ErrInvalidValidator},
		{"operator without an account", "meti", addValidator("x", "nobody", 1), accounts.ErrInvalidValidator},
		{"operator in the wrong role", "meti", addValidator("x", "holder", 1), accounts.ErrInvalidValidator},
		{"add an existing node", "meti", addValidator("moe", "provider", 1), accounts.ErrValidatorExists},
		{"remove an unknown node", "meti", removeValidator("x"), accounts.ErrUnknownValidator},
		{"re-weight an unknown node", "meti", setPower("x", 3), accounts.ErrUnknownValidator},
		{"re-weight to the same power", "meti", setPower("moe", 10), accounts.ErrInvalidProposal},
		{"no change", "meti", &accountsv1.MsgProposeValidatorChange{}, accounts.ErrInvalidProposal},
	} {
		t.Run(tc.name, func(t *testing.T) { reject(t, c, tc.signer, tc.err, tc.msg) })
	}
}
