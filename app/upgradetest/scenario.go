// Package upgradetest holds what the state-migration tests share with the
// program that wrote their fixture: one scenario of real signed
// transactions that exercises every kind of record the registry keeps.
//
// The scenario is run twice. The v1 fixture generator (v1gen, built only
// with the v1fixture tag, inside a checkout of release v0.2.0 made by
// scripts/gen-v1-fixture.sh) runs it on that release's binary and writes
// the committed tree to app/testdata/state-v1.json.gz. The migration test
// (app/upgrade_v2_test.go) loads that tree, lets this binary migrate it, and
// runs the same scenario on this binary from genesis, to compare the two
// states. So this file must compile against both releases: it uses only
// messages, fields and apptest functions present in both (a program's
// members travel as JSON, since their Go type was renamed).
//
// Every transaction of the scenario succeeds: a state built by it does not
// depend on how a release treats rejected transactions.
package upgradetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
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
)

// PlanName is the upgrade the scenario's ministries schedule last.
const PlanName = "v2"

// ProposalTTL is the genesis proposal lifetime: short, so that one
// proposal of the scenario expires.
const ProposalTTL = 8

var (
	ministry    = accountsv1.Role_ROLE_MINISTRY
	secretariat = accountsv1.Role_ROLE_SECRETARIAT
	verifier    = accountsv1.Role_ROLE_VERIFIER
	provider    = accountsv1.Role_ROLE_PROVIDER
	creator     = accountsv1.Role_ROLE_CREATOR
	holder      = accountsv1.Role_ROLE_HOLDER
)

// genesisNames are the accounts at genesis, each operating a validator.
var genesisNames = []string{"meti", "moe", "maff", "secretariat"}

// Genesis is the scenario's genesis: the ministries and the secretariat,
// listed in address order (so that a chain started from it numbers them
// as the v2 migration numbers accounts opened in the same block), one
// validator each, and a short proposal lifetime.
func Genesis() (app.GenesisState, []abci.ValidatorUpdate) {
	names := append([]string(nil), genesisNames...)
	sort.Slice(names, func(i, j int) bool {
		return bytes.Compare(apptest.Addr(names[i]).Bytes(), apptest.Addr(names[j]).Bytes()) < 0
	})
	g := &accountsv1.GenesisState{ProposalTtlBlocks: ProposalTTL}
	var vals []abci.ValidatorUpdate
	for _, n := range names {
		role := ministry
		kind := accountsv1.EntityKind_ENTITY_KIND_GOVERNMENT
		if n == "secretariat" {
			role, kind = secretariat, accountsv1.EntityKind_ENTITY_KIND_CORPORATION
		}
		g.Accounts = append(g.Accounts, &accountsv1.Account{
			Address: apptest.Addr(n).Hex(), LegalName: n, EntityKind: kind, Country: "JP", Roles: []accountsv1.Role{role},
		})
		g.Validators = append(g.Validators, &accountsv1.Validator{
			PubKey: apptest.ConsensusKey(n), Power: 10, Operator: apptest.Addr(n).Hex(), Name: n + "-node",
		})
		vals = append(vals, abci.ValidatorUpdate{PubKeyType: "ed25519", PubKeyBytes: apptest.ConsensusKey(n), Power: 10})
	}
	return app.GenesisState{"accounts": mustJSON(g)}, vals
}

// NewChain starts a chain from Genesis.
func NewChain(t testing.TB) *apptest.Chain {
	g, vals := Genesis()
	return apptest.NewWithValidators(t, g, vals)
}

func mustJSON(m proto.Message) json.RawMessage {
	bz, err := protojson.Marshal(m)
	if err != nil {
		panic(err)
	}
	return bz
}

// Build runs the scenario on c (started from Genesis) and returns the
// height at which the ministries scheduled upgrade PlanName: the block
// after the chain's last, c.Height+1.
//
// It leaves: every role; accounts opened alone and two in one block;
// a role change, a suspended, a reactivated and a closed account; key
// rotations of a holder (after she retired, and before she retires again)
// and of a ministry (while its proposal was pending); applied and expired
// proposals of every kind; methodologies; a standard and a program-type
// project through certification, a rejected project, a rejected report, a
// terminated project; transfers by quantity (with a filter) and by serials;
// retirements for seven uses, one on a client's behalf; a cancellation.
func Build(c *apptest.Chain) int64 {
	open := func(name string, roles ...accountsv1.Role) *accountsv1.MsgOpenAccount {
		return &accountsv1.MsgOpenAccount{Address: apptest.Addr(name).Hex(), LegalName: name + " K.K.",
			EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP", Roles: roles}
	}
	// Accounts, one block each, and two in one block (address order, the
	// order the migration gives accounts of the same height).
	for _, a := range []struct {
		name  string
		roles []accountsv1.Role
	}{
		{"kiwa", []accountsv1.Role{verifier}}, {"jqa", []accountsv1.Role{verifier}},
		{"broker", []accountsv1.Role{provider}}, {"kyoto", []accountsv1.Role{creator}},
		{"farm-a", []accountsv1.Role{creator}}, {"farm-b", []accountsv1.Role{creator}}, {"farm-c", []accountsv1.Role{creator}},
		{"alice", []accountsv1.Role{holder}}, {"bob", []accountsv1.Role{holder}}, {"client", []accountsv1.Role{holder}},
		{"stolen", []accountsv1.Role{holder}}, {"react", []accountsv1.Role{holder}}, {"gone", []accountsv1.Role{holder}},
		{"mlit", []accountsv1.Role{holder}},
	} {
		c.MustExec("secretariat", open(a.name, a.roles...))
	}
	pair := []string{"carol", "dave"}
	sort.Slice(pair, func(i, j int) bool {
		return bytes.Compare(apptest.Addr(pair[i]).Bytes(), apptest.Addr(pair[j]).Bytes()) < 0
	})
	c.MustExec("secretariat", open(pair[0], holder), open(pair[1], holder))
	c.MustExec("secretariat", &accountsv1.MsgUpdateRoles{Address: apptest.Addr("broker").Hex(), Roles: []accountsv1.Role{provider, holder}})

	// Methodologies.
	for _, m := range []*projectsv1.MsgAdoptMethodology{
		{Code: "EN-S-001", Title: "Boiler replacement", Category: creditsv1.Category_CATEGORY_ENERGY_SAVING},
		{Code: "EN-R-002", Title: "Solar power generation", Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY},
		{Code: "FO-001", Title: "Forest management", Category: creditsv1.Category_CATEGORY_FOREST},
	} {
		c.MustExec("meti", m)
	}

	// A standard project (JCP-000001) through two certified reports, and a
	// rejected one in between.
	c.MustExec("kyoto", &projectsv1.MsgSubmitProject{
		Name: "Kyoto plant boiler replacement", Kind: projectsv1.ProjectKind_PROJECT_KIND_STANDARD,
		Methodology: "EN-S-001", Prefecture: "JP-26", CreditingStart: "2023-04-01", CreditingEnd: "2031-03-31",
		ExpectedReductions: 12000, PlanHash: planHash,
	})
	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: "JCP-000001"})
	c.MustExec("meti", &projectsv1.MsgRegisterProject{ProjectId: "JCP-000001"})
	report := func(signer, project, start, end string, claim uint64) {
		c.MustExec(signer, &projectsv1.MsgSubmitReport{ProjectId: project, PeriodStart: start, PeriodEnd: end, ClaimedTCo2: claim, DocumentHash: docHash})
	}
	report("kyoto", "JCP-000001", "2023-04-01", "2024-03-31", 1200)
	c.MustExec("kiwa", &projectsv1.MsgVerifyReport{ReportId: "JCP-000001-R001", VerifiedTCo2: 1000})
	c.MustExec("moe", &projectsv1.MsgCertifyReport{ReportId: "JCP-000001-R001"}) // JC-00000001, 1000 to kyoto
	report("kyoto", "JCP-000001", "2024-04-01", "2025-03-31", 700)
	c.MustExec("kiwa", &projectsv1.MsgRejectReport{ReportId: "JCP-000001-R002", Reason: "invoices missing"})
	report("kyoto", "JCP-000001", "2024-04-01", "2025-03-31", 500)
	c.MustExec("jqa", &projectsv1.MsgVerifyReport{ReportId: "JCP-000001-R003", VerifiedTCo2: 500})
	c.MustExec("maff", &projectsv1.MsgCertifyReport{ReportId: "JCP-000001-R003"}) // JC-00000002, 500 to kyoto

	// A program-type project (JCP-000002) of three farms, certified with
	// CORSIA eligibility: its credits are split among the members.
	program := &projectsv1.MsgSubmitProject{}
	members := fmt.Sprintf(`{"name": "Kyoto farmers' solar program", "kind": "PROJECT_KIND_PROGRAM",
		"members": [
			{"name": "Farm A", "site": "Kameoka", "address": %q, "shareBps": 5000},
			{"name": "Farm B", "site": "Nantan", "address": %q, "shareBps": 3000},
			{"name": "Farm C", "site": "Ayabe", "address": %q, "shareBps": 2000}],
		"methodology": "EN-R-002", "prefecture": "JP-26", "creditingStart": "2023-04-01", "creditingEnd": "2031-03-31",
		"expectedReductions": "3000", "planHash": %q}`,
		apptest.Addr("farm-a").Hex(), apptest.Addr("farm-b").Hex(), apptest.Addr("farm-c").Hex(), planHash)
	if err := protojson.Unmarshal([]byte(members), program); err != nil {
		panic(err)
	}
	c.MustExec("kyoto", program)
	c.MustExec("jqa", &projectsv1.MsgValidateProject{ProjectId: "JCP-000002"})
	c.MustExec("maff", &projectsv1.MsgRegisterProject{ProjectId: "JCP-000002"})
	report("kyoto", "JCP-000002", "2023-04-01", "2024-03-31", 900)
	c.MustExec("kiwa", &projectsv1.MsgVerifyReport{ReportId: "JCP-000002-R001", VerifiedTCo2: 900})
	c.MustExec("meti", &projectsv1.MsgCertifyReport{ReportId: "JCP-000002-R001", CorsiaEligible: true}) // JC-00000003: 450/270/180

	// A rejected project (JCP-000003) and a terminated one (JCP-000004).
	forest := &projectsv1.MsgSubmitProject{
		Name: "Tamba forest thinning", Kind: projectsv1.ProjectKind_PROJECT_KIND_STANDARD,
		Methodology: "FO-001", Prefecture: "JP-26", CreditingStart: "2024-04-01", CreditingEnd: "2031-03-31",
		ExpectedReductions: 4000, PlanHash: planHash,
	}
	c.MustExec("kyoto", forest)
	c.MustExec("meti", &projectsv1.MsgRejectProject{ProjectId: "JCP-000003", Reason: "no additionality"})
	c.MustExec("kyoto", forest)
	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: "JCP-000004"})
	c.MustExec("moe", &projectsv1.MsgRegisterProject{ProjectId: "JCP-000004"})
	c.MustExec("moe", &projectsv1.MsgTerminateProject{ProjectId: "JCP-000004", Reason: "site sold"})

	// Transfers: by quantity (oldest first), by quantity with a category
	// filter, by serials.
	c.MustExec("kyoto", &creditsv1.MsgTransfer{Recipient: apptest.Addr("alice").Hex(), Quantity: 300})
	c.MustExec("kyoto", &creditsv1.MsgTransfer{Recipient: apptest.Addr("broker").Hex(), Serials: []string{"JC-00000001-ES-2023-0000000301-0000000400"}})
	c.MustExec("farm-a", &creditsv1.MsgTransfer{Recipient: apptest.Addr("alice").Hex(), Quantity: 200,
		Filter: &creditsv1.Filter{Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY}})
	c.MustExec("farm-b", &creditsv1.MsgTransfer{Recipient: apptest.Addr("bob").Hex(), Serials: []string{"JC-00000003-RE-2023-0000000451-0000000500"}})
	c.MustExec("broker", &creditsv1.MsgTransfer{Recipient: apptest.Addr(pair[0]).Hex(), Quantity: 20})
	c.MustExec("kyoto", &creditsv1.MsgTransfer{Recipient: apptest.Addr("stolen").Hex(), Quantity: 5})

	// Retirements, seven uses; one by a provider on its client's behalf.
	// Each is valid under the scheme's rules as this release enforces them
	// too (a reporting year each use allows; no carbon offset, which now
	// names its target, a field v0.2.0 does not have; no GX-ETS, which now
	// needs an operator a ministry marked and v0.2.0 has none), so that
	// both releases execute the same scenario.
	retire := func(signer string, m *creditsv1.MsgRetire) {
		if m.FiscalYear == 0 {
			m.FiscalYear = 2025
		}
		c.MustExec(signer, m)
	}
	retire("alice", &creditsv1.MsgRetire{Quantity: 50, Beneficiary: "Alice K.K.", Use: creditsv1.Use_USE_ENERGY_CONSERVATION_ACT})
	retire("alice", &creditsv1.MsgRetire{Serials: []string{"JC-00000003-RE-2023-0000000001-0000000030"}, Beneficiary: "Alice K.K.",
		Use: creditsv1.Use_USE_RE100, Details: "RE100 FY2025 report"})
	retire("bob", &creditsv1.MsgRetire{Quantity: 10, Beneficiary: "Bob Holdings", Use: creditsv1.Use_USE_CDP, FiscalYear: 2024,
		Details: "CDP climate change, Scope 2 renewable electricity"})
	retire("broker", &creditsv1.MsgRetire{Quantity: 40, Beneficiary: "Client K.K.", BeneficiaryAccount: apptest.Addr("client").Hex(),
		Use: creditsv1.Use_USE_GLOBAL_WARMING_ACT, Details: "adjusted emissions"})
	retire("farm-c", &creditsv1.MsgRetire{Quantity: 20, Beneficiary: "Farm C", Use: creditsv1.Use_USE_CORSIA})
	retire("kyoto", &creditsv1.MsgRetire{Quantity: 25, Beneficiary: "Kyoto Gas", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2026})

	// A cancellation of credits two holders hold (farm-b's and bob's).
	c.MustExec("moe", &creditsv1.MsgCancel{Reason: "report found overstated", Serials: []string{
		"JC-00000003-RE-2023-0000000601-0000000620", "JC-00000003-RE-2023-0000000481-0000000490",
	}})

	// Governance: a ministry role granted (applied), a validator re-weighted
	// (applied after its proposer rotated its key), one left to expire.
	c.MustExec("maff", &accountsv1.MsgProposeMinistryRole{Change: &accountsv1.MinistryRoleChange{Address: apptest.Addr("mlit").Hex(), Grant: true}})
	c.MustExec("meti", &accountsv1.MsgApproveProposal{ProposalId: 1})
	c.MustExec("maff", &accountsv1.MsgProposeValidatorChange{Change: &accountsv1.ValidatorChange{
		Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_SET_POWER, PubKey: apptest.ConsensusKey("meti"), Power: 12,
	}})
	Rotate(c, "maff", "maff-2")
	c.MustExec("moe", &accountsv1.MsgApproveProposal{ProposalId: 2})
	c.MustExec("meti", &accountsv1.MsgProposeValidatorChange{Change: &accountsv1.ValidatorChange{
		Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_SET_POWER, PubKey: apptest.ConsensusKey("maff"), Power: 15,
	}}) // proposal 3: nobody approves; it expires

	// A holder rotates her key after retiring, then acts with the new key.
	Rotate(c, "alice", "alice-2")
	c.MustExec("alice-2", &creditsv1.MsgTransfer{Recipient: apptest.Addr(pair[1]).Hex(), Quantity: 10})
	retire("alice-2", &creditsv1.MsgRetire{Quantity: 5, Beneficiary: "Alice K.K.", Use: creditsv1.Use_USE_OTHER, Details: "staff travel"})

	// Statuses: suspended (holding credits), suspended and reactivated,
	// closed.
	c.MustExec("secretariat", &accountsv1.MsgSuspendAccount{Address: apptest.Addr("stolen").Hex(), Reason: "key reported stolen"})
	c.MustExec("secretariat", &accountsv1.MsgSuspendAccount{Address: apptest.Addr("react").Hex(), Reason: "identity check lapsed"})
	c.MustExec("secretariat", &accountsv1.MsgReactivateAccount{Address: apptest.Addr("react").Hex(), Reason: "identity checked again"})
	c.MustExec("secretariat", &accountsv1.MsgCloseAccount{Address: apptest.Addr("gone").Hex(), Reason: "left the scheme"})
	for c.Height < proposal3Expiry(c) {
		c.Block()
	}

	// The ministries schedule upgrade PlanName for the block after the
	// chain's last: proposed at P, approved at P+1, block P+2 closes.
	at := c.Height + 4 // P+3, P = c.Height+1
	c.MustExec("meti", &accountsv1.MsgProposeUpgrade{Change: &accountsv1.UpgradeChange{
		Plan: &upgradev1.Plan{Name: PlanName, Height: at, Info: "jcreditd " + PlanName},
	}})
	c.MustExec("moe", &accountsv1.MsgApproveProposal{ProposalId: 4})
	c.Block()
	if c.Height+1 != at {
		panic(fmt.Sprintf("upgradetest: the plan is at %d, the next block is %d", at, c.Height+1))
	}
	return at
}

// proposal3Expiry is the last height at which proposal 3 could be approved;
// the block after it expires the proposal. The scenario runs on this tree
// (/accounts/Proposal, the request as data, snake_case answers) and on
// release v0.2.0 (scripts/gen-v1-fixture.sh: /accounts/proposal/3,
// camelCase answers), so it asks both ways.
func proposal3Expiry(c *apptest.Chain) int64 {
	res := c.Query("/accounts/Proposal", []byte(`{"id":"3"}`), false)
	if res.Code != 0 {
		res = c.Query("/accounts/proposal/3", nil, false)
	}
	if res.Code != 0 {
		panic(fmt.Sprintf("upgradetest: proposal 3: %s", res.Log))
	}
	var p struct {
		Proposal struct {
			ExpiresHeight string `json:"expires_height"`
		} `json:"proposal"`
		ExpiresHeight string `json:"expiresHeight"`
	}
	if err := json.Unmarshal(res.Value, &p); err != nil {
		panic(err)
	}
	var h int64
	fmt.Sscan(p.Proposal.ExpiresHeight+p.ExpiresHeight, &h)
	return h + 1
}

const (
	planHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	docHash  = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
)

// Rotate moves from's account to the key of to, with to's proof.
func Rotate(c *apptest.Chain, from, to string) {
	sig, err := accounts.SignRotation(apptest.ChainID, apptest.Addr(from), apptest.Key(to))
	if err != nil {
		panic(err)
	}
	c.MustExec(from, &accountsv1.MsgRotateKey{NewAddress: apptest.Addr(to).Hex(), NewKeySignature: sig})
}
