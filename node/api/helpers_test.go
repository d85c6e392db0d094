package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/api"
	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/nodetest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
)

// Names in the test chain's registry.
const (
	retirementID  = "JCR-00000001"
	beneficiary   = "株式会社みどり製作所"
	retiredSerial = "JC-00000001-RE-2024-0000000042"
	activeSerial  = "JC-00000001-RE-2024-0000000500"
	absentSerial  = "JC-00000009-RE-2024-0000000001"
)

// creditsGenesis migrates one batch into the chain: serials 1-100 retired
// for a beneficiary (RE100, fiscal year 2025), 101-1000 still held by meti.
func creditsGenesis(t testing.TB) json.RawMessage {
	owner := apptest.Addr("meti").Hex()
	g := &creditsv1.GenesisState{
		Batches: []*creditsv1.Batch{{
			Id: "JC-00000001", Number: 1, ProjectId: "P-0001", ReportId: "R-0001", Methodology: "EN-R-002",
			Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, VintageStart: "2024-04-01", VintageEnd: "2025-03-31",
			Issued: 1000,
		}},
		Ranges: []*creditsv1.Range{
			{BatchId: "JC-00000001", Start: 1, End: 100, Owner: owner, Status: creditsv1.RangeStatus_RANGE_STATUS_RETIRED, RetirementId: retirementID},
			{BatchId: "JC-00000001", Start: 101, End: 1000, Owner: owner, Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE},
		},
		Retirements: []*creditsv1.Retirement{{
			Id: retirementID, Account: owner, Beneficiary: beneficiary, Use: creditsv1.Use_USE_RE100,
			Details: "RE100 report 2025", FiscalYear: 2025, Quantity: 100,
			Blocks: []*creditsv1.SerialBlock{{BatchId: "JC-00000001", Start: 1, End: 100, Serials: "JC-00000001-RE-2024-0000000001-0000000100"}},
			Time:   timestamppb.New(time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC)),
		}},
	}
	bz, err := protojson.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	return bz
}

// Names of the retirement made by transactions (issueAndRetire): the
// second batch and the second retirement, after the migrated ones.
const (
	txBeneficiary = "京都ボイラー株式会社"
	txBatch       = "JC-00000002"
	txSerials     = "JC-00000002-RE-2024-0000000001-0000000250"
)

// nodeAccounts are the genesis accounts of the test node: the ministries
// and the secretariat, a project operator (kyoto), a verification body
// (kiwa) and an exchange's settlement agent (tse).
func nodeAccounts() []apptest.GenesisAccount {
	return append(apptest.DefaultAccounts(),
		apptest.GenesisAccount{Name: "kyoto", Roles: []accountsv1.Role{accountsv1.Role_ROLE_CREATOR}},
		apptest.GenesisAccount{Name: "kiwa", Roles: []accountsv1.Role{accountsv1.Role_ROLE_VERIFIER}},
		apptest.GenesisAccount{Name: "tse", Roles: []accountsv1.Role{accountsv1.Role_ROLE_SETTLEMENT}})
}

// startNode runs a real single-validator node (CometBFT + app, in process)
// whose genesis holds the retirement above, and its public API on a free
// port. It returns the node, its home and the API's base URL.
func startNode(t testing.TB) (*node.Node, string, string) {
	t.Helper()
	return startNodeWith(t, creditsGenesis(t))
}

// startNodeWith is startNode with another credits genesis.
func startNodeWith(t testing.TB, credits json.RawMessage) (*node.Node, string, string) {
	t.Helper()
	home := nodetest.NewHome(t, nodeAccounts())
	doc, err := node.ReadGenesis(home)
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]json.RawMessage
	if err := json.Unmarshal(doc.AppState, &state); err != nil {
		t.Fatal(err)
	}
	state["credits"] = credits
	if doc.AppState, err = json.Marshal(state); err != nil {
		t.Fatal(err)
	}
	if err := node.WriteGenesis(home, doc); err != nil {
		t.Fatal(err)
	}
	n := nodetest.Start(t, home)
	nodetest.WaitHeight(t, nodetest.Client(t, n), 3)
	srv, addr, err := api.StartForNode(n, "127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return n, home, "http://" + addr
}

func get(t testing.TB, url string) (int, []byte, http.Header) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, body, res.Header
}

// txRetirement is a retirement made by signed transactions on a running
// node: where it landed and what it retired.
type txRetirement struct {
	ID     string
	Height int64  // block of the MsgRetire transaction
	TxHash string // its hash, upper-case hex as CometBFT prints it
}

// issueAndRetire walks credits through the scheme with real signed
// transactions on n, each waited for until committed: meti adopts a solar
// methodology; kyoto submits a project, kiwa validates it, meti registers
// it; kyoto reports FY2024, kiwa verifies 250 t-CO2, meti certifies (which
// issues batch JC-00000002 to kyoto); kyoto retires the 250 credits for
// RE100. It returns once the retirement can be proven.
func issueAndRetire(t testing.TB, n *node.Node) txRetirement {
	t.Helper()
	c := nodetest.Client(t, n)
	send := func(signer string, m proto.Message) *client.Result { t.Helper(); return sendTx(t, n, signer, m) }
	const hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	send("meti", &projectsv1.MsgAdoptMethodology{Code: "EN-R-002", Title: "Solar power generation",
		Category: creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY})
	res := send("kyoto", &projectsv1.MsgSubmitProject{
		Name: "Kyoto plant rooftop solar", Kind: projectsv1.ProjectKind_PROJECT_KIND_STANDARD,
		Methodology: "EN-R-002", Prefecture: "JP-26", CreditingStart: "2023-04-01", CreditingEnd: "2031-03-31",
		ExpectedReductions: 2000, PlanHash: hash,
	})
	project := eventAttr(t, res.Events, "projects.project_status", "project")
	send("kiwa", &projectsv1.MsgValidateProject{ProjectId: project})
	send("meti", &projectsv1.MsgRegisterProject{ProjectId: project})
	res = send("kyoto", &projectsv1.MsgSubmitReport{ProjectId: project, PeriodStart: "2024-04-01", PeriodEnd: "2025-03-31",
		ClaimedTCo2: 260, DocumentHash: hash})
	report := eventAttr(t, res.Events, "projects.report_status", "report")
	send("kiwa", &projectsv1.MsgVerifyReport{ReportId: report, VerifiedTCo2: 250})
	res = send("meti", &projectsv1.MsgCertifyReport{ReportId: report})
	if b := eventAttr(t, res.Events, "credits.batch", "batch"); b != txBatch {
		t.Fatalf("certification issued batch %q, want %s", b, txBatch)
	}
	res = send("kyoto", &creditsv1.MsgRetire{Quantity: 250, Beneficiary: txBeneficiary, Use: creditsv1.Use_USE_RE100,
		Details: "RE100 report 2025", FiscalYear: 2025})
	// A state is provable once the next block's header commits its app
	// hash; until then a proof of the retirement is "not found".
	nodetest.WaitHeight(t, c, res.Height+1)
	return txRetirement{ID: eventAttr(t, res.Events, "credits.retirement", "retirement_id"), Height: res.Height, TxHash: res.Hash}
}

// sendTx signs m as signer with its next nonce, broadcasts it to n and
// waits until it is committed.
func sendTx(t testing.TB, n *node.Node, signer string, m proto.Message) *client.Result {
	t.Helper()
	c := nodetest.Client(t, n)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nonce, err := c.Nonce(ctx, apptest.Addr(signer))
	if err != nil {
		t.Fatal(err)
	}
	body, err := tx.Build(nodetest.ChainID, nonce, "", m)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.Sign(body, apptest.Key(signer))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Broadcast(ctx, raw)
	if err != nil {
		t.Fatalf("%s signs %T: %v", signer, m, err)
	}
	return res
}

// eventAttr returns the value of key in the first event of type typ.
func eventAttr(t testing.TB, evs []abci.Event, typ, key string) string {
	t.Helper()
	for _, e := range evs {
		if e.Type != typ {
			continue
		}
		for _, a := range e.Attributes {
			if a.Key == key {
				return a.Value
			}
		}
	}
	t.Fatalf("no %s.%s among the events %v", typ, key, evs)
	return ""
}

// sameHash compares hex hashes ignoring case (CometBFT prints upper case,
// records store lower case).
func sameHash(a, b string) bool { return a != "" && strings.EqualFold(a, b) }
