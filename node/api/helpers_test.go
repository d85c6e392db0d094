package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/api"
	"github.com/jcredit/jcredit/node/nodetest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
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

// startNode runs a real single-validator node (CometBFT + app, in process)
// whose genesis holds the retirement above, and its public API on a free
// port. It returns the node, its home and the API's base URL.
func startNode(t testing.TB) (*node.Node, string, string) {
	t.Helper()
	home := nodetest.NewHome(t, apptest.DefaultAccounts())
	doc, err := node.ReadGenesis(home)
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]json.RawMessage
	if err := json.Unmarshal(doc.AppState, &state); err != nil {
		t.Fatal(err)
	}
	state["credits"] = creditsGenesis(t)
	if doc.AppState, err = json.Marshal(state); err != nil {
		t.Fatal(err)
	}
	if err := node.WriteGenesis(home, doc); err != nil {
		t.Fatal(err)
	}
	n := nodetest.Start(t, home)
	nodetest.WaitHeight(t, nodetest.Client(t, n), 3)
	srv, addr, err := api.StartForNode(n, "127.0.0.1:0")
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
