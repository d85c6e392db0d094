package api_test

import (
	"net/url"
	"strings"
	"testing"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
)

// TestSearchByName: the lists' ?name= filter (issue 13's search), through
// the API of a real node: case and full-/half-width folded, and bounded.
func TestSearchByName(t *testing.T) {
	_, _, base := startNode(t)
	accounts := func(name string) []string {
		t.Helper()
		status, body, _ := get(t, base+"/api/v1/accounts?name="+url.QueryEscape(name))
		if status != 200 {
			t.Fatalf("accounts?name=%s: %d %s", name, status, body)
		}
		var ans accountsv1.QueryAccountsResponse
		if err := module.UnmarshalJSON(body, &ans); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range ans.Accounts {
			out = append(out, a.LegalName)
		}
		return out
	}
	if got := accounts("ＳＥＣＲＥＴ"); len(got) != 1 || got[0] != "secretariat" { // full-width query, half-width name
		t.Fatalf("accounts named ＳＥＣＲＥＴ: %v", got)
	}
	if got := accounts("KY"); len(got) != 1 || got[0] != "kyoto" {
		t.Fatalf("accounts named KY: %v", got)
	}
	if got := accounts("no such name"); len(got) != 0 {
		t.Fatalf("accounts named 'no such name': %v", got)
	}
	for _, path := range []string{"/api/v1/projects", "/api/v1/batches"} {
		status, body, _ := get(t, base+path+"?name="+url.QueryEscape("ＦＯＲＥＳＴ"))
		if status != 200 || !strings.Contains(string(body), `"page"`) {
			t.Fatalf("%s?name=: %d %s", path, status, body)
		}
		var err error
		if path == "/api/v1/projects" {
			err = module.UnmarshalJSON(body, &projectsv1.QueryProjectsResponse{})
		} else {
			err = module.UnmarshalJSON(body, &creditsv1.QueryBatchesResponse{})
		}
		if err != nil {
			t.Fatal(err)
		}
		if status, body, _ := get(t, base+path+"?name="+strings.Repeat("x", module.MaxNameFilter+1)); status != 400 {
			t.Fatalf("%s with an overlong name: %d %s", path, status, body)
		}
	}
}
