package credits_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
)

func TestTransferInTheMiddleOfARangeLeavesThreeRanges(t *testing.T) {
	c := oneBatch(t)
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{ser(1, re, 2024, 40, 60)}})
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 1, 39)+" ACTIVE", ser(1, re, 2024, 61, 100)+" ACTIVE")
	sameStrings(t, "bob", rangesOf(t, c, "bob"), ser(1, re, 2024, 40, 60)+" ACTIVE")
	ans := serialOf(t, c, ser(1, re, 2024, 50, 50))
	if ans.Range.OwnerAccount != c.AccountNumber("bob") || len(ans.Accounts) != 1 || ans.Accounts[0].Address != apptest.Addr("bob").Hex() ||
		ans.Range.Status != creditsv1.RangeStatus_RANGE_STATUS_ACTIVE {
		t.Fatalf("serial 50: %+v", ans)
	}
	// Giving them back merges the three ranges into one again.
	c.MustExec("bob", &creditsv1.MsgTransfer{Recipient: apptest.Addr("alice").Hex(), Quantity: 21})
	sameStrings(t, "alice after return", rangesOf(t, c, "alice"), ser(1, re, 2024, 1, 100)+" ACTIVE")
}

func TestTransferOfMoreThanHeldIsRejected(t *testing.T) {
	c := oneBatch(t)
	rejects(t, c, credits.ErrInsufficient, "alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 101})
	rejects(t, c, credits.ErrNotHolder, "bob", &creditsv1.MsgTransfer{Recipient: apptest.Addr("alice").Hex(), Serials: []string{ser(1, re, 2024, 1, 1)}})
	rejects(t, c, credits.ErrUnknownSerial, "alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{ser(1, re, 2024, 90, 101)}})
}

func TestTransferToASuspendedAccountIsRejected(t *testing.T) {
	c := oneBatch(t, holder{name: "sleepy", roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER}, status: accountsv1.AccountStatus_ACCOUNT_STATUS_SUSPENDED})
	rejects(t, c, credits.ErrRecipientInactive, "alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("sleepy").Hex(), Quantity: 1})
	rejects(t, c, credits.ErrRecipientInactive, "alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("nobody").Hex(), Quantity: 1})
}

func TestTransferByQuantityTakesTheOldestVintageFirst(t *testing.T) {
	c := newChain(t, holders("alice", "bob"),
		genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 10}}},
		genBatch{category: forest, vintageStart: "2021-04-01", alloc: []alloc{{"alice", 10}}},
		genBatch{category: es, vintageStart: "2022-04-01", alloc: []alloc{{"alice", 10}}})
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 15})
	sameStrings(t, "bob", rangesOf(t, c, "bob"), ser(2, forest, 2021, 1, 10)+" ACTIVE", ser(3, es, 2022, 1, 5)+" ACTIVE")
	// Filters narrow the choice.
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 2, Filter: &creditsv1.Filter{Category: re}})
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 1, Filter: &creditsv1.Filter{VintageYear: 2024}})
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 1, Filter: &creditsv1.Filter{BatchId: "JC-00000003"}})
	sameStrings(t, "bob", rangesOf(t, c, "bob"),
		ser(2, forest, 2021, 1, 10)+" ACTIVE", ser(3, es, 2022, 1, 6)+" ACTIVE", ser(1, re, 2024, 1, 3)+" ACTIVE")
	rejects(t, c, credits.ErrInsufficient, "alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 1, Filter: &creditsv1.Filter{VintageYear: 2021}})
}

func TestMalformedMessagesAreRejected(t *testing.T) {
	c := oneBatch(t)
	bob := apptest.Addr("bob").Hex()
	for name, m := range map[string]*creditsv1.MsgTransfer{
		"neither":   {Recipient: bob},
		"both":      {Recipient: bob, Quantity: 1, Serials: []string{ser(1, re, 2024, 1, 1)}},
		"to self":   {Recipient: apptest.Addr("alice").Hex(), Quantity: 1},
		"overlap":   {Recipient: bob, Serials: []string{ser(1, re, 2024, 1, 5), ser(1, re, 2024, 5, 6)}},
		"filter+sn": {Recipient: bob, Serials: []string{ser(1, re, 2024, 1, 1)}, Filter: &creditsv1.Filter{VintageYear: 2024}},
	} {
		t.Run(name, func(t *testing.T) { rejects(t, c, credits.ErrInvalidMsg, "alice", m) })
	}
	rejects(t, c, credits.ErrInvalidSerial, "alice", &creditsv1.MsgTransfer{Recipient: bob, Serials: []string{"JC-1-RE-2024-1"}})
	rejects(t, c, credits.ErrSerialMismatch, "alice", &creditsv1.MsgTransfer{Recipient: bob, Serials: []string{ser(1, forest, 2024, 1, 1)}})
	rejects(t, c, credits.ErrUnknownBatch, "alice", &creditsv1.MsgTransfer{Recipient: bob, Serials: []string{ser(9, re, 2024, 1, 1)}})
	rejects(t, c, credits.ErrInvalidMsg, "alice", &creditsv1.MsgRetire{Quantity: 1, Beneficiary: " ", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025})
	rejects(t, c, credits.ErrInvalidMsg, "alice", &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "A", FiscalYear: 2025})
	rejects(t, c, credits.ErrInvalidMsg, "alice", &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "A", Use: creditsv1.Use_USE_OTHER})
	rejects(t, c, credits.ErrInvalidMsg, "meti", &creditsv1.MsgCancel{Serials: []string{ser(1, re, 2024, 1, 1)}})
}
