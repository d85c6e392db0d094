package testnet_test

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/node/client"
	"github.com/jcredit/jcredit/node/testnet"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/testnet/harness"
)

// The J-Credit procedure across a real four-validator network: a ministry
// adopts a methodology, a creator submits a project, a review body validates
// it, a ministry registers it; the creator reports a fiscal year, the review
// body verifies a lower amount, another ministry certifies it and the
// credits are issued in that transaction. Each step is sent to a different
// validator, and every validator ends with the same records and app hash.
func TestProjectFlowAcrossValidators(t *testing.T) {
	n := harness.New(t, harness.Options{Users: []testnet.User{
		{Name: "kyoto", Roles: []accountsv1.Role{accountsv1.Role_ROLE_CREATOR}},
		{Name: "kiwa", Roles: []accountsv1.Role{accountsv1.Role_ROLE_VERIFIER}},
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	n.Start(ctx)

	// send signs msgs as signer, broadcasts through node and waits until
	// every node has the block, so the next step may go to any of them.
	send := func(node, signer string, msgs ...proto.Message) *client.Result {
		t.Helper()
		c, err := client.New(n.Node(node).RPC())
		if err != nil {
			t.Fatal(err)
		}
		key := n.Keys[signer]
		nonce, err := c.Nonce(ctx, crypto.PubkeyToAddress(key.PublicKey))
		if err != nil {
			t.Fatalf("%s: %v", signer, err)
		}
		body, err := tx.Build(n.Manifest.ChainID, nonce, "", msgs...)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := tx.Sign(body, key)
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Broadcast(ctx, raw)
		if err != nil {
			t.Fatalf("%s via %s: %v", signer, node, err)
		}
		if err := n.WaitAllAt(ctx, res.Height+1); err != nil {
			t.Fatal(err)
		}
		return res
	}
	attr := func(res *client.Result, typ, key string) string {
		t.Helper()
		for _, ev := range res.Events {
			if ev.Type == typ {
				for _, a := range ev.Attributes {
					if a.Key == key {
						return a.Value
					}
				}
			}
		}
		t.Fatalf("no %s.%s in %v", typ, key, res.Events)
		return ""
	}

	send("meti", "meti", &projectsv1.MsgAdoptMethodology{
		Code: "EN-S-001", Title: "Boiler replacement", Category: creditsv1.Category_CATEGORY_ENERGY_SAVING})
	res := send("moe", "kyoto", &projectsv1.MsgSubmitProject{
		Name: "Kyoto plant boiler replacement", Kind: projectsv1.ProjectKind_PROJECT_KIND_STANDARD,
		Methodology: "EN-S-001", Prefecture: "JP-26", CreditingStart: "2023-04-01", CreditingEnd: "2031-03-31",
		ExpectedReductions: 12000, PlanHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	})
	project := attr(res, "projects.project_status", "project")
	send("maff", "kiwa", &projectsv1.MsgValidateProject{ProjectId: project})
	send("secretariat", "meti", &projectsv1.MsgRegisterProject{ProjectId: project})
	res = send("meti", "kyoto", &projectsv1.MsgSubmitReport{
		ProjectId: project, PeriodStart: "2023-04-01", PeriodEnd: "2024-03-31", ClaimedTCo2: 1500,
		DocumentHash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
	})
	report := attr(res, "projects.report_status", "report")
	send("moe", "kiwa", &projectsv1.MsgVerifyReport{ReportId: report, VerifiedTCo2: 1450})
	res = send("maff", "moe", &projectsv1.MsgCertifyReport{ReportId: report, CorsiaEligible: true})
	batch := attr(res, "projects.certified", "batch")
	if got := attr(res, "credits.batch", "batch"); got != batch {
		t.Fatalf("certification recorded batch %s, credits issued %s", batch, got)
	}

	// Every validator answers the same: the project registered, the report
	// certified with its batch, the batch issued to the operator.
	kyoto := crypto.PubkeyToAddress(n.Keys["kyoto"].PublicKey).Hex()
	for _, nd := range n.Validators() {
		c, err := client.New(nd.RPC())
		if err != nil {
			t.Fatal(err)
		}
		pa, ra, ba := &projectsv1.QueryProjectResponse{}, &projectsv1.QueryReportResponse{}, &creditsv1.QueryBatchResponse{}
		for _, q := range []struct {
			path      string
			req, resp proto.Message
		}{
			{"/projects/Project", &projectsv1.QueryProjectRequest{Id: project}, pa},
			{"/projects/Report", &projectsv1.QueryReportRequest{Id: report}, ra},
			{"/credits/Batch", &creditsv1.QueryBatchRequest{Id: batch}, ba},
		} {
			if _, err := c.Ask(ctx, q.path, q.req, q.resp, 0); err != nil {
				t.Fatalf("%s: %s: %v", nd.Name, q.path, err)
			}
		}
		p, r, b := pa.Project, ra.Report, ba.Batch
		if p.Status != projectsv1.ProjectStatus_PROJECT_STATUS_REGISTERED || p.OperatorAccount == 0 || p.History[0].Actor != kyoto || len(p.History) != 3 {
			t.Fatalf("%s: project %v", nd.Name, p)
		}
		if r.Status != projectsv1.ReportStatus_REPORT_STATUS_CERTIFIED || r.VerifiedTCo2 != 1450 || r.BatchId != batch {
			t.Fatalf("%s: report %v", nd.Name, r)
		}
		if b.Issued != 1450 || b.ReportId != report || b.Methodology != "EN-S-001" || len(b.Labels) != 1 || b.Labels[0].Kind != creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE {
			t.Fatalf("%s: batch %v", nd.Name, b)
		}
	}
	chain, err := n.CheckChain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("flow committed; %d validators agree up to height %d", len(n.Validators()), chain.Height)
}
