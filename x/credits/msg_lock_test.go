package credits_test

import (
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
)

// Settlement locks (escrow) as the Tokyo Stock Exchange's carbon credit
// market settles a trade: the seller locks the credits it sold for the
// exchange's settlement account, which transfers them to the buyer on
// settlement day (T+5), or releases them if the trade fails; a lock the
// agent forgets returns to the seller at its expiry height.

// settlementChain: alice holds serials 1..100 of batch 1; tse is the
// exchange's settlement account; bob buys.
func settlementChain(t *testing.T) *apptest.Chain {
	return oneBatch(t, holder{name: "tse", roles: []accountsv1.Role{accountsv1.Role_ROLE_SETTLEMENT}})
}

func lockOf(t *testing.T, c *apptest.Chain, id string) *creditsv1.Lock {
	t.Helper()
	ans := &creditsv1.QueryLockResponse{}
	if err := c.Read("/credits/Lock", &creditsv1.QueryLockRequest{Id: id}, ans); err != nil {
		t.Fatalf("lock %s: %v", id, err)
	}
	return ans.Lock
}

func lockMsg(serials string, agent string, expires int64) *creditsv1.MsgLock {
	return &creditsv1.MsgLock{Serials: []string{serials}, Agent: apptest.Addr(agent).Hex(), ExpiresHeight: expires, Reference: "TSE trade 2026-0001"}
}

func TestASellerLocksAndTheExchangeSettlesToTheBuyer(t *testing.T) {
	c := settlementChain(t)
	expires := c.Height + 20
	c.MustExec("alice", lockMsg(ser(1, re, 2024, 1, 40), "tse", expires))
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 41, 100)+" ACTIVE", ser(1, re, 2024, 1, 40)+" LOCKED")
	if b := batchOf(t, c, "JC-00000001"); b.Active != 60 || b.Locked != 40 {
		t.Fatalf("supply %+v", b)
	}
	// The buyer checks, before paying, that the credits are locked for its
	// trade: the serial's range says so.
	r := serialOf(t, c, ser(1, re, 2024, 7, 7)).Range
	if r.Status != creditsv1.RangeStatus_RANGE_STATUS_LOCKED || r.LockId != "LK-00000001" || r.LockAgentAccount != c.AccountNumber("tse") || r.LockExpiresHeight != expires {
		t.Fatalf("serial 7's range %+v", r)
	}
	l := lockOf(t, c, "LK-00000001")
	if l.Status != creditsv1.LockStatus_LOCK_STATUS_OPEN || l.Quantity != 40 || l.HolderAccount != c.AccountNumber("alice") || l.Reference != "TSE trade 2026-0001" {
		t.Fatalf("lock %+v", l)
	}
	// Only the agent settles.
	rejects(t, c, credits.ErrNotAgent, "bob", &creditsv1.MsgSettle{LockId: "LK-00000001", Buyer: apptest.Addr("bob").Hex()})
	rejects(t, c, credits.ErrNotAgent, "alice", &creditsv1.MsgRelease{LockId: "LK-00000001"})
	rejects(t, c, credits.ErrUnknownLock, "tse", &creditsv1.MsgSettle{LockId: "LK-00000009", Buyer: apptest.Addr("bob").Hex()})
	rejects(t, c, credits.ErrInvalidMsg, "tse", &creditsv1.MsgSettle{LockId: "LK-00000001", Buyer: apptest.Addr("alice").Hex()})
	res := c.MustExec("tse", &creditsv1.MsgSettle{LockId: "LK-00000001", Buyer: apptest.Addr("bob").Hex()})
	if !hasEvent(res.Events, credits.EventUnlock, "outcome", "settled") || !hasEvent(res.Events, credits.EventUnlock, "buyer", apptest.Addr("bob").Hex()) {
		t.Fatalf("settle events %v", res.Events)
	}
	sameStrings(t, "bob", rangesOf(t, c, "bob"), ser(1, re, 2024, 1, 40)+" ACTIVE")
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 41, 100)+" ACTIVE")
	l = lockOf(t, c, "LK-00000001")
	if l.Status != creditsv1.LockStatus_LOCK_STATUS_SETTLED || l.BuyerAccount != c.AccountNumber("bob") || l.ClosedHeight != c.Height {
		t.Fatalf("settled lock %+v", l)
	}
	if b := batchOf(t, c, "JC-00000001"); b.Active != 100 || b.Locked != 0 {
		t.Fatalf("supply %+v", b)
	}
	// Settled once: neither settled again nor released.
	rejects(t, c, credits.ErrLockClosed, "tse", &creditsv1.MsgSettle{LockId: "LK-00000001", Buyer: apptest.Addr("bob").Hex()})
	rejects(t, c, credits.ErrLockClosed, "tse", &creditsv1.MsgRelease{LockId: "LK-00000001"})
	// The buyer owns them outright.
	c.MustExec("bob", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 1, 40)}, Beneficiary: "Bob", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025})
}

func TestLockedCreditsCannotBeMovedByTheirHolder(t *testing.T) {
	c := settlementChain(t)
	c.MustExec("alice", lockMsg(ser(1, re, 2024, 1, 40), "tse", c.Height+20))
	rejects(t, c, credits.ErrLocked, "alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{ser(1, re, 2024, 10, 50)}})
	rejects(t, c, credits.ErrLocked, "alice", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 1, 1)}, Beneficiary: "Alice", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025})
	rejects(t, c, credits.ErrLocked, "alice", lockMsg(ser(1, re, 2024, 40, 41), "tse", c.Height+20))
	// By quantity the locked credits are not there to take.
	rejects(t, c, credits.ErrInsufficient, "alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 61})
	rejects(t, c, credits.ErrInsufficient, "alice", &creditsv1.MsgLock{Quantity: 61, Agent: apptest.Addr("tse").Hex(), ExpiresHeight: c.Height + 20})
	// Only ministries cancel, locked or not.
	rejects(t, c, credits.ErrUnauthorized, "alice", &creditsv1.MsgCancel{Serials: []string{ser(1, re, 2024, 1, 1)}, Reason: "changed my mind"})
	// The refusal says who may move them and until when.
	res := execRefused(t, c, "alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{ser(1, re, 2024, 5, 5)}})
	if !strings.Contains(res.Log, "LK-00000001") || !strings.Contains(res.Log, "settlement agent") || !strings.Contains(res.Log, "until height") {
		t.Fatalf("refusal %q", res.Log)
	}
	// A lock names a settlement agent and a future height.
	rejects(t, c, credits.ErrNotSettlementAgent, "alice", lockMsg(ser(1, re, 2024, 60, 60), "bob", c.Height+20))
	rejects(t, c, credits.ErrInvalidMsg, "alice", lockMsg(ser(1, re, 2024, 60, 60), "tse", c.Height))
	rejects(t, c, credits.ErrInvalidMsg, "alice", lockMsg(ser(1, re, 2024, 60, 60), "tse", c.Height+credits.MaxLockPeriod+5))
	rejects(t, c, credits.ErrNotHolder, "bob", lockMsg(ser(1, re, 2024, 60, 60), "tse", c.Height+20))
	// The unlocked rest moves as before.
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 60})
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 1, 40)+" LOCKED")
	// Nor can an account close while its credits are locked.
	rejects(t, c, accounts.ErrCannotClose, "secretariat", &accountsv1.MsgCloseAccount{Address: apptest.Addr("alice").Hex(), Reason: "contract ended"})
}

func TestAFailedTradeIsReleasedAndAForgottenLockExpires(t *testing.T) {
	c := settlementChain(t)
	c.MustExec("alice", lockMsg(ser(1, re, 2024, 41, 60), "tse", c.Height+20))
	res := c.MustExec("tse", &creditsv1.MsgRelease{LockId: "LK-00000001"})
	if !hasEvent(res.Events, credits.EventUnlock, "outcome", "released") {
		t.Fatalf("release events %v", res.Events)
	}
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 1, 100)+" ACTIVE") // merged back
	if l := lockOf(t, c, "LK-00000001"); l.Status != creditsv1.LockStatus_LOCK_STATUS_RELEASED || l.ClosedHeight != c.Height {
		t.Fatalf("released lock %+v", l)
	}
	// A lock the agent neither settles nor releases returns at the end of
	// its expiry block; the agent may settle in that block, not after.
	expires := c.Height + 3
	c.MustExec("alice", lockMsg(ser(1, re, 2024, 1, 10), "tse", expires))
	for c.Height < expires-1 {
		c.Block()
	}
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 11, 100)+" ACTIVE", ser(1, re, 2024, 1, 10)+" LOCKED")
	resp := c.BlockResponse() // block `expires`
	if !hasEvent(resp.Events, credits.EventUnlock, "outcome", "expired") {
		t.Fatalf("end-block events %v", resp.Events)
	}
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 1, 100)+" ACTIVE")
	if l := lockOf(t, c, "LK-00000002"); l.Status != creditsv1.LockStatus_LOCK_STATUS_EXPIRED || l.ClosedHeight != expires || l.ClosedTxHash != "" {
		t.Fatalf("expired lock %+v", l)
	}
	rejects(t, c, credits.ErrLockClosed, "tse", &creditsv1.MsgSettle{LockId: "LK-00000002", Buyer: apptest.Addr("bob").Hex()})
	if b := batchOf(t, c, "JC-00000001"); b.Active != 100 || b.Locked != 0 {
		t.Fatalf("supply %+v", b)
	}
}

// Expiry is bounded work per block: at most MaxExpiriesPerBlock locks
// expire at the end of a block, the rest at the end of the next, and a
// lock past its expiry height but not yet expired cannot be settled.
func TestExpiriesBeyondTheBlockBoundCarryOver(t *testing.T) {
	c := settlementChain(t)
	n := credits.MaxExpiriesPerBlock + 1
	expires := c.Height + 2
	var txs [][]byte
	nonce := c.Nonce("alice")
	for i := 1; i <= n; i++ {
		txs = append(txs, c.Sign("alice", nonce+uint64(i-1), lockMsg(ser(1, re, 2024, uint64(i), uint64(i)), "tse", expires)))
	}
	for i, r := range c.Block(txs...) {
		if r.Code != 0 {
			t.Fatalf("lock %d: %s", i, r.Log)
		}
	}
	for c.Height < expires {
		c.Block()
	}
	if b := batchOf(t, c, "JC-00000001"); b.Locked != 1 {
		t.Fatalf("after block %d: %d locked, want 1 carried over", expires, b.Locked)
	}
	last := "LK-" + strings.Repeat("0", 8-len(itoa(n))) + itoa(n)
	if l := lockOf(t, c, last); l.Status != creditsv1.LockStatus_LOCK_STATUS_OPEN {
		t.Fatalf("lock %s %+v", last, l)
	}
	res := c.Exec("tse", &creditsv1.MsgSettle{LockId: last, Buyer: apptest.Addr("bob").Hex()})
	if res.Code != credits.ErrLockExpired.Code || res.Codespace != credits.ErrLockExpired.Codespace {
		t.Fatalf("settling after the expiry height: %s/%d %s", res.Codespace, res.Code, res.Log)
	}
	if l := lockOf(t, c, last); l.Status != creditsv1.LockStatus_LOCK_STATUS_EXPIRED || l.ClosedHeight != expires+1 {
		t.Fatalf("carried-over lock %+v", l)
	}
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 1, 100)+" ACTIVE")
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// A ministry may cancel locked credits: the lock ends (its other credits
// return to the holder) and both records say so.
func TestAMinistryCancelsLockedCreditsAndTheLockEnds(t *testing.T) {
	c := settlementChain(t)
	c.MustExec("alice", lockMsg(ser(1, re, 2024, 1, 20), "tse", c.Height+20))
	c.MustExec("meti", &creditsv1.MsgCancel{Serials: []string{ser(1, re, 2024, 5, 10)}, Reason: "report found wrong"})
	sameStrings(t, "alice", rangesOf(t, c, "alice"),
		ser(1, re, 2024, 1, 4)+" ACTIVE", ser(1, re, 2024, 11, 100)+" ACTIVE", ser(1, re, 2024, 5, 10)+" CANCELLED")
	ans := &creditsv1.QueryCancellationResponse{}
	if err := c.Read("/credits/Cancellation", &creditsv1.QueryCancellationRequest{Id: "JCX-00000001"}, ans); err != nil ||
		len(ans.Cancellation.ReleasedLocks) != 1 || ans.Cancellation.ReleasedLocks[0] != "LK-00000001" {
		t.Fatalf("cancellation %+v %v", ans, err)
	}
	if l := lockOf(t, c, "LK-00000001"); l.Status != creditsv1.LockStatus_LOCK_STATUS_CANCELLED || l.CancellationId != "JCX-00000001" {
		t.Fatalf("lock %+v", l)
	}
	rejects(t, c, credits.ErrLockClosed, "tse", &creditsv1.MsgSettle{LockId: "LK-00000001", Buyer: apptest.Addr("bob").Hex()})
	if b := batchOf(t, c, "JC-00000001"); b.Active != 94 || b.Cancelled != 6 || b.Locked != 0 {
		t.Fatalf("supply %+v", b)
	}
}

// The settlement role is granted like any other, by the secretariat; a
// lock by quantity takes the oldest credits; Locks lists and filters.
func TestTheSettlementRoleIsGrantedAndLocksAreListed(t *testing.T) {
	c := settlementChain(t)
	c.OpenAccount("jpx", accountsv1.EntityKind_ENTITY_KIND_CORPORATION, accountsv1.Role_ROLE_HOLDER)
	rejects(t, c, credits.ErrNotSettlementAgent, "alice", &creditsv1.MsgLock{Quantity: 5, Agent: apptest.Addr("jpx").Hex(), ExpiresHeight: c.Height + 20})
	c.MustExec("secretariat", &accountsv1.MsgUpdateRoles{Address: apptest.Addr("jpx").Hex(), Roles: []accountsv1.Role{accountsv1.Role_ROLE_SETTLEMENT}})
	c.MustExec("alice", &creditsv1.MsgLock{Quantity: 5, Agent: apptest.Addr("jpx").Hex(), ExpiresHeight: c.Height + 20})
	c.MustExec("alice", lockMsg(ser(1, re, 2024, 50, 59), "tse", c.Height+20))
	sameStrings(t, "alice", rangesOf(t, c, "alice"),
		ser(1, re, 2024, 6, 49)+" ACTIVE", ser(1, re, 2024, 60, 100)+" ACTIVE", ser(1, re, 2024, 1, 5)+" LOCKED", ser(1, re, 2024, 50, 59)+" LOCKED")
	list := &creditsv1.QueryLocksResponse{}
	if err := c.Read("/credits/Locks", &creditsv1.QueryLocksRequest{Agent: apptest.Addr("tse").Hex()}, list); err != nil ||
		len(list.Locks) != 1 || list.Locks[0].Id != "LK-00000002" || len(list.Accounts) != 2 {
		t.Fatalf("tse's locks %+v %v", list, err)
	}
	if err := c.Read("/credits/Locks", &creditsv1.QueryLocksRequest{Holder: apptest.Addr("alice").Hex(), Status: creditsv1.LockStatus_LOCK_STATUS_OPEN}, list); err != nil || len(list.Locks) != 2 {
		t.Fatalf("alice's open locks %+v %v", list, err)
	}
	c.MustExec("jpx", &creditsv1.MsgRelease{LockId: "LK-00000001"})
	if err := c.Read("/credits/Locks", &creditsv1.QueryLocksRequest{Status: creditsv1.LockStatus_LOCK_STATUS_OPEN}, list); err != nil || len(list.Locks) != 1 {
		t.Fatalf("open locks %+v %v", list, err)
	}
}

// TestSettlementKeepsTheSellersTrustedRecipients: settlement delivers the
// seller's credits to the buyer, so a seller that transfers only to trusted
// recipients must trust the buyer, as for a transfer (x/accounts
// trusted.go). The exchange's settlement role exempts nothing: the agent
// never holds the credits. A buyer added to the list settles once the
// delay has passed; until then the lock stays open (the agent may wait,
// or release it).
func TestSettlementKeepsTheSellersTrustedRecipients(t *testing.T) {
	const delay = 3
	c := newChainWith(t, func(g *accountsv1.GenesisState) { g.TrustedRecipientDelayBlocks = delay },
		append(holders("alice", "bob"), holder{name: "tse", roles: []accountsv1.Role{accountsv1.Role_ROLE_SETTLEMENT}}),
		genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 100}}})
	c.MustExec("alice", &accountsv1.MsgUpdateTrustedRecipients{Restriction: accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON})
	// Locking for the agent moves nothing: allowed.
	c.MustExec("alice", lockMsg(ser(1, re, 2024, 1, 40), "tse", c.Height+50))
	// Bob is not trusted: refused, the state unchanged but tse's nonce.
	res := execRefused(t, c, "tse", &creditsv1.MsgSettle{LockId: "LK-00000001", Buyer: apptest.Addr("bob").Hex()})
	if code := accounts.ErrUntrustedRecipient; res.Codespace != code.Codespace || res.Code != code.Code || !strings.Contains(res.Log, "trusted recipients") {
		t.Fatalf("settle to an untrusted buyer: %s/%d %s", res.Codespace, res.Code, res.Log)
	}
	if l := lockOf(t, c, "LK-00000001"); l.Status != creditsv1.LockStatus_LOCK_STATUS_OPEN {
		t.Fatalf("lock %+v", l)
	}
	// Alice trusts bob; until the delay has passed, still refused, saying
	// from which height.
	c.MustExec("alice", &accountsv1.MsgUpdateTrustedRecipients{Add: []string{apptest.Addr("bob").Hex()}})
	effective := c.Height + delay
	res = execRefused(t, c, "tse", &creditsv1.MsgSettle{LockId: "LK-00000001", Buyer: apptest.Addr("bob").Hex()})
	if !strings.Contains(res.Log, "can receive from height") {
		t.Fatalf("settle before the delay: %s", res.Log)
	}
	for c.Height+1 < effective {
		c.Block()
	}
	c.MustExec("tse", &creditsv1.MsgSettle{LockId: "LK-00000001", Buyer: apptest.Addr("bob").Hex()})
	sameStrings(t, "bob", rangesOf(t, c, "bob"), ser(1, re, 2024, 1, 40)+" ACTIVE")
	if l := lockOf(t, c, "LK-00000001"); l.Status != creditsv1.LockStatus_LOCK_STATUS_SETTLED || l.BuyerAccount != c.AccountNumber("bob") {
		t.Fatalf("settled lock %+v", l)
	}
}
