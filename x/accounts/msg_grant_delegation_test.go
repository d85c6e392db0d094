package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

const (
	retireAction   = accountsv1.DelegatedAction_DELEGATED_ACTION_RETIRE
	transferAction = accountsv1.DelegatedAction_DELEGATED_ACTION_TRANSFER
)

func grantMsg(agent string, expires int64, max uint64, actions ...accountsv1.DelegatedAction) *accountsv1.MsgGrantDelegation {
	return &accountsv1.MsgGrantDelegation{Agent: apptest.Addr(agent).Hex(), Actions: actions, MaxQuantity: max, ExpiresHeight: expires}
}

func retireFor(grantor string, q uint64) *creditsv1.MsgRetire {
	return &creditsv1.MsgRetire{Quantity: q, Beneficiary: "Alice K.K.", Use: creditsv1.Use_USE_GLOBAL_WARMING_ACT, FiscalYear: 2025, OnBehalfOf: apptest.Addr(grantor).Hex()}
}

// TestDelegatedProvider: alice lets her provider retire and transfer up to
// 30 of her credits until a height. Within scope it works and the records
// name both accounts; beyond the quantity, outside the actions, after
// revocation and after expiry it is refused with state unchanged but for
// the agent's nonce; and conservation holds throughout.
func TestDelegatedProvider(t *testing.T) {
	c := apptest.New(t, withCredits(t, "alice")).ReplayAtEnd()
	c.OpenAccount("provider", 0, provider)
	c.OpenAccount("bob", 0, holder)
	alice, prov := c.AccountNumber("alice"), c.AccountNumber("provider")

	// Refused grants: to oneself, already expired, no action, a quantity
	// without transfer or retire.
	reject(t, c, "alice", accounts.ErrInvalidDelegation, grantMsg("alice", c.Height+10, 30, retireAction))
	reject(t, c, "alice", accounts.ErrInvalidDelegation, grantMsg("provider", c.Height-1, 30, retireAction))
	reject(t, c, "alice", accounts.ErrInvalidDelegation, grantMsg("provider", c.Height+10, 30))
	reject(t, c, "alice", accounts.ErrInvalidDelegation, grantMsg("provider", c.Height+10, 30, accountsv1.DelegatedAction_DELEGATED_ACTION_SUBMIT_PROJECT))
	reject(t, c, "alice", accounts.ErrUnknownAccount, grantMsg("nobody", c.Height+10, 30, retireAction))

	// No delegation yet.
	reject(t, c, "provider", accounts.ErrNoDelegation, retireFor("alice", 5))

	c.MustExec("alice", grantMsg("provider", c.Height+20, 30, retireAction, transferAction))

	// Within scope: a retirement of alice's credits by the provider.
	res := c.MustExec("provider", retireFor("alice", 10))
	rec := retirementOf(t, c, eventAttr(res.Events, "credits.retire", "retirement_id"))
	if rec.AccountNumber != alice || rec.Account != apptest.Addr("alice").Hex() || rec.AccountLegalName != "alice" ||
		rec.AgentAccount != prov || rec.AgentLegalName != "provider" || rec.Quantity != 10 {
		t.Fatalf("delegated retirement: %+v", rec)
	}
	// A transfer of alice's credits to bob, by the provider.
	res = c.MustExec("provider", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 15, OnBehalfOf: apptest.Addr("alice").Hex()})
	if !hasEvent(res.Events, "credits.transfer", "agent_account", utoaT(prov)) || !hasEvent(res.Events, "credits.transfer", "sender", apptest.Addr("alice").Hex()) {
		t.Fatalf("transfer events: %v", res.Events)
	}
	if d := delegation(t, c, "alice", "provider"); d.UsedQuantity != 25 {
		t.Fatalf("used: %+v", d)
	}

	// Beyond the quantity: 25 of 30 used, 10 asked.
	reject(t, c, "provider", accounts.ErrDelegationExhausted, retireFor("alice", 10))
	// By account number works as well as by address; 5 remain.
	m := retireFor("alice", 5)
	m.OnBehalfOf = utoaT(alice)
	c.MustExec("provider", m)
	reject(t, c, "provider", accounts.ErrDelegationExhausted, retireFor("alice", 1))

	// Revocation takes effect at once, in the same block.
	c.MustExec("alice", grantMsg("provider", c.Height+20, 30, retireAction))
	revoke := c.Tx("alice", &accountsv1.MsgRevokeDelegation{Agent: apptest.Addr("provider").Hex()})
	after := c.Tx("provider", retireFor("alice", 1))
	results := c.Block(revoke, after)
	wantCode(t, results[0], nil)
	wantCode(t, results[1], accounts.ErrNoDelegation)
	reject(t, c, "alice", accounts.ErrNoDelegation, &accountsv1.MsgRevokeDelegation{Agent: apptest.Addr("provider").Hex()})

	// Expiry: usable at expires_height, refused after.
	expires := c.Height + 2 // the grant is in block c.Height+1
	c.MustExec("alice", grantMsg("provider", expires, 30, retireAction))
	c.MustExec("provider", retireFor("alice", 1)) // at expires_height: still in force
	if c.Height != expires {
		t.Fatalf("height %d", c.Height)
	}
	reject(t, c, "provider", accounts.ErrDelegationExpired, retireFor("alice", 1))
	// Outside the actions: this grant has no transfer.
	c.MustExec("alice", grantMsg("provider", c.Height+5, 30, retireAction))
	reject(t, c, "provider", accounts.ErrOutsideDelegation, &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Quantity: 1, OnBehalfOf: apptest.Addr("alice").Hex()})
	// Someone else's delegation is not the signer's.
	reject(t, c, "bob", accounts.ErrNoDelegation, retireFor("alice", 1))
	checkInvariants(t, c)
}

func retirementOf(t *testing.T, c *apptest.Chain, id string) *creditsv1.Retirement {
	t.Helper()
	ans := &creditsv1.QueryRetirementResponse{}
	if err := c.Read("/credits/Retirement", &creditsv1.QueryRetirementRequest{Id: id}, ans); err != nil {
		t.Fatal(err)
	}
	return ans.Retirement
}

func delegation(t *testing.T, c *apptest.Chain, grantor, agent string) *accountsv1.Delegation {
	t.Helper()
	ans := &accountsv1.QueryDelegationResponse{}
	if err := c.Read("/accounts/Delegation", &accountsv1.QueryDelegationRequest{Grantor: apptest.Addr(grantor).Hex(), Agent: apptest.Addr(agent).Hex()}, ans); err != nil {
		t.Fatal(err)
	}
	return ans.Delegation
}

func utoaT(v uint64) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + v%10)}, b...)
		v /= 10
		if v == 0 {
			return string(b)
		}
	}
}
