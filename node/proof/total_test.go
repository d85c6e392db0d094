package proof

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// totalsChain: the credits genesis of creditsBundle (20 forest credits:
// 10 retired for a carbon offset in FY2024 by meti, 3 cancelled) and one
// more retirement made by a transaction (meti, 2 credits, use "other",
// FY2025).
func totalsChain(t *testing.T) (*appSource, *Builder) {
	t.Helper()
	c := apptest.New(t, app.GenesisState{"accounts": apptest.AccountsGenesis(apptest.DefaultAccounts()), "credits": creditsGenesis(t)})
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	res := src.block(c.Tx("meti", &creditsv1.MsgRetire{Quantity: 2, Beneficiary: "森の会社", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2025}))
	if res[0].Code != 0 {
		t.Fatalf("retire: %s", res[0].Log)
	}
	src.block()
	return src, &Builder{Source: src}
}

var totalCases = []struct {
	name, subject string // subject as asked (an account by address)
	canonical     string
	exists        bool
	statement     string
}{
	{"retired-use-year", "retired,use=carbon-offset,fiscal_year=2024", "", true, "retired for use CARBON_OFFSET in FY2024 = 10"},
	{"retired-use-year-new", "retired,use=OTHER,fiscal_year=2025", "retired,use=other,fiscal_year=2025", true, "retired for use OTHER in FY2025 = 2"},
	{"retired-re100-absent", "retired,use=re100,fiscal_year=2025", "", false, "retired for use RE100 in FY2025 = 0 (no counter: nothing counted)"},
	{"retired-total", "retired", "", true, "retired = 12"},
	{"retirements-year", "retirements,fiscal_year=2025", "", true, "retirements (records) in FY2025 = 1"},
	{"issued-category", "issued,category=FO", "", true, "issued of category FO = 20"},
	{"cancelled-vintage", "cancelled,vintage_year=2022", "", true, "cancelled of vintage 2022 = 3"},
	{"issued-prefecture-unknown", "issued,prefecture=unknown", "", true, "issued created in an unrecorded place = 20"},
	{"account-year", "retired,account=" + apptest.Addr("meti").Hex() + ",fiscal_year=2025", "retired,account=1,fiscal_year=2025", true, "retired for account #1 for every use in FY2025 = 2"},
	{"account-use-year-absent", "retired,account=1,use=re100,fiscal_year=2025", "", false, "retired for account #1 for use RE100 in FY2025 = 0"},
}

// Totals are proven like records: present (the counter) or absent (0),
// against the app hash in a header the trusted validators signed, and the
// statement says what was counted and how many.
func TestTotalProofsVerify(t *testing.T) {
	_, b := totalsChain(t)
	trust := TrustSet(fourVals.vals, apptest.ChainID)
	for _, tc := range totalCases {
		bd, err := b.Total(context.Background(), tc.subject)
		if err != nil {
			t.Fatalf("%s: %v", tc.subject, err)
		}
		want := tc.canonical
		if want == "" {
			want = tc.subject
		}
		if bd.Subject != want {
			t.Fatalf("%s: subject %q, want %q", tc.subject, bd.Subject, want)
		}
		res, err := Verify(roundTrip(t, bd), trust)
		if err != nil {
			t.Fatalf("%s: %v", tc.subject, err)
		}
		if res.Exists != tc.exists || !strings.Contains(res.Statement, tc.statement) || !strings.HasPrefix(res.Statement, "AS OF state ") {
			t.Fatalf("%s: exists %v, statement %q, want %q", tc.subject, res.Exists, res.Statement, tc.statement)
		}
	}
	// Combinations no counter keeps are refused when asked.
	for _, s := range []string{"active", "retired,category=RE,fiscal_year=2025", "retired,account=1", "issued,use=re100", "retirements,use=re100",
		"retired,fiscal_year=2025,fiscal_year=2024", "retired,colour=green", "retired,account=0x0000000000000000000000000000000000000001,fiscal_year=2025"} {
		if _, err := b.Total(context.Background(), s); err == nil {
			t.Fatalf("%s: built", s)
		}
	}
}

// A total's bundle cannot be passed off as another total's, respelt, or
// altered: the key is the subject's, the subject has one spelling, the
// record is the value, and every byte of the file is checked.
func TestTotalProofTamperingFails(t *testing.T) {
	_, b := totalsChain(t)
	trust := TrustSet(fourVals.vals, apptest.ChainID)
	bd, err := b.Total(context.Background(), "retired,use=carbon-offset,fiscal_year=2024")
	if err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*Bundle){
		"another year":      func(x *Bundle) { x.Subject = "retired,use=carbon-offset,fiscal_year=2025" },
		"another use":       func(x *Bundle) { x.Subject = "retired,use=re100,fiscal_year=2024" },
		"respelt":           func(x *Bundle) { x.Subject = "retired,fiscal_year=2024,use=carbon-offset" },
		"upper case":        func(x *Bundle) { x.Subject = "retired,use=CARBON_OFFSET,fiscal_year=2024" },
		"record says more":  func(x *Bundle) { x.Record = json.RawMessage(`{"value":"11"}`) },
		"claimed absent":    func(x *Bundle) { x.Exists, x.Value, x.Record = false, nil, nil },
		"another kind":      func(x *Bundle) { x.Kind = KindBatch },
		"retirement kind":   func(x *Bundle) { x.Kind = KindRetirement },
		"account subject":   func(x *Bundle) { x.Subject = "retired,account=1,fiscal_year=2024" },
		"statistic of zero": func(x *Bundle) { x.Value = []byte{} },
	} {
		x := roundTrip(t, bd)
		mutate(x)
		raw, err := x.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := VerifyJSON(raw, trust); err == nil {
			t.Fatalf("%s: still verifies", name)
		}
	}
	raw, err := bd.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	steps := map[Step]int{}
	for i := range raw {
		_, err := VerifyJSON(flip(raw, i), trust)
		if err == nil {
			t.Fatalf("byte %d (%q in %q) flipped: still verifies", i, raw[i], raw[max(0, i-30):min(len(raw), i+30)])
		}
		steps[StepOf(err)]++
	}
	t.Logf("%d bytes of a total's bundle flipped one at a time, failures by step: %v", len(raw), steps)
}

// TestWriteTotalsCorpus writes the totals' bundles to testdata/totals, for
// the WebAssembly verifier's agreement test (node/api/wasm), when
// JCREDIT_WRITE_TOTALS=1; otherwise it checks that the committed files
// still verify with this verifier as their manifest says.
func TestWriteTotalsCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "totals")
	trust := hex.EncodeToString(fourVals.vals.Hash())
	type entry struct {
		File      string `json:"file"`
		Trust     string `json:"trust"`
		ChainID   string `json:"chain_id"`
		Kind      string `json:"kind"`
		Subject   string `json:"subject"`
		Exists    bool   `json:"exists"`
		Statement string `json:"statement"`
	}
	if os.Getenv("JCREDIT_WRITE_TOTALS") == "1" {
		_, b := totalsChain(t)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "trust.txt"), []byte(trust+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		var m struct {
			Generator string  `json:"generator"`
			Bundles   []entry `json:"bundles"`
		}
		m.Generator = "node/proof/total_test.go TestWriteTotalsCorpus (JCREDIT_WRITE_TOTALS=1)"
		for i, tc := range totalCases {
			bd, err := b.Total(context.Background(), tc.subject)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := bd.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			res, err := VerifyJSON(raw, TrustSet(fourVals.vals, apptest.ChainID))
			if err != nil {
				t.Fatal(err)
			}
			file := "total-" + strconv.Itoa(i) + "-" + tc.name + ".json"
			if err := os.WriteFile(filepath.Join(dir, file), append(raw, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			m.Bundles = append(m.Bundles, entry{File: file, Trust: "trust.txt", ChainID: apptest.ChainID, Kind: KindTotal, Subject: bd.Subject, Exists: bd.Exists, Statement: res.Statement})
		}
		// Projects by status (project_total_test.go's registry).
		_, _, pb := projectsChain(t)
		for i, subject := range []string{"projects,status=registered", "projects"} {
			bd, err := pb.Total(context.Background(), subject)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := bd.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			res, err := VerifyJSON(raw, TrustSet(fourVals.vals, apptest.ChainID))
			if err != nil {
				t.Fatal(err)
			}
			file := "total-projects-" + strconv.Itoa(i) + ".json"
			if err := os.WriteFile(filepath.Join(dir, file), append(raw, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			m.Bundles = append(m.Bundles, entry{File: file, Trust: "trust.txt", ChainID: apptest.ChainID, Kind: KindTotal, Subject: bd.Subject, Exists: bd.Exists, Statement: res.Statement})
		}
		raw, _ := json.MarshalIndent(m, "", "  ")
		if err := os.WriteFile(filepath.Join(dir, "manifest.json"), append(raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatalf("%v (write the corpus with JCREDIT_WRITE_TOTALS=1 go test -run TestWriteTotalsCorpus ./node/proof)", err)
	}
	var m struct{ Bundles []entry }
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	tr, err := ParseTrust([]byte(trust))
	if err != nil {
		t.Fatal(err)
	}
	tr.ChainID = apptest.ChainID
	for _, e := range m.Bundles {
		bz, err := os.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			t.Fatal(err)
		}
		res, err := VerifyJSON(bz, tr)
		if err != nil || res.Statement != e.Statement || res.Exists != e.Exists {
			t.Fatalf("%s: %v %+v", e.File, err, res)
		}
	}
}
