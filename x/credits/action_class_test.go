package credits_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/credits/types"
)

// TestActionClass: which threshold class a credits message falls in and how
// many credits it moves, by quantity or by serial ranges.
func TestActionClass(t *testing.T) {
	k := credits.NewKeeper(accounts.NewKeeper())
	serial := func(start, end uint64) string {
		return types.FormatSerial(types.Serial{Batch: 1, Start: start, End: end, Category: creditsv1.Category_CATEGORY_FOREST, VintageYear: 2024})
	}
	for _, tc := range []struct {
		msg   proto.Message
		class accountsv1.ActionClass
		q     uint64
	}{
		{&creditsv1.MsgTransfer{Quantity: 7}, accountsv1.ActionClass_ACTION_CLASS_TRANSFER, 7},
		{&creditsv1.MsgTransfer{Serials: []string{serial(1, 10), serial(21, 25)}}, accountsv1.ActionClass_ACTION_CLASS_TRANSFER, 15},
		{&creditsv1.MsgTransfer{Serials: []string{"not a serial"}}, accountsv1.ActionClass_ACTION_CLASS_TRANSFER, ^uint64(0)},
		{&creditsv1.MsgOfferTransfer{Quantity: 3}, accountsv1.ActionClass_ACTION_CLASS_TRANSFER, 3},
		{&creditsv1.MsgLock{Serials: []string{serial(5, 5)}}, accountsv1.ActionClass_ACTION_CLASS_TRANSFER, 1},
		{&creditsv1.MsgRetire{Quantity: 40}, accountsv1.ActionClass_ACTION_CLASS_RETIRE, 40},
		{&creditsv1.MsgCancel{Serials: []string{serial(1, 100)}}, accountsv1.ActionClass_ACTION_CLASS_CANCEL, 100},
		{&creditsv1.MsgPublishOffer{Quantity: 9}, accountsv1.ActionClass_ACTION_CLASS_UNSPECIFIED, 0},
		{&creditsv1.MsgSettle{}, accountsv1.ActionClass_ACTION_CLASS_UNSPECIFIED, 0},
	} {
		class, q := k.ActionClass(tc.msg)
		if class != tc.class || q != tc.q {
			t.Errorf("%s: %v %d, want %v %d", proto.MessageName(tc.msg), class, q, tc.class, tc.q)
		}
	}
}
