package accounts_test

// The authorization matrix: every accounts message signed by every kind of
// signer — each role, no account, a suspended, a closed and a rotated-away
// key — is either allowed or refused with one exact code, and a refusal
// leaves the state exactly as it was but for the signer's spent nonce (a
// key no account has has none to spend).

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	"github.com/jcredit/jcredit/x/module"
)

// columns maps the matrix's columns to the account that signs.
var columns = []struct{ column, signer string }{
	{"ministry", "meti"},
	{"secretariat", "secretariat"},
	{"verifier", "verifier"},
	{"provider", "provider"},
	{"creator", "creator"},
	{"holder", "holder"},
	{"no account", "stranger"},
	{"suspended", "suspended"},
	{"closed", "closed"},
	{"rotated key", "rotated"},
}

// matrixChain has a validator set and one account per column, plus a
// "target" holder that status changes act on.
func matrixChain(t *testing.T) *apptest.Chain {
	t.Helper()
	c := governanceChain(t) // meti, moe, maff, secretariat; provider
	c.OpenAccount("verifier", 0, verifier)
	c.OpenAccount("creator", 0, creator)
	for _, n := range []string{"holder", "suspended", "closed", "rotated", "target"} {
		c.OpenAccount(n, 0, holder)
	}
	c.MustExec("secretariat", suspendMsg("suspended"))
	c.MustExec("secretariat", closeMsg("closed"))
	c.MustExec("rotated", rotateMsg(t, apptest.ChainID, "rotated", "rotated-new"))
	return c
}

// pendingFor gives signer's account (if it can sign) a member, a policy
// asking two approvals for key and member changes, and a pending action
// the member initiated; it returns the action's id (1 otherwise: some
// account's, or none).
func pendingFor(t *testing.T, c *apptest.Chain, signer string) uint64 {
	t.Helper()
	if c.AccountNumber(signer) == 0 || signer == "suspended" || signer == "closed" {
		return 1
	}
	c.MustExec(signer, addMember(signer+"-m", representative))
	c.MustExec(signer, policy(rule(keysClass, 2, 0)))
	return heldID(t, c.MustExec(signer+"-m", &accountsv1.MsgUpdateTrustedRecipients{Restriction: accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON}))
}

// row is one message: how to build it on a fresh matrix chain for a signer
// (preparing whatever state it acts on), and the outcome per column that is
// not the same for every message (nil: allowed).
type row struct {
	msg   func(t *testing.T, c *apptest.Chain, signer string) proto.Message
	allow map[string]bool // columns allowed; every other role column gets ErrUnauthorized
}

func TestAuthorizationMatrix(t *testing.T) {
	secretariatOnly := map[string]bool{"secretariat": true}
	ministryOnly := map[string]bool{"ministry": true}
	everyRole := map[string]bool{"ministry": true, "secretariat": true, "verifier": true, "provider": true, "creator": true, "holder": true}
	rows := map[string]row{
		"MsgOpenAccount":    {func(*testing.T, *apptest.Chain, string) proto.Message { return openMsg("newcomer", holder) }, secretariatOnly},
		"MsgUpdateRoles":    {func(*testing.T, *apptest.Chain, string) proto.Message { return rolesMsg("target", holder, provider) }, secretariatOnly},
		"MsgSuspendAccount": {func(*testing.T, *apptest.Chain, string) proto.Message { return suspendMsg("target") }, secretariatOnly},
		"MsgReactivateAccount": {func(t *testing.T, c *apptest.Chain, _ string) proto.Message {
			c.MustExec("secretariat", suspendMsg("target"))
			return reactivateMsg("target")
		}, secretariatOnly},
		"MsgCloseAccount": {func(*testing.T, *apptest.Chain, string) proto.Message { return closeMsg("target") }, secretariatOnly},
		"MsgRotateKey": {func(t *testing.T, _ *apptest.Chain, signer string) proto.Message {
			return rotateMsg(t, apptest.ChainID, signer, signer+"-new")
		}, everyRole},
		"MsgProposeValidatorChange": {func(*testing.T, *apptest.Chain, string) proto.Message {
			return addValidator("provider-node", "provider", 5)
		}, ministryOnly},
		"MsgProposeMinistryRole": {func(*testing.T, *apptest.Chain, string) proto.Message { return ministryRole("target", true) }, ministryOnly},
		"MsgProposeUpgrade": {func(_ *testing.T, c *apptest.Chain, _ string) proto.Message {
			return &accountsv1.MsgProposeUpgrade{Change: &accountsv1.UpgradeChange{
				Plan: &upgradev1.Plan{Name: "v2", Height: c.Height + 100},
			}}
		}, ministryOnly},
		"MsgProposeUseTable": {func(*testing.T, *apptest.Chain, string) proto.Message {
			return &accountsv1.MsgProposeUseTable{Change: &accountsv1.UseTableChange{Table: credits.DefaultUseTable()}}
		}, ministryOnly},
		"MsgSetGxOperator": {func(*testing.T, *apptest.Chain, string) proto.Message {
			// 1180301018771: a 法人番号 with a valid check digit.
			return &accountsv1.MsgSetGxOperator{Address: apptest.Addr("target").Hex(), CorporateNumber: "1180301018771", FiscalYear: 2026,
				VerifiedTCo2: 150_000, DocumentHash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}
		}, ministryOnly},
		"MsgProposeGxEtsCap": {func(*testing.T, *apptest.Chain, string) proto.Message {
			return &accountsv1.MsgProposeGxEtsCap{Change: &accountsv1.GxEtsCapChange{CapPercent: 15}}
		}, ministryOnly},
		"MsgUpdateAccountDetails": {func(*testing.T, *apptest.Chain, string) proto.Message {
			return &accountsv1.MsgUpdateAccountDetails{Address: apptest.Addr("target").Hex(), LegalName: "Target Holdings K.K.", Reason: "商号変更"}
		}, secretariatOnly},
		"MsgGrantDelegation": {func(_ *testing.T, c *apptest.Chain, _ string) proto.Message {
			return grantMsg("target", c.Height+10, 100, retireAction)
		}, everyRole},
		"MsgRevokeDelegation": {func(t *testing.T, c *apptest.Chain, signer string) proto.Message {
			if c.AccountNumber(signer) != 0 && signer != "suspended" && signer != "closed" {
				c.MustExec(signer, grantMsg("target", c.Height+10, 100, retireAction))
			}
			return &accountsv1.MsgRevokeDelegation{Agent: apptest.Addr("target").Hex()}
		}, everyRole},
		"MsgUpdateTrustedRecipients": {func(*testing.T, *apptest.Chain, string) proto.Message {
			return &accountsv1.MsgUpdateTrustedRecipients{Add: []string{apptest.Addr("target").Hex()}, Restriction: accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON}
		}, everyRole},
		// Members and thresholds: without a policy the primary key sets up
		// members and the policy; each account approves or cancels only
		// its own pending actions (pendingFor gives each role one).
		"MsgUpdateMembers": {func(_ *testing.T, _ *apptest.Chain, signer string) proto.Message {
			return addMember(signer+"-m", representative)
		}, everyRole},
		"MsgSetThresholdPolicy": {func(*testing.T, *apptest.Chain, string) proto.Message {
			return policy(rule(retireClass, 1, 0))
		}, everyRole},
		"MsgApproveAction": {func(t *testing.T, c *apptest.Chain, signer string) proto.Message {
			return &accountsv1.MsgApproveAction{ActionId: pendingFor(t, c, signer)}
		}, everyRole},
		"MsgCancelAction": {func(t *testing.T, c *apptest.Chain, signer string) proto.Message {
			return &accountsv1.MsgCancelAction{ActionId: pendingFor(t, c, signer), Reason: "initiated by mistake"}
		}, everyRole},
		"MsgApproveProposal": {func(t *testing.T, c *apptest.Chain, _ string) proto.Message {
			c.MustExec("moe", setPower("maff", 20))
			return approve(1)
		}, ministryOnly},
	}
	// Every registered accounts message has a row.
	for _, name := range apptest.New(t, nil).App.Router().Names() {
		if short, ok := strings.CutPrefix(name, "jcredit.accounts.v1."); ok {
			if _, ok := rows[short]; !ok {
				t.Errorf("message %s has no row in the authorization matrix", name)
			}
		}
	}

	for msgName, r := range rows {
		for _, col := range columns {
			var want *module.Error
			switch {
			case col.column == "no account":
				want = accounts.ErrUnknownSigner
			case col.column == "suspended" || col.column == "closed":
				want = accounts.ErrAccountInactive
			case col.column == "rotated key":
				want = accounts.ErrKeyRotated
			case !r.allow[col.column]:
				want = accounts.ErrUnauthorized
			}
			t.Run(msgName+"/"+col.column, func(t *testing.T) {
				c := matrixChain(t)
				msg := r.msg(t, c, col.signer)
				if want == nil {
					wantCode(t, c.Exec(col.signer, msg), nil)
					return
				}
				reject(t, c, col.signer, want, msg)
			})
		}
	}
}
