package projects_test

import (
	"encoding/json"
	"strconv"
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
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects"
)

// The cast of the scenarios. Besides the three ministries and the
// secretariat:
//
//	kyoto, osaka            creators operating projects
//	kiwa, jqa               review bodies (verifiers)
//	selfcheck               a creator that is also a review body
//	farm-a, farm-b, farm-c  program members (creators)
//	farm-v                  a program member that is also a review body
//	buyer                   a holder, no right to act on projects
var (
	ministry = accountsv1.Role_ROLE_MINISTRY
	creator  = accountsv1.Role_ROLE_CREATOR
	verifier = accountsv1.Role_ROLE_VERIFIER
	holder   = accountsv1.Role_ROLE_HOLDER
)

func cast() []apptest.GenesisAccount {
	accs := apptest.DefaultAccounts()
	add := func(name string, roles ...accountsv1.Role) {
		accs = append(accs, apptest.GenesisAccount{Name: name, Roles: roles})
	}
	add("kyoto", creator)
	add("osaka", creator)
	add("kiwa", verifier)
	add("jqa", verifier)
	add("selfcheck", creator, verifier)
	add("farm-a", creator)
	add("farm-b", creator)
	add("farm-c", creator)
	add("farm-v", creator, verifier)
	add("buyer", holder)
	return accs
}

// methodologies adopted at genesis in every scenario.
func genesisMethodologies() []*projectsv1.Methodology {
	return []*projectsv1.Methodology{
		{Code: "EN-S-001", Title: "Boiler replacement", Category: creditsv1.Category_CATEGORY_ENERGY_SAVING},
		{Code: "EN-R-002", Title: "Solar power generation", Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY},
		{Code: "FO-001", Title: "Forest management", Category: creditsv1.Category_CATEGORY_FOREST},
		{Code: "AG-001", Title: "Old rice-paddy practice", Category: creditsv1.Category_CATEGORY_AGRICULTURE,
			Status: projectsv1.MethodologyStatus_METHODOLOGY_STATUS_ABOLISHED},
	}
}

func projectsGenesis(g *projectsv1.GenesisState) json.RawMessage {
	bz, err := protojson.Marshal(g)
	if err != nil {
		panic(err)
	}
	return bz
}

// newChain starts a chain with the cast and the genesis methodologies.
func newChain(t *testing.T) *apptest.Chain {
	t.Helper()
	return newChainWith(t, &projectsv1.GenesisState{Methodologies: genesisMethodologies()})
}

// newChainWith starts a chain with the cast and the given projects genesis.
func newChainWith(t *testing.T, g *projectsv1.GenesisState) *apptest.Chain {
	t.Helper()
	return apptest.New(t, app.GenesisState{
		"accounts": apptest.AccountsGenesis(cast()),
		"projects": projectsGenesis(g),
	}).ReplayAtEnd()
}

const planHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
const docHash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"

// standardProject is an 8-year energy-saving project crediting from
// 2023-04-01 to 2031-03-31, the longest the scheme allows.
func standardProject() *projectsv1.MsgSubmitProject {
	return &projectsv1.MsgSubmitProject{
		Name: "Kyoto plant boiler replacement", Kind: projectsv1.ProjectKind_PROJECT_KIND_STANDARD,
		Methodology: "EN-S-001", Prefecture: "JP-26",
		CreditingStart: "2023-04-01", CreditingEnd: "2031-03-31",
		ExpectedReductions: 12000, PlanHash: planHash,
	}
}

// programProject aggregates three farms' solar panels.
func programProject() *projectsv1.MsgSubmitProject {
	return &projectsv1.MsgSubmitProject{
		Name: "Kyoto farmers' solar program", Kind: projectsv1.ProjectKind_PROJECT_KIND_PROGRAM,
		Members: []*projectsv1.MemberSpec{
			{Name: "Farm A", Site: "Kameoka", Address: apptest.Addr("farm-a").Hex(), ShareBps: 5000},
			{Name: "Farm B", Site: "Nantan", Address: apptest.Addr("farm-b").Hex(), ShareBps: 3333},
			{Name: "Farm C", Site: "Ayabe", Address: apptest.Addr("farm-c").Hex(), ShareBps: 1667},
		},
		Methodology: "EN-R-002", Prefecture: "JP-26",
		CreditingStart: "2023-04-01", CreditingEnd: "2031-03-31",
		ExpectedReductions: 3000, PlanHash: planHash,
	}
}

func fiscalYear(y int) (string, string) {
	return itoa(y) + "-04-01", itoa(y+1) + "-03-31"
}

func itoa(v int) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func report(projectID string, fy int, tco2 uint64) *projectsv1.MsgSubmitReport {
	start, end := fiscalYear(fy)
	return &projectsv1.MsgSubmitReport{ProjectId: projectID, PeriodStart: start, PeriodEnd: end, ClaimedTCo2: tco2, DocumentHash: docHash}
}

// attr returns the value of key in the first event of type typ.
func attr(t *testing.T, res *abci.ExecTxResult, typ, key string) string {
	t.Helper()
	for _, ev := range res.Events {
		if ev.Type != typ {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == key {
				return a.Value
			}
		}
	}
	t.Fatalf("no %s attribute %q in events %v", typ, key, res.Events)
	return ""
}

// submit has operator submit m and returns the new project's id.
func submit(t *testing.T, c *apptest.Chain, operator string, m *projectsv1.MsgSubmitProject) string {
	t.Helper()
	return attr(t, c.MustExec(operator, m), projects.EventProjectStatus, "project")
}

// registered walks a project to registered: submitted by operator,
// validated by kiwa, registered by meti.
func registered(t *testing.T, c *apptest.Chain, operator string, m *projectsv1.MsgSubmitProject) string {
	t.Helper()
	id := submit(t, c, operator, m)
	c.MustExec("kiwa", &projectsv1.MsgValidateProject{ProjectId: id})
	c.MustExec("meti", &projectsv1.MsgRegisterProject{ProjectId: id})
	return id
}

// submitReport has operator submit m and returns the report's id.
func submitReport(t *testing.T, c *apptest.Chain, operator string, m *projectsv1.MsgSubmitReport) string {
	t.Helper()
	return attr(t, c.MustExec(operator, m), projects.EventReportStatus, "report")
}

// verified has operator submit m and kiwa verify amount of it.
func verified(t *testing.T, c *apptest.Chain, operator string, m *projectsv1.MsgSubmitReport, amount uint64) string {
	t.Helper()
	id := submitReport(t, c, operator, m)
	c.MustExec("kiwa", &projectsv1.MsgVerifyReport{ReportId: id, VerifiedTCo2: amount})
	return id
}

// rejected asserts that signer's msgs are rejected with want, that the log
// says why, and that nothing of the transaction remains but its spent
// nonce.
func rejected(t *testing.T, c *apptest.Chain, signer string, want *module.Error, msgs ...proto.Message) *abci.ExecTxResult {
	t.Helper()
	res := c.ExecFails(signer, msgs...)
	if res.Codespace != want.Codespace || res.Code != want.Code {
		t.Fatalf("want %s/%d (%s), got %s/%d: %s", want.Codespace, want.Code, want.Desc, res.Codespace, res.Code, res.Log)
	}
	if !strings.Contains(res.Log, want.Desc) {
		t.Fatalf("log %q does not carry %q", res.Log, want.Desc)
	}
	return res
}

func getProject(t *testing.T, c *apptest.Chain, id string) *projectsv1.Project {
	t.Helper()
	ans := &projectsv1.QueryProjectResponse{}
	queryInto(t, c, "/projects/Project", &projectsv1.QueryProjectRequest{Id: id}, ans)
	return ans.Project
}

func getReport(t *testing.T, c *apptest.Chain, id string) *projectsv1.MonitoringReport {
	t.Helper()
	ans := &projectsv1.QueryReportResponse{}
	queryInto(t, c, "/projects/Report", &projectsv1.QueryReportRequest{Id: id}, ans)
	return ans.Report
}

// queryInto runs the module query path with req and decodes the answer
// into out, failing the test on a refusal.
func queryInto(t *testing.T, c *apptest.Chain, path string, req, out proto.Message) {
	t.Helper()
	if err := c.Read(path, req, out); err != nil {
		t.Fatalf("query %s %v: %v", path, req, err)
	}
}

// operatorOf is the current address of project id's operator, as the
// project answer names it.
func operatorOf(t *testing.T, c *apptest.Chain, id string) string {
	t.Helper()
	ans := &projectsv1.QueryProjectResponse{}
	queryInto(t, c, "/projects/Project", &projectsv1.QueryProjectRequest{Id: id}, ans)
	for _, a := range ans.Accounts {
		if a.Number == ans.Project.OperatorAccount {
			return a.Address
		}
	}
	t.Fatalf("project %s names operator %d but not who it is: %v", id, ans.Project.OperatorAccount, ans)
	return ""
}

// assertIssued checks, from the certifying transaction's credits events,
// that batch was issued for report with quantity in total, split as
// holdings (address -> credits).
func assertIssued(t *testing.T, res *abci.ExecTxResult, batch, report string, quantity uint64, holdings map[string]uint64) {
	t.Helper()
	if got := attr(t, res, "credits.batch", "report"); got != report {
		t.Fatalf("batch %s issued for report %q, want %s", batch, got, report)
	}
	if got := attr(t, res, "credits.batch", "quantity"); got != strconv.FormatUint(quantity, 10) {
		t.Fatalf("batch %s quantity %s, want %d", batch, got, quantity)
	}
	got := map[string]uint64{}
	for _, ev := range res.Events {
		if ev.Type != "credits.issue" {
			continue
		}
		var acct string
		var q uint64
		for _, a := range ev.Attributes {
			switch a.Key {
			case "account":
				acct = a.Value
			case "quantity":
				q, _ = strconv.ParseUint(a.Value, 10, 64)
			case "batch":
				if a.Value != batch {
					t.Fatalf("issue event for batch %s in certification of %s", a.Value, batch)
				}
			}
		}
		got[acct] += q
	}
	if len(got) != len(holdings) {
		t.Fatalf("issued to %v, want %v", got, holdings)
	}
	for a, q := range holdings {
		if got[a] != q {
			t.Fatalf("issued to %v, want %v", got, holdings)
		}
	}
}
