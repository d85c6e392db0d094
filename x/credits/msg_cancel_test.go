package credits_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
)

func TestCancellingARetiredSerialIsRejected(t *testing.T) {
	c := oneBatch(t)
	c.MustExec("alice", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 10, 20)}, Beneficiary: "Alice", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025})
	rejects(t, c, credits.ErrNotActive, "meti", &creditsv1.MsgCancel{Serials: []string{ser(1, re, 2024, 20, 30)}, Reason: "report found wrong"})
}

func TestAMinistryCancelsActiveCreditsWhoeverHoldsThem(t *testing.T) {
	c := oneBatch(t)
	c.MustExec("alice", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{ser(1, re, 2024, 51, 100)}})
	c.MustExec("meti", &creditsv1.MsgCancel{Serials: []string{ser(1, re, 2024, 41, 60)}, Reason: "double counting found in audit"})
	sameStrings(t, "alice", rangesOf(t, c, "alice"), ser(1, re, 2024, 1, 40)+" ACTIVE", ser(1, re, 2024, 41, 50)+" CANCELLED")
	sameStrings(t, "bob", rangesOf(t, c, "bob"), ser(1, re, 2024, 61, 100)+" ACTIVE", ser(1, re, 2024, 51, 60)+" CANCELLED")
	b := batchOf(t, c, "JC-00000001")
	if b.Active != 80 || b.Cancelled != 20 {
		t.Fatalf("supply %+v", b)
	}
	ans := &creditsv1.QueryCancellationResponse{}
	if err := c.Read("/credits/Cancellation", &creditsv1.QueryCancellationRequest{Id: "JCX-00000001"}, ans); err != nil ||
		ans.Cancellation.Ministry != apptest.Addr("meti").Hex() || ans.Cancellation.Reason != "double counting found in audit" || ans.Cancellation.Quantity != 20 {
		t.Fatalf("cancellation record %+v %v", ans, err)
	}
	list := &creditsv1.QueryCancellationsResponse{}
	if err := c.Read("/credits/Cancellations", &creditsv1.QueryCancellationsRequest{BatchId: "JC-00000001"}, list); err != nil ||
		len(list.Cancellations) != 1 || len(list.Accounts) != 1 || list.Accounts[0].LegalName == "" {
		t.Fatalf("cancellations of the batch: %+v %v", list, err)
	}
	// Cancellation is permanent.
	rejects(t, c, credits.ErrNotActive, "moe", &creditsv1.MsgCancel{Serials: []string{ser(1, re, 2024, 41, 41)}, Reason: "again"})
	rejects(t, c, credits.ErrNotActive, "bob", &creditsv1.MsgRetire{Serials: []string{ser(1, re, 2024, 55, 55)}, Beneficiary: "Bob", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025})
}

func TestOnlyAMinistryMayCancel(t *testing.T) {
	c := oneBatch(t)
	rejects(t, c, credits.ErrUnauthorized, "alice", &creditsv1.MsgCancel{Serials: []string{ser(1, re, 2024, 1, 1)}, Reason: "mine"})
	rejects(t, c, credits.ErrUnauthorized, "secretariat", &creditsv1.MsgCancel{Serials: []string{ser(1, re, 2024, 1, 1)}, Reason: "mine"})
}
