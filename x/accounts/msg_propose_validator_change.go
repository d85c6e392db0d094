package accounts

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

func validateProposeValidatorChange(m *accountsv1.MsgProposeValidatorChange) error {
	return validateValidatorChange(m.Change)
}

// ProposeValidatorChange lets a ministry propose adding, removing or
// re-weighting a validator node. The change is checked against the current
// set now (so a doomed proposal is refused at once) and again when the
// quorum is reached. The proposer's approval counts.
func (k *Keeper) ProposeValidatorChange(ctx module.Context, m *accountsv1.MsgProposeValidatorChange) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_MINISTRY, "proposing a validator-set change"); err != nil {
		return err
	}
	ch := m.Change
	if ch.Operator != "" {
		op, _ := types.ParseAddress(ch.Operator)
		ch.Operator = op.Hex()
	}
	ch.PubKeyType = PubKeyTypeEd25519
	if _, err := k.checkValidatorChange(ctx, ch, false); err != nil {
		return err
	}
	_, err := k.submit(ctx, &accountsv1.Proposal{Change: &accountsv1.Proposal_Validator{Validator: ch}})
	return err
}
