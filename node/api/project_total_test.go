package api_test

import (
	"os"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/proof"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
)

// Projects by status are proven from the API like any total: on a real
// node whose project was submitted, validated and registered by signed
// transactions, /api/v1/proofs/total/projects,status=registered verifies
// against the genesis validators and says as many projects as the
// registry lists registered (and the statement route says the same);
// "projects" proves every status.
func TestProjectTotalProofFromTheAPI(t *testing.T) {
	n, home, base := startNode(t)
	issueAndRetire(t, n)
	genesis, err := os.ReadFile(node.GenesisFile(home))
	if err != nil {
		t.Fatal(err)
	}
	trust, err := proof.ParseTrust(genesis)
	if err != nil {
		t.Fatal(err)
	}
	status, bundle, _ := get(t, base+"/api/v1/proofs/total/projects,status=registered")
	if status != 200 {
		t.Fatalf("proof: %d %s", status, bundle)
	}
	res, err := proof.VerifyJSON(bundle, trust)
	if err != nil {
		t.Fatal(err)
	}
	status, body, _ := get(t, base+"/api/v1/projects?status=PROJECT_STATUS_REGISTERED&limit=1000")
	if status != 200 {
		t.Fatalf("list: %d %s", status, body)
	}
	var list projectsv1.QueryProjectsResponse
	if err := module.UnmarshalJSON(body, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Projects) != 1 || list.Page.GetNextCursor() != "" || !strings.Contains(res.Statement, "projects REGISTERED = 1") {
		t.Fatalf("%d listed registered; the proof says %q", len(list.Projects), res.Statement)
	}
	if status, body, _ := get(t, base+"/api/v1/proofs/total/projects,status=registered/statement"); status != 200 || !strings.Contains(string(body), "projects REGISTERED = 1") {
		t.Fatalf("statement: %d %s", status, body)
	}
	status, bundle, _ = get(t, base+"/api/v1/proofs/total/projects")
	if status != 200 {
		t.Fatalf("proof of every status: %d %s", status, bundle)
	}
	if res, err = proof.VerifyJSON(bundle, trust); err != nil || !strings.Contains(res.Statement, "= 1 (submitted 0, validated 0, registered 1, rejected 0, terminated 0)") {
		t.Fatalf("every status: %v %+v", err, res)
	}
	if status, body, _ := get(t, base+"/api/v1/proofs/total/projects,status=pending"); status != 400 || !strings.Contains(string(body), "status is one of submitted") {
		t.Fatalf("a status that does not exist: %d %s", status, body)
	}
}
