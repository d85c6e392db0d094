package app_test

// The authorization matrix of the whole registry: every message of every
// module (x/accounts with its ministry proposals — validators, the ministry
// role, software upgrades, the use table —, x/projects, x/credits), signed
// by every kind of signer: each role, no account, and an account that is
// suspended, closed, or whose key was rotated away. The table below reads
// as the rules: who may send what. Every other cell is a refusal with one
// exact codespace and code, and a refusal leaves the state exactly as it
// was but for the signer's spent nonce (a key no account has has no nonce:
// its refusal changes nothing at all). Every transaction is replayed at the
// end and changes nothing. The signer kind "delegate" (authzDelegateRules:
// an account acting for another with on_behalf_of under an x/accounts
// delegation) has its rows too: in scope, without one, beyond its quantity,
// outside its actions, after expiry, after revocation. The member kinds
// (representative, approver, viewer, removed member of the holder "org")
// are columns of every row; TestAuthorizationHeldByThresholds shows what a
// threshold policy does to a representative's messages.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects"
)

// The matrix's columns: who signs.
var authzColumns = []struct{ column, signer string }{
	{"ministry", "meti"},
	{"secretariat", "secretariat"},
	{"verifier", "kiwa"},
	{"provider", "prov"},
	{"creator", "kyoto"},
	{"holder", "h1"},
	{"no account", "stranger"},
	{"suspended", "sus"},
	{"closed", "clo"},
	{"rotated key", "rot"},
	// Member keys of "org" (a holder without a threshold policy): a
	// representative acts as the account; an approver only approves; a
	// viewer signs nothing; a removed member's key is no key at all.
	{"member (representative)", "org-rep"},
	{"member (approver)", "org-apr"},
	{"viewer", "org-view"},
	{"removed member", "org-gone"},
}

// Who may: sets of role columns.
var (
	ministryOnly    = cols("ministry")
	secretariatOnly = cols("secretariat")
	verifierOnly    = cols("verifier")
	creatorOnly     = cols("creator")
	providerOnly    = cols("provider")
	everyRole       = cols("ministry", "secretariat", "verifier", "provider", "creator", "holder")
)

func cols(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// An authzRow is one message: who may send it, the module's "lacks the
// role" error for the others, and setup, which prepares what the message
// acts on (run once per row, on a fresh chain) and returns the message a
// signer sends. A signer allowed to send it gets a target of its own where
// one success would spoil the next column's.
type authzRow struct {
	msg   string
	allow map[string]bool
	deny  *module.Error
	setup func(t *testing.T, c *apptest.Chain) func(signer string) proto.Message
}

// same is a setup whose message is the same for every signer.
func same(m func(c *apptest.Chain) proto.Message) func(*testing.T, *apptest.Chain) func(string) proto.Message {
	return func(_ *testing.T, c *apptest.Chain) func(string) proto.Message {
		msg := m(c)
		return func(string) proto.Message { return msg }
	}
}

var authzRules = []authzRow{
	// x/accounts: the secretariat manages accounts; each holder rotates its
	// own key; ministries propose and approve.
	{"jcredit.accounts.v1.MsgOpenAccount", secretariatOnly, accounts.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgOpenAccount{Address: apptest.Addr("newcomer").Hex(), LegalName: "Newcomer K.K.",
			EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP", Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER}}
	})},
	{"jcredit.accounts.v1.MsgUpdateRoles", secretariatOnly, accounts.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgUpdateRoles{Address: apptest.Addr("target").Hex(), Roles: []accountsv1.Role{accountsv1.Role_ROLE_HOLDER, accountsv1.Role_ROLE_PROVIDER}}
	})},
	{"jcredit.accounts.v1.MsgSuspendAccount", secretariatOnly, accounts.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgSuspendAccount{Address: apptest.Addr("target").Hex(), Reason: "audit"}
	})},
	{"jcredit.accounts.v1.MsgReactivateAccount", secretariatOnly, accounts.ErrUnauthorized, same(func(c *apptest.Chain) proto.Message {
		c.MustExec("secretariat", &accountsv1.MsgSuspendAccount{Address: apptest.Addr("target").Hex(), Reason: "audit"})
		return &accountsv1.MsgReactivateAccount{Address: apptest.Addr("target").Hex(), Reason: "audit done"}
	})},
	{"jcredit.accounts.v1.MsgCloseAccount", secretariatOnly, accounts.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgCloseAccount{Address: apptest.Addr("target").Hex(), Reason: "left the scheme"}
	})},
	{"jcredit.accounts.v1.MsgRotateKey", everyRole, nil, func(t *testing.T, _ *apptest.Chain) func(string) proto.Message {
		return func(signer string) proto.Message {
			sig, err := accounts.SignRotation(apptest.ChainID, apptest.Addr(signer), apptest.Key(signer+"-new"))
			if err != nil {
				t.Fatal(err)
			}
			return &accountsv1.MsgRotateKey{NewAddress: apptest.Addr(signer + "-new").Hex(), NewKeySignature: sig}
		}
	}},
	{"jcredit.accounts.v1.MsgProposeValidatorChange", ministryOnly, accounts.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgProposeValidatorChange{Change: apptest.ProvePossession("prov-node", &accountsv1.ValidatorChange{
			Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD, PubKey: apptest.ConsensusKey("prov-node"), Power: 5,
			Operator: apptest.Addr("prov").Hex(), Name: "prov-node"})}
	})},
	{"jcredit.accounts.v1.MsgProposeMinistryRole", ministryOnly, accounts.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgProposeMinistryRole{Change: &accountsv1.MinistryRoleChange{Address: apptest.Addr("target").Hex(), Grant: true}}
	})},
	{"jcredit.accounts.v1.MsgProposeUpgrade", ministryOnly, accounts.ErrUnauthorized, same(func(c *apptest.Chain) proto.Message {
		return &accountsv1.MsgProposeUpgrade{Change: &accountsv1.UpgradeChange{Plan: &upgradev1.Plan{Name: "v3", Height: c.Height + 1000}}}
	})},
	{"jcredit.accounts.v1.MsgProposeUseTable", ministryOnly, accounts.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgProposeUseTable{Change: &accountsv1.UseTableChange{Table: credits.DefaultUseTable()}}
	})},
	{"jcredit.accounts.v1.MsgUpdateAccountDetails", secretariatOnly, accounts.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgUpdateAccountDetails{Address: apptest.Addr("target").Hex(), LegalName: "Target Holdings K.K.", Reason: "商号変更"}
	})},
	// Any account delegates for itself and revokes its own grants.
	{"jcredit.accounts.v1.MsgGrantDelegation", everyRole, nil, same(func(c *apptest.Chain) proto.Message {
		return &accountsv1.MsgGrantDelegation{Agent: apptest.Addr("target").Hex(), MaxQuantity: 5, ExpiresHeight: c.Height + 100,
			Actions: []accountsv1.DelegatedAction{accountsv1.DelegatedAction_DELEGATED_ACTION_RETIRE}}
	})},
	{"jcredit.accounts.v1.MsgRevokeDelegation", everyRole, nil, same(func(c *apptest.Chain) proto.Message {
		for _, s := range roleSigners {
			delegate(c, s, accountsv1.DelegatedAction_DELEGATED_ACTION_RETIRE, 5, c.Height+100, "target")
		}
		return &accountsv1.MsgRevokeDelegation{Agent: apptest.Addr("target").Hex()}
	})},
	{"jcredit.accounts.v1.MsgUpdateTrustedRecipients", everyRole, nil, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgUpdateTrustedRecipients{Add: []string{apptest.Addr("target").Hex()}, Restriction: accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON}
	})},
	// Members and thresholds: without a policy each account's primary key
	// sets up its members and policy; pending actions are approved by the
	// account's representatives and approvers, and withdrawn by its
	// representatives (org's: actions 1 and 2, each needing 3 of org's 3
	// keys able to approve, so that one approval leaves them pending).
	{"jcredit.accounts.v1.MsgUpdateMembers", everyRole, nil, func(*testing.T, *apptest.Chain) func(string) proto.Message {
		return func(signer string) proto.Message {
			return &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{{Address: apptest.Addr(signer + "-member").Hex(), Role: accountsv1.MemberRole_MEMBER_ROLE_APPROVER}}}
		}
	}},
	{"jcredit.accounts.v1.MsgSetThresholdPolicy", everyRole, nil, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgSetThresholdPolicy{Rules: []*accountsv1.ThresholdRule{{Class: accountsv1.ActionClass_ACTION_CLASS_RETIRE, Approvals: 1}}}
	})},
	{"jcredit.accounts.v1.MsgApproveAction", cols("member (representative)", "member (approver)"), accounts.ErrUnknownAction, func(t *testing.T, c *apptest.Chain) func(string) proto.Message {
		orgPending(t, c, 2)
		return func(signer string) proto.Message {
			if signer == "org-apr" {
				return &accountsv1.MsgApproveAction{ActionId: 2}
			}
			return &accountsv1.MsgApproveAction{ActionId: 1}
		}
	}},
	{"jcredit.accounts.v1.MsgCancelAction", cols("member (representative)"), accounts.ErrUnknownAction, func(t *testing.T, c *apptest.Chain) func(string) proto.Message {
		orgPending(t, c, 1)
		return func(string) proto.Message {
			return &accountsv1.MsgCancelAction{ActionId: 1, Reason: "initiated by mistake"}
		}
	}},
	{"jcredit.accounts.v1.MsgApproveProposal", ministryOnly, accounts.ErrUnauthorized, same(func(c *apptest.Chain) proto.Message {
		c.MustExec("moe", &accountsv1.MsgProposeValidatorChange{Change: &accountsv1.ValidatorChange{
			Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_SET_POWER, PubKey: apptest.ConsensusKey("maff"), Power: 12}})
		return &accountsv1.MsgApproveProposal{ProposalId: 1}
	})},

	// x/projects: ministries adopt methodologies, register, terminate and
	// certify; verifiers validate and verify; both may reject; creators
	// submit.
	{"jcredit.projects.v1.MsgAdoptMethodology", ministryOnly, projects.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &projectsv1.MsgAdoptMethodology{Code: "EN-R-001", Title: "Solar", Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY}
	})},
	{"jcredit.projects.v1.MsgSubmitProject", creatorOnly, projects.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return project16(0, 1)
	})},
	{"jcredit.projects.v1.MsgValidateProject", verifierOnly, projects.ErrUnauthorized, func(t *testing.T, c *apptest.Chain) func(string) proto.Message {
		id := submitted(t, c)
		return func(string) proto.Message { return &projectsv1.MsgValidateProject{ProjectId: id} }
	}},
	{"jcredit.projects.v1.MsgRegisterProject", ministryOnly, projects.ErrUnauthorized, func(t *testing.T, c *apptest.Chain) func(string) proto.Message {
		id := submitted(t, c)
		c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: id})
		return func(string) proto.Message { return &projectsv1.MsgRegisterProject{ProjectId: id} }
	}},
	{"jcredit.projects.v1.MsgRejectProject", ministryOrVerifier, projects.ErrUnauthorized, func(t *testing.T, c *apptest.Chain) func(string) proto.Message {
		a, b := submitted(t, c), submitted(t, c)
		return func(signer string) proto.Message {
			if signer == "kiwa" {
				return &projectsv1.MsgRejectProject{ProjectId: b, Reason: "no additionality"}
			}
			return &projectsv1.MsgRejectProject{ProjectId: a, Reason: "no additionality"}
		}
	}},
	{"jcredit.projects.v1.MsgTerminateProject", ministryOnly, projects.ErrUnauthorized, func(t *testing.T, c *apptest.Chain) func(string) proto.Message {
		id := registeredProject(t, c)
		return func(string) proto.Message {
			return &projectsv1.MsgTerminateProject{ProjectId: id, Reason: "site closed"}
		}
	}},
	{"jcredit.projects.v1.MsgSubmitReport", creatorOnly, projects.ErrUnauthorized, func(t *testing.T, c *apptest.Chain) func(string) proto.Message {
		id := registeredProject(t, c)
		return func(string) proto.Message { return monitoringReport(id, 2023) }
	}},
	{"jcredit.projects.v1.MsgVerifyReport", verifierOnly, projects.ErrUnauthorized, func(t *testing.T, c *apptest.Chain) func(string) proto.Message {
		r := submittedReport(t, c, registeredProject(t, c), 2023)
		return func(string) proto.Message { return &projectsv1.MsgVerifyReport{ReportId: r, VerifiedTCo2: 90} }
	}},
	{"jcredit.projects.v1.MsgCertifyReport", ministryOnly, projects.ErrUnauthorized, func(t *testing.T, c *apptest.Chain) func(string) proto.Message {
		r := submittedReport(t, c, registeredProject(t, c), 2023)
		c.MustExec("kiwa", &projectsv1.MsgVerifyReport{ReportId: r, VerifiedTCo2: 90})
		return func(string) proto.Message { return &projectsv1.MsgCertifyReport{ReportId: r} }
	}},
	{"jcredit.projects.v1.MsgRejectReport", ministryOrVerifier, projects.ErrUnauthorized, func(t *testing.T, c *apptest.Chain) func(string) proto.Message {
		p := registeredProject(t, c)
		a, b := submittedReport(t, c, p, 2023), submittedReport(t, c, p, 2024)
		return func(signer string) proto.Message {
			if signer == "kiwa" {
				return &projectsv1.MsgRejectReport{ReportId: b, Reason: "missing invoices"}
			}
			return &projectsv1.MsgRejectReport{ReportId: a, Reason: "missing invoices"}
		}
	}},

	// x/credits: whoever holds credits transfers and retires them; only a
	// provider retires on another account's behalf; ministries cancel,
	// label batches and import legacy credits.
	{"jcredit.credits.v1.MsgTransfer", everyRole, nil, same(func(*apptest.Chain) proto.Message {
		return &creditsv1.MsgTransfer{Recipient: apptest.Addr("h2").Hex(), Quantity: 1}
	})},
	{"jcredit.credits.v1.MsgRetire", everyRole, nil, same(func(*apptest.Chain) proto.Message {
		return &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Kyoto K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_GLOBAL_WARMING_ACT}, FiscalYear: 2025}
	})},
	{"jcredit.credits.v1.MsgRetire (for another account)", providerOnly, credits.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Osaka K.K.", BeneficiaryAccount: apptest.Addr("h2").Hex(),
			Uses: []creditsv1.Use{creditsv1.Use_USE_GLOBAL_WARMING_ACT}, FiscalYear: 2025}
	})},
	{"jcredit.credits.v1.MsgCancel", ministryOnly, credits.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &creditsv1.MsgCancel{Serials: []string{authzSerial(holdingOf("h1") + 1)}, Reason: "double counting"}
	})},
	{"jcredit.credits.v1.MsgSetBatchLabel", ministryOnly, credits.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &creditsv1.MsgSetBatchLabel{BatchId: creditstypes.BatchID(1), Reason: "ICAO list",
			Label: &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE, CorsiaPhase: creditsv1.CorsiaPhase(1)}}
	})},
	{"jcredit.credits.v1.MsgImportLegacyBatch", ministryOnly, credits.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return fuzzMsg(24, 0, 1)
	})},

	// Markets (issue 14): any holder locks its credits for a settlement
	// agent (tse); only the lock's agent settles or releases it, which no
	// column is; ministries mark GX-ETS operators and propose the cap.
	{"jcredit.credits.v1.MsgLock", everyRole, nil, same(func(c *apptest.Chain) proto.Message {
		return &creditsv1.MsgLock{Quantity: 1, Agent: apptest.Addr("tse").Hex(), ExpiresHeight: c.Height + 1000}
	})},
	{"jcredit.credits.v1.MsgSettle", cols(), credits.ErrNotAgent, same(func(c *apptest.Chain) proto.Message {
		c.MustExec("h1", &creditsv1.MsgLock{Quantity: 1, Agent: apptest.Addr("tse").Hex(), ExpiresHeight: c.Height + 1000})
		return &creditsv1.MsgSettle{LockId: "LK-00000001", Buyer: apptest.Addr("h2").Hex()}
	})},
	{"jcredit.credits.v1.MsgRelease", cols(), credits.ErrNotAgent, same(func(c *apptest.Chain) proto.Message {
		c.MustExec("h1", &creditsv1.MsgLock{Quantity: 1, Agent: apptest.Addr("tse").Hex(), ExpiresHeight: c.Height + 1000})
		return &creditsv1.MsgRelease{LockId: "LK-00000001"}
	})},
	// Any holder publishes an offer of its credits; only the offer's
	// holder (h2, given credits by h1; no column) withdraws it.
	{"jcredit.credits.v1.MsgPublishOffer", everyRole, nil, same(func(*apptest.Chain) proto.Message {
		return &creditsv1.MsgPublishOffer{Quantity: 10, PriceYenPerT: 3000, Contact: "sales desk"}
	})},
	{"jcredit.credits.v1.MsgWithdrawOffer", cols(), credits.ErrNotOfferHolder, same(func(c *apptest.Chain) proto.Message {
		c.MustExec("h1", &creditsv1.MsgTransfer{Recipient: apptest.Addr("h2").Hex(), Quantity: 10})
		c.MustExec("h2", &creditsv1.MsgPublishOffer{Quantity: 10, Contact: "h2"})
		return &creditsv1.MsgWithdrawOffer{OfferId: "OF-00000001"}
	})},
	// Any holder offers a two-step transfer; only its recipient accepts it
	// (h2, no column) and only its sender cancels it (h2's offer to target:
	// no column).
	{"jcredit.credits.v1.MsgOfferTransfer", everyRole, nil, same(func(*apptest.Chain) proto.Message {
		return &creditsv1.MsgOfferTransfer{Quantity: 1, Recipient: apptest.Addr("h2").Hex()}
	})},
	{"jcredit.credits.v1.MsgAcceptTransfer", cols(), credits.ErrNotRecipient, same(func(c *apptest.Chain) proto.Message {
		c.MustExec("h1", &creditsv1.MsgOfferTransfer{Quantity: 1, Recipient: apptest.Addr("h2").Hex()})
		return &creditsv1.MsgAcceptTransfer{LockId: "LK-00000001"}
	})},
	{"jcredit.credits.v1.MsgCancelTransfer", cols(), credits.ErrNotSender, same(func(c *apptest.Chain) proto.Message {
		c.MustExec("h1", &creditsv1.MsgTransfer{Recipient: apptest.Addr("h2").Hex(), Quantity: 1})
		c.MustExec("h2", &creditsv1.MsgOfferTransfer{Quantity: 1, Recipient: apptest.Addr("target").Hex()})
		return &creditsv1.MsgCancelTransfer{LockId: "LK-00000001"}
	})},
	{"jcredit.accounts.v1.MsgSetGxOperator", ministryOnly, accounts.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgSetGxOperator{Address: apptest.Addr("kyoto").Hex(), CorporateNumber: "1180301018771", FiscalYear: 2026,
			VerifiedTCo2: 100_000, DocumentHash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}
	})},
	{"jcredit.accounts.v1.MsgProposeGxEtsCap", ministryOnly, accounts.ErrUnauthorized, same(func(*apptest.Chain) proto.Message {
		return &accountsv1.MsgProposeGxEtsCap{Change: &accountsv1.GxEtsCapChange{CapPercent: 15}}
	})},
}

var ministryOrVerifier = cols("ministry", "verifier")

// representativeRefusals are the messages a representative member may not
// send though its account may: member and policy changes, while the
// account has no threshold policy.
var representativeRefusals = map[string]*module.Error{
	"jcredit.accounts.v1.MsgUpdateMembers":      accounts.ErrPrimaryKeyOnly,
	"jcredit.accounts.v1.MsgSetThresholdPolicy": accounts.ErrPrimaryKeyOnly,
}

// roleSigners are the signers of the role columns, and org, the account the
// representative member column acts as.
var roleSigners = []string{"meti", "secretariat", "kiwa", "prov", "kyoto", "h1", "org"}

// orgPending gives org a policy asking 3 approvals (of org, org-rep and
// org-apr) for retirements, and n retirements its primary key initiated:
// pending actions 1..n.
func orgPending(t *testing.T, c *apptest.Chain, n int) {
	t.Helper()
	c.MustExec("org", &accountsv1.MsgSetThresholdPolicy{Rules: []*accountsv1.ThresholdRule{{Class: accountsv1.ActionClass_ACTION_CLASS_RETIRE, Approvals: 3}}})
	for i := 0; i < n; i++ {
		res := c.MustExec("org", &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Org K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_GLOBAL_WARMING_ACT}, FiscalYear: 2025})
		if eventAttr(t, res, accounts.EventActionPending, "action") != fmt.Sprint(i+1) {
			t.Fatalf("retirement %d not held as action %d", i, i+1)
		}
	}
}

// delegate has grantor give agents a delegation of action (up to max
// credits, until expires).
func delegate(c *apptest.Chain, grantor string, action accountsv1.DelegatedAction, max uint64, expires int64, agents ...string) {
	for _, a := range agents {
		c.MustExec(grantor, &accountsv1.MsgGrantDelegation{Agent: apptest.Addr(a).Hex(), Actions: []accountsv1.DelegatedAction{action}, MaxQuantity: max, ExpiresHeight: expires})
	}
}

// authzDelegateRules are the signer kind "delegate": an account acting for
// another under x/accounts delegations (on_behalf_of). Only the holder of
// a delegation in force, for that action, within its quantity, may.
var authzDelegateRules = []authzRow{
	{"jcredit.credits.v1.MsgRetire (delegate: on behalf of grantor, delegated to the provider)", providerOnly, accounts.ErrNoDelegation, same(func(c *apptest.Chain) proto.Message {
		delegate(c, "grantor", accountsv1.DelegatedAction_DELEGATED_ACTION_RETIRE, 10, c.Height+100, "prov")
		return &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Grantor K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_GLOBAL_WARMING_ACT}, FiscalYear: 2025, OnBehalfOf: apptest.Addr("grantor").Hex()}
	})},
	{"jcredit.credits.v1.MsgTransfer (delegate: beyond the quantity)", cols(), accounts.ErrDelegationExhausted, same(func(c *apptest.Chain) proto.Message {
		delegate(c, "grantor", accountsv1.DelegatedAction_DELEGATED_ACTION_TRANSFER, 1, c.Height+100, roleSigners...)
		return &creditsv1.MsgTransfer{Recipient: apptest.Addr("h2").Hex(), Quantity: 2, OnBehalfOf: apptest.Addr("grantor").Hex()}
	})},
	{"jcredit.credits.v1.MsgTransfer (delegate: outside the actions)", cols(), accounts.ErrOutsideDelegation, same(func(c *apptest.Chain) proto.Message {
		delegate(c, "grantor", accountsv1.DelegatedAction_DELEGATED_ACTION_RETIRE, 10, c.Height+100, roleSigners...)
		return &creditsv1.MsgTransfer{Recipient: apptest.Addr("h2").Hex(), Quantity: 1, OnBehalfOf: apptest.Addr("grantor").Hex()}
	})},
	{"jcredit.credits.v1.MsgTransfer (a grantor restricted to trusted recipients, the recipient not yet in effect)", cols(), accounts.ErrUntrustedRecipient, same(func(c *apptest.Chain) proto.Message {
		delegate(c, "grantor", accountsv1.DelegatedAction_DELEGATED_ACTION_TRANSFER, 10, c.Height+100, roleSigners...)
		c.MustExec("grantor", &accountsv1.MsgUpdateTrustedRecipients{Add: []string{apptest.Addr("h2").Hex()}, Restriction: accountsv1.TrustedRestriction_TRUSTED_RESTRICTION_ON})
		return &creditsv1.MsgTransfer{Recipient: apptest.Addr("h2").Hex(), Quantity: 1, OnBehalfOf: apptest.Addr("grantor").Hex()}
	})},
	{"jcredit.credits.v1.MsgRetire (delegate: after expiry)", cols(), accounts.ErrDelegationExpired, same(func(c *apptest.Chain) proto.Message {
		delegate(c, "grantor", accountsv1.DelegatedAction_DELEGATED_ACTION_RETIRE, 10, c.Height+len64(roleSigners), roleSigners...)
		c.Block()
		return &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Grantor K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_GLOBAL_WARMING_ACT}, FiscalYear: 2025, OnBehalfOf: apptest.Addr("grantor").Hex()}
	})},
	{"jcredit.credits.v1.MsgRetire (delegate: after revocation)", cols(), accounts.ErrNoDelegation, same(func(c *apptest.Chain) proto.Message {
		delegate(c, "grantor", accountsv1.DelegatedAction_DELEGATED_ACTION_RETIRE, 10, c.Height+100, roleSigners...)
		for _, a := range roleSigners {
			c.MustExec("grantor", &accountsv1.MsgRevokeDelegation{Agent: apptest.Addr(a).Hex()})
		}
		return &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Grantor K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_GLOBAL_WARMING_ACT}, FiscalYear: 2025, OnBehalfOf: apptest.Addr("grantor").Hex()}
	})},
	{"jcredit.projects.v1.MsgSubmitProject (delegate: for osaka, delegated to the provider)", providerOnly, accounts.ErrNoDelegation, same(func(c *apptest.Chain) proto.Message {
		delegate(c, "osaka", accountsv1.DelegatedAction_DELEGATED_ACTION_SUBMIT_PROJECT, 0, c.Height+100, "prov")
		m := project16(0, 1).(*projectsv1.MsgSubmitProject)
		m.OnBehalfOf = apptest.Addr("osaka").Hex()
		return m
	})},
	{"jcredit.projects.v1.MsgSubmitReport (delegate: for osaka, delegated to the provider)", providerOnly, accounts.ErrNoDelegation, func(t *testing.T, c *apptest.Chain) func(string) proto.Message {
		id := eventAttr(t, c.MustExec("osaka", project16(0, 1)), projects.EventProjectStatus, "project")
		c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: id})
		c.MustExec("meti", &projectsv1.MsgRegisterProject{ProjectId: id})
		delegate(c, "osaka", accountsv1.DelegatedAction_DELEGATED_ACTION_SUBMIT_REPORT, 0, c.Height+100, "prov")
		m := monitoringReport(id, 2023)
		m.OnBehalfOf = apptest.Addr("osaka").Hex()
		return func(string) proto.Message { return m }
	}},
}

func len64[T any](s []T) int64 { return int64(len(s)) }

// authzHolders hold 100 credits of batch 1 each, in this order.
var authzHolders = []string{"meti", "secretariat", "kiwa", "prov", "kyoto", "h1", "sus", "rot", "grantor", "org"}

func holdingOf(name string) uint64 {
	for i, h := range authzHolders {
		if h == name {
			return uint64(100 * i)
		}
	}
	panic(name)
}

func authzSerial(n uint64) string {
	return creditstypes.FormatSerial(creditstypes.Serial{Batch: 1, Start: n, End: n,
		Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageYear: 2024})
}

// authzChain: the administrators (meti, moe, maff, secretariat, each
// running a validator), a verifier, a provider, a creator, holders; sus
// suspended, clo closed, rot rotated to rot-new; batch 1 held 100 credits
// each by authzHolders; two methodologies.
func authzChain(t *testing.T) *apptest.Chain {
	t.Helper()
	accs := apptest.DefaultAccounts()
	add := func(name string, roles ...accountsv1.Role) {
		accs = append(accs, apptest.GenesisAccount{Name: name, Roles: roles})
	}
	add("kiwa", accountsv1.Role_ROLE_VERIFIER)
	add("prov", accountsv1.Role_ROLE_PROVIDER)
	add("kyoto", accountsv1.Role_ROLE_CREATOR)
	add("osaka", accountsv1.Role_ROLE_CREATOR)  // delegates filing (authzDelegateRules)
	add("grantor", accountsv1.Role_ROLE_HOLDER) // delegates its credits (authzDelegateRules)
	for _, n := range []string{"h1", "h2", "sus", "clo", "rot", "target", "org"} {
		add(n, accountsv1.Role_ROLE_HOLDER)
	}
	add("tse", accountsv1.Role_ROLE_SETTLEMENT)
	var g map[string]any
	if err := json.Unmarshal(apptest.AccountsGenesis(accs), &g); err != nil {
		t.Fatal(err)
	}
	var vals []abci.ValidatorUpdate
	var entries []map[string]any
	for _, n := range []string{"meti", "moe", "maff", "secretariat"} {
		vals = append(vals, abci.ValidatorUpdate{PubKeyType: "ed25519", PubKeyBytes: apptest.ConsensusKey(n), Power: 10})
		entries = append(entries, map[string]any{"pubKey": apptest.ConsensusKey(n), "power": "10", "operator": apptest.Addr(n).Hex(), "name": n})
	}
	g["validators"] = entries
	aj, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	b := &creditsv1.Batch{Id: creditstypes.BatchID(1), Number: 1, ProjectId: "P", ReportId: "R", Methodology: "EN-R-002",
		Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageStart: "2024-04-01", VintageEnd: "2024-12-31", Issued: uint64(100 * len(authzHolders))}
	cg := &creditsv1.GenesisState{Batches: []*creditsv1.Batch{b}}
	for _, h := range authzHolders {
		cg.Ranges = append(cg.Ranges, &creditsv1.Range{BatchId: b.Id, Start: holdingOf(h) + 1, End: holdingOf(h) + 100,
			Owner: apptest.Addr(h).Hex(), Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE})
	}
	cj, err := protojson.Marshal(cg)
	if err != nil {
		t.Fatal(err)
	}
	pj, err := protojson.Marshal(&projectsv1.GenesisState{Methodologies: []*projectsv1.Methodology{
		{Code: "EN-S-001", Title: "Boiler replacement", Category: creditsv1.Category_CATEGORY_ENERGY_SAVING},
		{Code: "FO-001", Title: "Forest management", Category: creditsv1.Category_CATEGORY_FOREST},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c := apptest.NewWithValidators(t, app.GenesisState{"accounts": aj, "credits": cj, "projects": pj}, vals).ReplayAtEnd()
	c.MustExec("secretariat", &accountsv1.MsgSuspendAccount{Address: apptest.Addr("sus").Hex(), Reason: "audit"})
	c.MustExec("secretariat", &accountsv1.MsgCloseAccount{Address: apptest.Addr("clo").Hex(), Reason: "left the scheme"})
	sig, err := accounts.SignRotation(apptest.ChainID, apptest.Addr("rot"), apptest.Key("rot-new"))
	if err != nil {
		t.Fatal(err)
	}
	c.MustExec("rot", &accountsv1.MsgRotateKey{NewAddress: apptest.Addr("rot-new").Hex(), NewKeySignature: sig})
	member := func(name string, role accountsv1.MemberRole) *accountsv1.MemberChange {
		return &accountsv1.MemberChange{Address: apptest.Addr(name).Hex(), Role: role}
	}
	c.MustExec("org", &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{
		member("org-rep", accountsv1.MemberRole_MEMBER_ROLE_REPRESENTATIVE), member("org-apr", accountsv1.MemberRole_MEMBER_ROLE_APPROVER),
		member("org-view", accountsv1.MemberRole_MEMBER_ROLE_VIEWER), member("org-gone", accountsv1.MemberRole_MEMBER_ROLE_REPRESENTATIVE)}})
	c.MustExec("org", &accountsv1.MsgUpdateMembers{Changes: []*accountsv1.MemberChange{{Address: apptest.Addr("org-gone").Hex(), Remove: true}}})
	return c
}

func eventAttr(t *testing.T, res *abci.ExecTxResult, typ, key string) string {
	t.Helper()
	for _, e := range res.Events {
		if e.Type != typ {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == key {
				return a.Value
			}
		}
	}
	t.Fatalf("no %s.%s in %v", typ, key, res.Events)
	return ""
}

func submitted(t *testing.T, c *apptest.Chain) string {
	return eventAttr(t, c.MustExec("kyoto", project16(0, 1)), projects.EventProjectStatus, "project")
}

func registeredProject(t *testing.T, c *apptest.Chain) string {
	id := submitted(t, c)
	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: id})
	c.MustExec("meti", &projectsv1.MsgRegisterProject{ProjectId: id})
	return id
}

func monitoringReport(project string, fy int) *projectsv1.MsgSubmitReport {
	return &projectsv1.MsgSubmitReport{ProjectId: project, PeriodStart: fmt.Sprintf("%d-04-01", fy), PeriodEnd: fmt.Sprintf("%d-03-31", fy+1),
		ClaimedTCo2: 100, DocumentHash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}
}

func submittedReport(t *testing.T, c *apptest.Chain, project string, fy int) string {
	return eventAttr(t, c.MustExec("kyoto", monitoringReport(project, fy)), projects.EventReportStatus, "report")
}

// wantFor is the outcome of a row's message signed in a column: nil
// (allowed) or the exact error. The signer's standing is checked before
// any module sees the message.
func (r authzRow) wantFor(column string) *module.Error {
	switch column {
	case "no account":
		return accounts.ErrUnknownSigner
	case "suspended", "closed":
		return accounts.ErrAccountInactive
	case "rotated key":
		return accounts.ErrKeyRotated
	case "removed member":
		return accounts.ErrMemberRemoved
	case "viewer":
		return accounts.ErrViewerCannotSign
	case "member (approver)":
		if r.allow[column] {
			return nil
		}
		return accounts.ErrApproverOnlyApproves
	case "member (representative)":
		// A representative acts as its account (org, a holder), except
		// that without a policy only the primary key sets up members and
		// the policy.
		if e, ok := representativeRefusals[strings.Fields(r.msg)[0]]; ok {
			return e
		}
		if r.allow[column] {
			return nil
		}
		return r.wantFor("holder")
	}
	if r.allow[column] {
		return nil
	}
	return r.deny
}

func TestAuthorizationMatrixAcrossModules(t *testing.T) {
	// Every routed message has a row.
	covered := map[string]bool{}
	for _, r := range authzRules {
		covered[strings.Fields(r.msg)[0]] = true
	}
	for _, name := range apptest.NewInMemory(t, fuzzGenesis(t)).App.Router().Names() {
		if !covered[name] {
			t.Errorf("message %s has no row in the authorization matrix", name)
		}
	}

	for _, r := range append(append([]authzRow(nil), authzRules...), authzDelegateRules...) {
		t.Run(r.msg, func(t *testing.T) {
			c := authzChain(t)
			msg := r.setup(t, c)
			// Refusals first (each must leave the state as it was but for
			// the nonce), then the signers allowed.
			for _, allowedPass := range []bool{false, true} {
				for _, col := range authzColumns {
					want := r.wantFor(col.column)
					if (want == nil) != allowedPass {
						continue
					}
					if want == nil {
						if got := c.Exec(col.signer, msg(col.signer)); got.Code != 0 {
							t.Errorf("%s: refused %s/%d: %s", col.column, got.Codespace, got.Code, got.Log)
						}
						continue
					}
					got := c.ExecFails(col.signer, msg(col.signer))
					if got.Codespace != want.Codespace || got.Code != want.Code {
						t.Errorf("%s: got %s/%d (%s), want %s/%d (%s)", col.column, got.Codespace, got.Code, got.Log, want.Codespace, want.Code, want.Desc)
					}
				}
			}
		})
	}
}
