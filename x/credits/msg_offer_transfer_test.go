package credits_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
)

// Two-step transfers: alice offers credits to bob, who must accept before
// they move; alice may cancel until then; an offer nobody accepts returns
// at its expiry height. The credits count as locked meanwhile, and the
// conservation invariant holds after every step.

func transferTo(to string, serials string, expires int64) *creditsv1.MsgOfferTransfer {
	return &creditsv1.MsgOfferTransfer{Serials: []string{serials}, Recipient: apptest.Addr(to).Hex(), ExpiresHeight: expires}
}

func TestATwoStepTransferIsAcceptedOrCancelled(t *testing.T) {
	c := settlementChain(t) // alice holds 1..100; tse is a settlement agent
	// Offer → accept.
	c.MustExec("alice", transferTo("bob", ser(1, re, 2024, 1, 30), 0))
	conserved(t, c)
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 31, 100)+" ACTIVE", ser(1, re, 2024, 1, 30)+" LOCKED")
	sameStrings(t, "bob before accepting", rangesOf(t, c, "bob"))
	if b := batchOf(t, c, "JC-00000001"); b.Active != 70 || b.Locked != 30 {
		t.Fatalf("supply %+v", b)
	}
	l := lockOf(t, c, "LK-00000001")
	if !l.TransferOffer || l.AgentAccount != c.AccountNumber("bob") || l.ExpiresHeight != c.Height+credits.MaxLockPeriod {
		t.Fatalf("transfer %+v", l)
	}
	// The sender cannot move the offered credits; only the recipient
	// accepts; the settlement messages do not apply.
	rejects(t, c, credits.ErrLocked, "alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("tse").Hex(), Serials: []string{ser(1, re, 2024, 5, 5)}})
	rejects(t, c, credits.ErrNotRecipient, "alice", &creditsv1.MsgAcceptTransfer{LockId: "LK-00000001"})
	rejects(t, c, credits.ErrNotRecipient, "tse", &creditsv1.MsgAcceptTransfer{LockId: "LK-00000001"})
	rejects(t, c, credits.ErrNotSender, "bob", &creditsv1.MsgCancelTransfer{LockId: "LK-00000001"})
	rejects(t, c, credits.ErrTransferOffer, "bob", &creditsv1.MsgSettle{LockId: "LK-00000001", Buyer: apptest.Addr("tse").Hex()})
	rejects(t, c, credits.ErrTransferOffer, "bob", &creditsv1.MsgRelease{LockId: "LK-00000001"})
	c.MustExec("bob", &creditsv1.MsgAcceptTransfer{LockId: "LK-00000001"})
	conserved(t, c)
	sameStrings(t, "bob", rangesOf(t, c, "bob"), ser(1, re, 2024, 1, 30)+" ACTIVE")
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 31, 100)+" ACTIVE")
	if l := lockOf(t, c, "LK-00000001"); l.Status != creditsv1.LockStatus_LOCK_STATUS_SETTLED || l.BuyerAccount != c.AccountNumber("bob") {
		t.Fatalf("accepted %+v", l)
	}
	rejects(t, c, credits.ErrLockClosed, "alice", &creditsv1.MsgCancelTransfer{LockId: "LK-00000001"})

	// Offer (by quantity) → cancel; accept after cancel refused.
	c.MustExec("alice", &creditsv1.MsgOfferTransfer{Quantity: 20, Recipient: apptest.Addr("bob").Hex(), ExpiresHeight: c.Height + 50})
	conserved(t, c)
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 51, 100)+" ACTIVE", ser(1, re, 2024, 31, 50)+" LOCKED")
	c.MustExec("alice", &creditsv1.MsgCancelTransfer{LockId: "LK-00000002"})
	conserved(t, c)
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 31, 100)+" ACTIVE")
	rejects(t, c, credits.ErrLockClosed, "bob", &creditsv1.MsgAcceptTransfer{LockId: "LK-00000002"})
	sameStrings(t, "bob", rangesOf(t, c, "bob"), ser(1, re, 2024, 1, 30)+" ACTIVE")
	if l := lockOf(t, c, "LK-00000002"); l.Status != creditsv1.LockStatus_LOCK_STATUS_RELEASED {
		t.Fatalf("cancelled %+v", l)
	}

	// A settlement lock is not a transfer; a transfer needs an active
	// recipient other than the sender.
	c.MustExec("alice", lockMsg(ser(1, re, 2024, 91, 100), "tse", c.Height+20))
	rejects(t, c, credits.ErrNotTransfer, "tse", &creditsv1.MsgAcceptTransfer{LockId: "LK-00000003"})
	rejects(t, c, credits.ErrNotTransfer, "alice", &creditsv1.MsgCancelTransfer{LockId: "LK-00000003"})
	rejects(t, c, credits.ErrInvalidMsg, "alice", transferTo("alice", ser(1, re, 2024, 31, 31), 0))
	rejects(t, c, credits.ErrInvalidMsg, "alice", transferTo("bob", ser(1, re, 2024, 31, 31), c.Height))
	rejects(t, c, credits.ErrUnknownLock, "bob", &creditsv1.MsgAcceptTransfer{LockId: "LK-00000009"})
	conserved(t, c)
}

func TestAnUnacceptedTransferReturnsAtExpiry(t *testing.T) {
	c := oneBatch(t)
	expires := c.Height + 3
	c.MustExec("alice", transferTo("bob", ser(1, re, 2024, 1, 10), expires))
	for c.Height < expires {
		c.Block()
	}
	conserved(t, c)
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 1, 100)+" ACTIVE")
	if l := lockOf(t, c, "LK-00000001"); l.Status != creditsv1.LockStatus_LOCK_STATUS_EXPIRED {
		t.Fatalf("expired %+v", l)
	}
	rejects(t, c, credits.ErrLockClosed, "bob", &creditsv1.MsgAcceptTransfer{LockId: "LK-00000001"})
	sameStrings(t, "bob", rangesOf(t, c, "bob"))
}

// TestATwoStepTransferKeepsTheTrustedRecipientRestriction: an account that
// transfers only to trusted recipients cannot offer to anyone else either.
func TestATwoStepTransferKeepsTheTrustedRecipientRestriction(t *testing.T) {
	c := oneBatch(t)
	c.MustExec("alice", &accountsv1.MsgUpdateTrustedRecipients{Restriction: accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON})
	rejects(t, c, accounts.ErrUntrustedRecipient, "alice", transferTo("bob", ser(1, re, 2024, 1, 10), 0))
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 1, 100)+" ACTIVE")
}

// TestAnOfferToARecipientRemovedSinceCannotBeAccepted: the restriction is
// checked when the credits move, at acceptance too: a recipient the
// sender trusted when it offered, and removed since, is refused; the
// sender takes the credits back.
func TestAnOfferToARecipientRemovedSinceCannotBeAccepted(t *testing.T) {
	const delay = 2
	c := newChainWith(t, func(g *accountsv1.GenesisState) { g.TrustedRecipientDelayBlocks = delay }, holders("alice", "bob"),
		genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 100}}})
	c.MustExec("alice", &accountsv1.MsgUpdateTrustedRecipients{Add: []string{apptest.Addr("bob").Hex()}, Restriction: accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON})
	for i := 0; i < delay; i++ {
		c.Block()
	}
	c.MustExec("alice", transferTo("bob", ser(1, re, 2024, 1, 10), 0))
	c.MustExec("alice", &accountsv1.MsgUpdateTrustedRecipients{Remove: []string{apptest.Addr("bob").Hex()}})
	rejects(t, c, accounts.ErrUntrustedRecipient, "bob", &creditsv1.MsgAcceptTransfer{LockId: "LK-00000001"})
	sameStrings(t, "bob", rangesOf(t, c, "bob"))
	c.MustExec("alice", &creditsv1.MsgCancelTransfer{LockId: "LK-00000001"})
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 1, 100)+" ACTIVE")
}
