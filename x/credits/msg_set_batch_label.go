package credits

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateSetBatchLabel checks MsgSetBatchLabel without state.
func validateSetBatchLabel(m *creditsv1.MsgSetBatchLabel) error {
	if _, err := types.ParseBatchID(m.BatchId); err != nil {
		return err
	}
	if err := validateLabel(m.Label); err != nil {
		return err
	}
	if p := module.TextProblem(m.Reason, MaxDetailsLen, true); p != "" {
		return ErrInvalidMsg.Wrapf("a label change needs a reason of 1 to %d bytes of plain text; this reason %s", MaxDetailsLen, p)
	}
	return nil
}

// SetBatchLabel lets a ministry add a label to a batch after issuance,
// change its status or remove it (CORSIA eligibility for a phase, a
// corresponding adjustment requested or applied, Article 6 authorisation,
// the ICVCM CCP label). The batch's labels change from this transaction
// on: a retirement checks them as they stand at its height and copies
// them into its record. The change itself is a record of its own, with
// who, when and why.
func (k *Keeper) SetBatchLabel(ctx module.Context, m *creditsv1.MsgSetBatchLabel) error {
	if !k.accounts.HasRole(ctx.Store, ctx.Account, accountsv1.Role_ROLE_MINISTRY) {
		return ErrUnauthorized.Wrapf("labelling a batch requires the ministry role; %s does not hold it", ctx.Signer.Hex())
	}
	b, err := k.GetBatch(ctx.Store, m.BatchId)
	if err != nil {
		return err
	}
	st := store(ctx.Store)
	if _, err := changeLabel(ctx, st, b, m.Label, m.Remove, m.Reason); err != nil {
		return err
	}
	setBatch(st, b)
	return nil
}
