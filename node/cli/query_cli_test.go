package cli_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/api"
	"github.com/jcredit/jcredit/node/cli"
	"github.com/jcredit/jcredit/node/nodetest"
	"github.com/jcredit/jcredit/node/query"
	"github.com/jcredit/jcredit/node/testnet"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/module"
)

// runBoth runs one jcreditd command and returns its stdout and stderr.
func runBoth(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut syncBuffer
	cmd := cli.NewRootCmd()
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(""))
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

// registryNode runs a node whose genesis holds a registry of 40 batches
// and 600 retirements, with its public API; it returns the RPC and API
// URLs.
func registryNode(t *testing.T) (rpc, apiURL string, reg *apptest.Registry) {
	t.Helper()
	reg = apptest.NewRegistry(40, 600)
	home := nodetest.NewHome(t, apptest.DefaultAccounts())
	doc, err := node.ReadGenesis(home)
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]json.RawMessage
	if err := json.Unmarshal(doc.AppState, &state); err != nil {
		t.Fatal(err)
	}
	if state["credits"], err = protojson.Marshal(reg.Genesis()); err != nil {
		t.Fatal(err)
	}
	if doc.AppState, err = json.Marshal(state); err != nil {
		t.Fatal(err)
	}
	if err := node.WriteGenesis(home, doc); err != nil {
		t.Fatal(err)
	}
	n := nodetest.Start(t, home)
	nodetest.WaitHeight(t, nodetest.Client(t, n), 4) // state 3 is committed
	srv, addr, err := api.StartForNode(n, "127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return n.RPCAddress(), "http://" + addr, reg
}

func httpBody(t *testing.T, url string) []byte {
	t.Helper()
	out, err := httpGet(url)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The CLI prints -o json exactly as the node answers and the API serves;
// -o text as tables and key-value blocks; it pages, exports, and finds the
// node from $JCREDIT_NODE or the home's network.json.
func TestQueryAndExportCommands(t *testing.T) {
	rpc, apiURL, reg := registryNode(t)
	home := t.TempDir()
	h := []string{"--home", home, "--node", rpc}

	t.Run("-o json is the API's answer, byte for byte", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			path string
		}{
			{[]string{"q", "credits", "retirement", "JCR-00000042"}, "/api/v1/retirements/JCR-00000042"},
			{[]string{"q", "credits", "retirements", "--fiscal-year", "2023", "--use", "carbon-offset", "--limit", "7", "--reverse"},
				"/api/v1/retirements?fiscal_year=2023&use=carbon-offset&limit=7&reverse=true"},
			{[]string{"q", "credits", "batches", "--category", "forest"}, "/api/v1/batches?category=forest"},
			{[]string{"q", "credits", "serial", reg.Retirements[3].Blocks[0].Serials}, "/api/v1/serials/" + reg.Retirements[3].Blocks[0].Serials},
			{[]string{"q", "credits", "holdings", apptest.Addr("meti").Hex(), "--status", "active", "--limit", "3"}, "/api/v1/holdings/" + apptest.Addr("meti").Hex() + "?status=active&limit=3"},
			{[]string{"q", "accounts", "list", "--role", "ministry"}, "/api/v1/accounts?role=ministry"},
			{[]string{"q", "accounts", "list", "--name", "ＭＯＥ"}, "/api/v1/accounts?name=%EF%BC%AD%EF%BC%AF%EF%BC%A5"},
			{[]string{"q", "credits", "batches", "--name", "forest", "--limit", "3"}, "/api/v1/batches?name=forest&limit=3"},
			{[]string{"q", "projects", "list", "--name", "forest"}, "/api/v1/projects?name=forest"},
			{[]string{"q", "credits", "stats", "category"}, "/api/v1/stats?dimension=category"},
			{[]string{"q", "credits", "stats", "--use", "carbon-offset", "--fiscal-year", "2023"}, "/api/v1/stats?use=carbon-offset&fiscal_year=2023"},
			{[]string{"q", "credits", "account-totals", apptest.Addr("moe").Hex(), "--fiscal-year", "2023"}, "/api/v1/accounts/" + apptest.Addr("moe").Hex() + "/totals?fiscal_year=2023"},
			{[]string{"q", "projects", "stats"}, "/api/v1/stats/projects"},
		} {
			// The same state for both: the CLI's --height, the API's ?height.
			sep := "?"
			if strings.Contains(c.path, "?") {
				sep = "&"
			}
			cliOut, _, err := runBoth(t, append(append(c.args, h...), "--height", "3", "-o", "json")...)
			if err != nil {
				t.Fatalf("%v: %v", c.args, err)
			}
			apiOut := httpBody(t, apiURL+c.path+sep+"height=3")
			if strings.TrimSuffix(cliOut, "\n") != string(apiOut) {
				t.Fatalf("%v:\n cli %s\n api %s", c.args, cliOut, apiOut)
			}
		}
	})

	t.Run("-o text", func(t *testing.T) {
		out, errOut, err := runBoth(t, append([]string{"q", "credits", "retirements", "--beneficiary", "さくら食品", "--limit", "3"}, h...)...)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(out, "\n")
		if !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[0], "BENEFICIARY") || !strings.Contains(lines[0], "FISCAL YEAR") ||
			strings.Count(out, "さくら食品") != 3 || !strings.Contains(out, "3 retirements") || !strings.Contains(out, "accounts:") ||
			!strings.Contains(out, "height: ") || strings.Contains(out, "{") || !strings.Contains(out, "JST") || !strings.Contains(out, "CARBON_OFFSET") {
			t.Fatalf("retirements as text:\n%s", out)
		}
		if !strings.Contains(errOut, "--cursor ") {
			t.Fatalf("no cursor for the next page on stderr: %q", errOut)
		}
		out, _, err = runBoth(t, append([]string{"q", "credits", "retirement", "JCR-00000042"}, h...)...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "retirement:\n  id: JCR-00000042\n") || !strings.Contains(out, "  blocks:\n    - #1\n      batch_id: ") ||
			!strings.Contains(out, "accounts:\n  #") || strings.Contains(out, "{") {
			t.Fatalf("a retirement as text:\n%s", out)
		}
	})

	t.Run("statistics as text, and a proven total", func(t *testing.T) {
		out, _, err := runBoth(t, append([]string{"q", "credits", "stats", "fiscal_year"}, h...)...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out, "VALUE") || !strings.Contains(out, "RETIRED") || !strings.Contains(out, "RETIREMENTS") || !strings.Contains(out, "2023") || strings.Contains(out, "{") {
			t.Fatalf("stats as text:\n%s", out)
		}
		var want uint64
		for _, r := range reg.Retirements {
			if r.FiscalYear == 2023 && r.Uses[0] == creditsv1.Use_USE_CARBON_OFFSET {
				want += r.Quantity
			}
		}
		bundle := filepath.Join(t.TempDir(), "total.json")
		out, _, err = runBoth(t, append([]string{"proof", "total", "retired", "--use", "carbon-offset", "--fiscal-year", "2023"}, "--node", rpc)...)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bundle, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		trust := filepath.Join(t.TempDir(), "trust.json")
		if err := os.WriteFile(trust, httpBody(t, apiURL+"/api/v1/trust"), 0o600); err != nil {
			t.Fatal(err)
		}
		out, _, err = runBoth(t, "verify", bundle, "--trust", trust)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, fmt.Sprintf("retired for use CARBON_OFFSET in FY2023 = %d", want)) || want == 0 || !strings.Contains(out, "AS OF state ") {
			t.Fatalf("verify of the total (want %d):\n%s", want, out)
		}
	})

	t.Run("pages with cursors, every record once", func(t *testing.T) {
		var got []string
		args := append([]string{"q", "credits", "retirements", "--account", apptest.Addr("moe").Hex(), "--limit", "50"}, h...)
		cursor := ""
		for {
			a := args
			if cursor != "" {
				a = append(a, "--cursor", cursor)
			}
			var ans creditsv1.QueryRetirementsResponse
			if err := module.UnmarshalJSON([]byte(mustRun(t, append(a, "-o", "json")...)), &ans); err != nil {
				t.Fatal(err)
			}
			for _, r := range ans.Retirements {
				got = append(got, r.Id)
			}
			if cursor = ans.Page.GetNextCursor(); cursor == "" {
				break
			}
		}
		var want []string
		for _, r := range reg.Retirements {
			if r.Account == apptest.Addr("moe").Hex() {
				want = append(want, r.Id)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") || len(want) < 100 {
			t.Fatalf("moe's retirements: %d listed, %d in the registry", len(got), len(want))
		}
	})

	t.Run("export", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "r.csv")
		_, errOut, err := runBoth(t, append([]string{"export", "retirements", "--fiscal-year", "2023", "--out", file, "--height", "3"}, h...)...)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		meta, recs, err := query.ReadCSV(bytes.NewReader(raw), (&creditsv1.Retirement{}).ProtoReflect().Descriptor())
		if err != nil {
			t.Fatal(err)
		}
		if meta.Height != 3 || meta.Query != "fiscal_year=2023" || meta.ChainID != nodetest.ChainID || len(meta.AppHash) != 64 ||
			!strings.Contains(errOut, fmt.Sprintf("exported %d retirements as of height 3", len(recs))) {
			t.Fatalf("export: %+v, %d records; stderr %q", meta, len(recs), errOut)
		}
		// The same records as the API's export of that state.
		_, apiRecs, err := query.ReadJSONL(bytes.NewReader(httpBody(t, apiURL+"/api/v1/retirements?fiscal_year=2023&format=jsonl&height=3")),
			(&creditsv1.Retirement{}).ProtoReflect().Descriptor())
		if err != nil || len(apiRecs) != len(recs) || len(recs) == 0 {
			t.Fatalf("API export: %d records (%v), CLI %d", len(apiRecs), err, len(recs))
		}
		for i := range recs {
			if !proto.Equal(recs[i], apiRecs[i]) {
				t.Fatalf("record %d: cli %v, api %v", i, recs[i], apiRecs[i])
			}
		}
		out := mustRun(t, append([]string{"export", "holdings", "1", "--format", "jsonl"}, h...)...)
		if n := strings.Count(out, "\n"); n != 1+len(reg.Ranges) || !strings.HasPrefix(out, `{"jcredit_export":{"list":"holdings"`) {
			t.Fatalf("holdings export: %d lines, want %d\n%.300s", n, 1+len(reg.Ranges), out)
		}
	})

	t.Run("where the node is", func(t *testing.T) {
		bare := []string{"q", "credits", "batch", "JC-00000001", "--home", home, "-o", "json"}
		t.Setenv(cli.EnvNode, rpc)
		if out := mustRun(t, bare...); !strings.Contains(out, `"id":"JC-00000001"`) {
			t.Fatalf("with $%s: %s", cli.EnvNode, out)
		}
		t.Setenv(cli.EnvNode, "")
		// A local network's directory: its network.json names the nodes.
		netDir := t.TempDir()
		host, port, _ := strings.Cut(strings.TrimPrefix(rpc, "http://"), ":")
		var p int
		fmt.Sscan(port, &p)
		manifest, _ := json.Marshal(testnet.Manifest{ChainID: nodetest.ChainID, Nodes: []testnet.Node{{Name: "meti", Home: "meti", Host: host, RPCPort: p}}})
		if err := os.WriteFile(filepath.Join(netDir, testnet.ManifestFile), manifest, 0o600); err != nil {
			t.Fatal(err)
		}
		if out := mustRun(t, "q", "credits", "batch", "JC-00000001", "--home", netDir, "-o", "json"); !strings.Contains(out, `"id":"JC-00000001"`) {
			t.Fatalf("with --home %s: %s", netDir, out)
		}
		// The public API's port is not the RPC's: said plainly.
		_, _, err := runBoth(t, "q", "credits", "batch", "JC-00000001", "--home", home, "--node", apiURL)
		if err == nil || !strings.Contains(err.Error(), "public HTTP API") || !strings.Contains(err.Error(), "26657") {
			t.Fatalf("--node at the API port: %v", err)
		}
	})
}
