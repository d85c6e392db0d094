package accounts_test

import (
	"encoding/json"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
)

func trusted(add, remove []string, r accountsv1.TrustedRestriction) *accountsv1.MsgUpdateTrustedRecipients {
	m := &accountsv1.MsgUpdateTrustedRecipients{Restriction: r}
	for _, n := range add {
		m.Add = append(m.Add, apptest.Addr(n).Hex())
	}
	for _, n := range remove {
		m.Remove = append(m.Remove, apptest.Addr(n).Hex())
	}
	return m
}

func send(to string, q uint64) *creditsv1.MsgTransfer {
	return &creditsv1.MsgTransfer{Recipient: apptest.Addr(to).Hex(), Quantity: q}
}

// TestTrustedRecipients: with a delay of 3 blocks, alice restricts her
// transfers to trusted recipients. A recipient added at height H receives
// from H+3, not before; one removed stops at once; lifting the restriction
// takes the delay too; a delegated transfer obeys the grantor's list.
func TestTrustedRecipients(t *testing.T) {
	const delay = 3
	state := withCredits(t, "alice")
	var g map[string]any
	if err := json.Unmarshal(state["accounts"], &g); err != nil {
		t.Fatal(err)
	}
	g["trustedRecipientDelayBlocks"] = delay
	state["accounts"], _ = json.Marshal(g)
	c := apptest.New(t, state).ReplayAtEnd()
	c.OpenAccount("bob", 0, holder)
	c.OpenAccount("carol", 0, holder)
	c.OpenAccount("provider", 0, provider)

	reject(t, c, "alice", accounts.ErrInvalidTrusted, trusted(nil, nil, 0))
	reject(t, c, "alice", accounts.ErrInvalidTrusted, trusted([]string{"alice"}, nil, 0))
	reject(t, c, "alice", accounts.ErrInvalidTrusted, trusted(nil, []string{"bob"}, 0))
	reject(t, c, "alice", accounts.ErrInvalidTrusted, trusted(nil, nil, accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_OFF))
	reject(t, c, "alice", accounts.ErrUnknownAccount, trusted([]string{"nobody"}, nil, 0))

	c.MustExec("alice", send("bob", 1)) // unrestricted: any active account
	c.MustExec("alice", trusted(nil, nil, accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON))
	reject(t, c, "alice", accounts.ErrUntrustedRecipient, send("bob", 1))

	c.MustExec("alice", trusted([]string{"bob"}, nil, 0))
	added := c.Height
	reject(t, c, "alice", accounts.ErrInvalidTrusted, trusted([]string{"bob"}, nil, 0))
	for c.Height+1 < added+delay {
		reject(t, c, "alice", accounts.ErrUntrustedRecipient, send("bob", 1))
	}
	c.MustExec("alice", send("bob", 1)) // at added+delay
	if c.Height != added+delay {
		t.Fatalf("height %d, added %d", c.Height, added)
	}
	reject(t, c, "alice", accounts.ErrUntrustedRecipient, send("carol", 1))

	// The list answers with the heights.
	ans := &accountsv1.QueryTrustedRecipientsResponse{}
	if err := c.Read("/accounts/TrustedRecipients", &accountsv1.QueryTrustedRecipientsRequest{Account: apptest.Addr("alice").Hex()}, ans); err != nil {
		t.Fatal(err)
	}
	if len(ans.TrustedRecipients) != 1 || ans.TrustedRecipients[0].Recipient != c.AccountNumber("bob") || ans.TrustedRecipients[0].EffectiveHeight != added+delay {
		t.Fatalf("trusted recipients: %v", ans.TrustedRecipients)
	}

	// A provider moving alice's credits under her delegation obeys her list.
	c.MustExec("alice", grantMsg("provider", c.Height+100, 10, transferAction))
	viaAgent := send("carol", 1)
	viaAgent.OnBehalfOf = apptest.Addr("alice").Hex()
	reject(t, c, "provider", accounts.ErrUntrustedRecipient, viaAgent)

	// Removal is immediate.
	c.MustExec("alice", trusted(nil, []string{"bob"}, 0))
	reject(t, c, "alice", accounts.ErrUntrustedRecipient, send("bob", 1))

	// Lifting the restriction waits the delay as well.
	c.MustExec("alice", trusted(nil, nil, accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_OFF))
	off := c.Height + delay
	if a := account(t, c, "alice"); !a.TrustedRecipientsOnly || a.TrustedRecipientsOffHeight != off {
		t.Fatalf("account: %+v", a)
	}
	for c.Height+1 < off {
		reject(t, c, "alice", accounts.ErrUntrustedRecipient, send("carol", 1))
	}
	c.MustExec("alice", send("carol", 1))
	// Turning it on again is immediate.
	c.MustExec("alice", trusted(nil, nil, accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON))
	reject(t, c, "alice", accounts.ErrUntrustedRecipient, send("carol", 1))
	checkInvariants(t, c)
}
