package app_test

import (
	"strconv"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/upgradetest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
)

// TestExportRoundTripMarkets: settlement locks (one settled, one open with
// its expiry pending), a GX-ETS operator with verified emissions, a GX-ETS
// retirement counted in its total, a cap share changed by the quorum and
// offers of credits for sale (one withdrawn)
// survive export and import; the imported chain settles the open lock and
// keeps refusing over the cap.
func TestExportRoundTripMarkets(t *testing.T) {
	c := upgradetest.NewChain(t)
	rulesScenario(c)
	c.MustExec("secretariat", &accountsv1.MsgOpenAccount{Address: apptest.Addr("tse").Hex(), LegalName: "TSE settlement",
		EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP", Roles: []accountsv1.Role{accountsv1.Role_ROLE_SETTLEMENT}})
	lock := func(q uint64) *creditsv1.MsgLock {
		return &creditsv1.MsgLock{Quantity: q, Agent: apptest.Addr("tse").Hex(), ExpiresHeight: c.Height + 1000, Reference: "TSE"}
	}
	c.MustExec("alice-2", lock(10))
	c.MustExec("tse", &creditsv1.MsgSettle{LockId: "LK-00000001", Buyer: apptest.Addr("bob").Hex()})
	c.MustExec("alice-2", lock(7)) // LK-00000002 stays open
	c.MustExec("meti", &accountsv1.MsgSetGxOperator{Address: apptest.Addr("kyoto").Hex(), CorporateNumber: "1180301018771", FiscalYear: 2025,
		VerifiedTCo2: 1_000, DocumentHash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"})
	proposed := c.MustExec("meti", &accountsv1.MsgProposeGxEtsCap{Change: &accountsv1.GxEtsCapChange{CapPercent: 5}})
	c.MustExec("moe", &accountsv1.MsgApproveProposal{ProposalId: proposalOf(t, proposed.Events)})
	c.MustExec("kyoto", &creditsv1.MsgRetire{Quantity: 40, Beneficiary: "Kyoto K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_GX_ETS}, FiscalYear: 2025})
	// Offers: one withdrawn (OF-00000001: the sequence must survive, so the
	// imported chain's next offer is OF-00000003), one open.
	c.MustExec("alice-2", &creditsv1.MsgPublishOffer{Quantity: 5, Contact: "alice"})
	c.MustExec("alice-2", &creditsv1.MsgWithdrawOffer{OfferId: "OF-00000001"})
	c.MustExec("alice-2", &creditsv1.MsgPublishOffer{Quantity: 3, PriceYenPerT: 2800, Contact: "alice, desk 2"})
	// A two-step transfer stays offered (LK-00000003), accepted after import.
	c.MustExec("alice-2", &creditsv1.MsgOfferTransfer{Quantity: 2, Recipient: apptest.Addr("bob").Hex()})
	c.Block()
	b := roundTrip(t, c.App, c.Height)

	next := &apptest.Chain{T: t, App: b, Height: c.Height + 1, Time: c.Time.Add(time.Hour), MaxGas: c.MaxGas}
	next.MustExec("tse", &creditsv1.MsgSettle{LockId: "LK-00000002", Buyer: apptest.Addr("bob").Hex()})
	if res := next.Exec("kyoto", &creditsv1.MsgRetire{Quantity: 11, Beneficiary: "Kyoto K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_GX_ETS}, FiscalYear: 2025}); res.Code != credits.ErrGxCap.Code {
		t.Fatalf("over the imported cap (5%% of 1000 = 50, used 40): %d %s", res.Code, res.Log)
	}
	next.MustExec("bob", &creditsv1.MsgAcceptTransfer{LockId: "LK-00000003"})
	next.MustExec("alice-2", &creditsv1.MsgLock{Quantity: 1, Agent: apptest.Addr("tse").Hex(), ExpiresHeight: next.Height + 10})
	var got creditsv1.QueryLockResponse
	if err := next.Read("/credits/Lock", &creditsv1.QueryLockRequest{Id: "LK-00000004"}, &got); err != nil {
		t.Fatalf("the imported chain's next lock: %v", err)
	}
	next.MustExec("alice-2", &creditsv1.MsgPublishOffer{Quantity: 1, Contact: "alice"})
	var offers creditsv1.QueryOffersResponse
	if err := next.Read("/credits/Offers", &creditsv1.QueryOffersRequest{}, &offers); err != nil || len(offers.Offers) != 2 ||
		offers.Offers[0].Offer.Id != "OF-00000002" || offers.Offers[0].Offer.PriceYenPerT != 2800 || offers.Offers[1].Offer.Id != "OF-00000003" {
		t.Fatalf("the imported chain's offers: %v %v", &offers, err)
	}
	if err := credits.CheckInvariants(mustSnapshot(t, b)); err != nil {
		t.Fatal(err)
	}
}

// proposalOf is the id of the proposal an accounts.proposal_submitted event
// names (the rules scenario's own proposals come first).
func proposalOf(t *testing.T, evs []abci.Event) uint64 {
	t.Helper()
	for _, e := range evs {
		if e.Type != accounts.EventPropose {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == "proposal" {
				n, err := strconv.ParseUint(a.Value, 10, 64)
				if err == nil {
					return n
				}
			}
		}
	}
	t.Fatalf("no proposal submitted in %v", evs)
	return 0
}
