package credits_test

import (
	"fmt"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/credits"
)

// Credits for sale (売り出しクレジット一覧): a holder publishes an offer, the
// list shows what it can deliver now, and withdrawn or exhausted offers
// leave the list.

func offersOf(t *testing.T, c *apptest.Chain, req *creditsv1.QueryOffersRequest) []*creditsv1.OfferListing {
	t.Helper()
	ans := &creditsv1.QueryOffersResponse{}
	if err := c.Read("/credits/Offers", req, ans); err != nil {
		t.Fatalf("offers: %v", err)
	}
	return ans.Offers
}

// listed renders listings as "id available/quantity".
func listed(ls []*creditsv1.OfferListing) []string {
	var out []string
	for _, l := range ls {
		out = append(out, fmt.Sprintf("%s %d/%d", l.Offer.Id, l.Available, l.Offer.Quantity))
	}
	return out
}

func TestOffersAreListedUntilWithdrawnOrExhausted(t *testing.T) {
	c := oneBatch(t) // alice holds 1..100 of JC-00000001 (renewable, 2024)
	all := &creditsv1.QueryOffersRequest{}
	res := c.MustExec("alice", &creditsv1.MsgPublishOffer{Filter: &creditsv1.Filter{BatchId: "JC-00000001"}, Quantity: 30, PriceYenPerT: 3200, Contact: "sales@alice.example, 03-1234-5678"})
	if !hasEvent(res.Events, credits.EventOffer, "offer_id", "OF-00000001") {
		t.Fatalf("publish events %v", res.Events)
	}
	c.MustExec("alice", &creditsv1.MsgPublishOffer{Filter: &creditsv1.Filter{VintageYear: 2024, Category: re}, Quantity: 500, Contact: "ask alice"})
	sameStrings(t, "offers", listed(offersOf(t, c, all)), "OF-00000001 30/30", "OF-00000002 100/500")
	o := offersOf(t, c, all)[0].Offer
	if o.HolderAccount != c.AccountNumber("alice") || o.PriceYenPerT != 3200 || o.BatchId != "JC-00000001" || o.Height != c.Height-1 || o.TxHash == "" {
		t.Fatalf("offer %+v", o)
	}

	// Refused: nothing matching held, a bad contact, no quantity, an
	// absurd price. Nothing is published.
	rejects(t, c, credits.ErrInsufficient, "bob", &creditsv1.MsgPublishOffer{Quantity: 1, Contact: "bob"})
	rejects(t, c, credits.ErrInsufficient, "alice", &creditsv1.MsgPublishOffer{Filter: &creditsv1.Filter{VintageYear: 2019}, Quantity: 1, Contact: "alice"})
	rejects(t, c, credits.ErrInvalidMsg, "alice", &creditsv1.MsgPublishOffer{Quantity: 1, Contact: "call \u202eme"})
	rejects(t, c, credits.ErrInvalidMsg, "alice", &creditsv1.MsgPublishOffer{Quantity: 1, Contact: ""})
	rejects(t, c, credits.ErrInvalidMsg, "alice", &creditsv1.MsgPublishOffer{Contact: "alice"})
	rejects(t, c, credits.ErrInvalidMsg, "alice", &creditsv1.MsgPublishOffer{Quantity: 1, Contact: "alice", PriceYenPerT: credits.MaxOfferPrice + 1})
	sameStrings(t, "offers", listed(offersOf(t, c, all)), "OF-00000001 30/30", "OF-00000002 100/500")

	// Filters.
	sameStrings(t, "by batch", listed(offersOf(t, c, &creditsv1.QueryOffersRequest{BatchId: "JC-00000001"})), "OF-00000001 30/30")
	sameStrings(t, "by vintage", listed(offersOf(t, c, &creditsv1.QueryOffersRequest{VintageYear: 2024})), "OF-00000002 100/500")
	sameStrings(t, "by other category", listed(offersOf(t, c, &creditsv1.QueryOffersRequest{Category: creditsv1.Category_CATEGORY_FOREST})))
	sameStrings(t, "by holder", listed(offersOf(t, c, &creditsv1.QueryOffersRequest{Holder: apptest.Addr("alice").Hex()})), "OF-00000001 30/30", "OF-00000002 100/500")
	sameStrings(t, "by other holder", listed(offersOf(t, c, &creditsv1.QueryOffersRequest{Holder: apptest.Addr("bob").Hex()})))
	paged := &creditsv1.QueryOffersResponse{}
	if err := c.Read("/credits/Offers", &creditsv1.QueryOffersRequest{Page: &queryv1.PageRequest{Limit: 1}}, paged); err != nil || len(paged.Offers) != 1 || paged.Page.GetNextCursor() == "" {
		t.Fatalf("first page of one: %v %v", paged, err)
	}

	// What the holder can deliver follows its holdings.
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 80})
	sameStrings(t, "after a sale", listed(offersOf(t, c, all)), "OF-00000001 20/30", "OF-00000002 20/500")
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 20})
	sameStrings(t, "exhausted", listed(offersOf(t, c, all)))
	sameStrings(t, "exhausted, asked for", listed(offersOf(t, c, &creditsv1.QueryOffersRequest{IncludeExhausted: true})), "OF-00000001 0/30", "OF-00000002 0/500")
	c.MustExec("bob", &creditsv1.MsgTransfer{Recipient: apptest.Addr("alice").Hex(), Quantity: 5})
	sameStrings(t, "back", listed(offersOf(t, c, all)), "OF-00000001 5/30", "OF-00000002 5/500")

	// Only the holder withdraws; a withdrawn offer disappears.
	rejects(t, c, credits.ErrNotOfferHolder, "bob", &creditsv1.MsgWithdrawOffer{OfferId: "OF-00000001"})
	rejects(t, c, credits.ErrInvalidMsg, "alice", &creditsv1.MsgWithdrawOffer{OfferId: "OF-1"})
	res = c.MustExec("alice", &creditsv1.MsgWithdrawOffer{OfferId: "OF-00000001"})
	if !hasEvent(res.Events, credits.EventWithdraw, "offer_id", "OF-00000001") {
		t.Fatalf("withdraw events %v", res.Events)
	}
	rejects(t, c, credits.ErrUnknownOffer, "alice", &creditsv1.MsgWithdrawOffer{OfferId: "OF-00000001"})
	sameStrings(t, "withdrawn", listed(offersOf(t, c, &creditsv1.QueryOffersRequest{IncludeExhausted: true})), "OF-00000002 5/500")
	// Ids are not reused.
	c.MustExec("alice", &creditsv1.MsgPublishOffer{Quantity: 5, Contact: "alice"})
	sameStrings(t, "republished", listed(offersOf(t, c, all)), "OF-00000002 5/500", "OF-00000003 5/5")
}
