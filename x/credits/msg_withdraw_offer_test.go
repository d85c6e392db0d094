package credits_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
)

// TestWithdrawOfferOnlyByItsHolder: bob, who received credits, cannot
// withdraw alice's offer; alice's withdrawal removes it even from the list
// of exhausted offers, and a second withdrawal finds nothing.
func TestWithdrawOfferOnlyByItsHolder(t *testing.T) {
	c := oneBatch(t)
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 10})
	c.MustExec("alice", &creditsv1.MsgPublishOffer{Quantity: 50, Contact: "alice"})
	c.MustExec("bob", &creditsv1.MsgPublishOffer{Quantity: 10, Contact: "bob"})
	rejects(t, c, credits.ErrNotOfferHolder, "bob", &creditsv1.MsgWithdrawOffer{OfferId: "OF-00000001"})
	rejects(t, c, credits.ErrUnknownOffer, "bob", &creditsv1.MsgWithdrawOffer{OfferId: "OF-00000009"})
	c.MustExec("alice", &creditsv1.MsgWithdrawOffer{OfferId: "OF-00000001"})
	sameStrings(t, "offers", listed(offersOf(t, c, &creditsv1.QueryOffersRequest{IncludeExhausted: true})), "OF-00000002 10/10")
	rejects(t, c, credits.ErrUnknownOffer, "alice", &creditsv1.MsgWithdrawOffer{OfferId: "OF-00000001"})
}
