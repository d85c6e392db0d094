package credits

import (
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
)

// ActionClass implements accounts.ActionClassifier: which of an account's
// threshold classes a credits message falls in, and how many credits it
// moves (the quantity, or the serial ranges' sizes), read from the message
// alone. Transfers, two-step transfer offers and settlement locks are
// TRANSFER (credits leave the account, or may through an agent);
// retirements RETIRE; a ministry's cancellation CANCEL.
func (k *Keeper) ActionClass(msg proto.Message) (accountsv1.ActionClass, uint64) {
	switch m := msg.(type) {
	case *creditsv1.MsgTransfer:
		return accountsv1.ActionClass_ACTION_CLASS_TRANSFER, selected(m.Quantity, m.Serials)
	case *creditsv1.MsgOfferTransfer:
		return accountsv1.ActionClass_ACTION_CLASS_TRANSFER, selected(m.Quantity, m.Serials)
	case *creditsv1.MsgLock:
		return accountsv1.ActionClass_ACTION_CLASS_TRANSFER, selected(m.Quantity, m.Serials)
	case *creditsv1.MsgRetire:
		return accountsv1.ActionClass_ACTION_CLASS_RETIRE, selected(m.Quantity, m.Serials)
	case *creditsv1.MsgCancel:
		return accountsv1.ActionClass_ACTION_CLASS_CANCEL, selected(0, m.Serials)
	}
	return accountsv1.ActionClass_ACTION_CLASS_UNSPECIFIED, 0
}

// selected is the number of credits a message selects: its quantity, or
// the sum of its serial ranges (saturating; a serial that does not parse
// counts as many as possible, so that it is never under a limit — the
// message's own validation refuses it anyway).
func selected(quantity uint64, serials []string) uint64 {
	total := quantity
	for _, s := range serials {
		q := ^uint64(0)
		if sr, err := types.ParseSerial(s); err == nil {
			q = sr.Quantity()
		}
		if total+q < total {
			return ^uint64(0)
		}
		total += q
	}
	return total
}
