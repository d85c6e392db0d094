package accounts_test

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	queryv1 "github.com/jcredit/jcredit/proto/jcredit/query/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
)

// TestMembersAndPendingQueries: an account's members, named by any of its
// keys (a member's too) or its number; its pending actions paged by id, and
// with pending only those still open; one action provable by its key.
func TestMembersAndPendingQueries(t *testing.T) {
	c := companyChain(t, 0)
	members := &accountsv1.QueryMembersResponse{}
	if err := c.Read("/accounts/Members", &accountsv1.QueryMembersRequest{Account: apptest.Addr("tanaka").Hex()}, members); err != nil || len(members.Members) != 4 {
		t.Fatalf("members: %v %+v", err, members)
	}
	for i := 1; i < len(members.Members); i++ {
		if bytes.Compare(common.HexToAddress(members.Members[i-1].Address).Bytes(), common.HexToAddress(members.Members[i].Address).Bytes()) >= 0 {
			t.Fatalf("members not in address order: %v", members.Members)
		}
	}
	for i := 0; i < 3; i++ {
		heldID(t, c.MustExec("sato", retireMsg(1)))
	}
	c.MustExec("tanaka", approveAction(2))

	var got []uint64
	pr := &queryv1.PageRequest{Limit: 2}
	for {
		ans := &accountsv1.QueryPendingActionsRequest{Account: apptest.Addr("company").Hex(), Page: pr}
		out := &accountsv1.QueryPendingActionsResponse{}
		if err := c.Read("/accounts/PendingActions", ans, out); err != nil {
			t.Fatal(err)
		}
		for _, a := range out.Actions {
			got = append(got, a.Id)
		}
		if out.Page.NextCursor == "" {
			break
		}
		pr = &queryv1.PageRequest{Limit: 2, Cursor: out.Page.NextCursor}
	}
	if len(got) != 3 || got[0] != 1 || got[2] != 3 {
		t.Fatalf("actions %v", got)
	}
	open := &accountsv1.QueryPendingActionsResponse{}
	if err := c.Read("/accounts/PendingActions", &accountsv1.QueryPendingActionsRequest{Account: apptest.Addr("company").Hex(), Pending: true}, open); err != nil ||
		len(open.Actions) != 2 || open.Actions[0].Id != 1 || open.Actions[1].Id != 3 {
		t.Fatalf("pending only: %v %+v", err, open)
	}
	res := c.Ask("/accounts/PendingAction", &accountsv1.QueryPendingActionRequest{Id: 2}, true)
	if res.Code != 0 || string(res.Key) != string(types.ActionStoreKey(2)) || res.ProofOps == nil {
		t.Fatalf("proof of action 2: %d %q", res.Code, res.Key)
	}
	if res := c.Ask("/accounts/Policy", &accountsv1.QueryPolicyRequest{Account: apptest.Addr("bob").Hex()}, false); res.Code == 0 {
		t.Fatal("bob has no policy, yet one was answered")
	}
}
