package app_test

// Issue 10 finding 6: NUL and right-to-left override characters were
// committed in a retirement's beneficiary and details, where they can make
// a certificate display another text than the one stored. Every free-text
// field of every message refuses control and bidirectional formatting
// characters, with an error naming the field.

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/app/tx"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/credits"
)

func TestTextFieldsRefuseControlAndBidi(t *testing.T) {
	c := apptest.New(t, nil)
	addr := apptest.Addr("x").Hex()
	serials := []string{serial(1)}
	member := func(name, site string) *projectsv1.MemberSpec {
		return &projectsv1.MemberSpec{Name: name, Site: site, Address: addr, ShareBps: 10000}
	}
	// Each case builds a valid message with text in one field, and names
	// the field as its error must.
	cases := []struct {
		field string
		msg   func(text string) proto.Message
	}{
		{"legal name", func(s string) proto.Message {
			return &accountsv1.MsgOpenAccount{Address: addr, LegalName: s, EntityKind: accountsv1.EntityKind_ENTITY_KIND_CORPORATION, Country: "JP"}
		}},
		{"reason", func(s string) proto.Message { return &accountsv1.MsgSuspendAccount{Address: addr, Reason: s} }},
		{"reason", func(s string) proto.Message { return &accountsv1.MsgReactivateAccount{Address: addr, Reason: s} }},
		{"reason", func(s string) proto.Message { return &accountsv1.MsgCloseAccount{Address: addr, Reason: s} }},
		{"name", func(s string) proto.Message {
			return &accountsv1.MsgProposeValidatorChange{Change: &accountsv1.ValidatorChange{
				Kind: accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_ADD, PubKey: apptest.ConsensusKey("n"), Power: 1, Operator: addr, Name: s}}
		}},
		{"info", func(s string) proto.Message {
			return &accountsv1.MsgProposeUpgrade{Change: &accountsv1.UpgradeChange{Plan: &upgradev1.Plan{Name: "v2", Height: 100, Info: s}}}
		}},
		{"title", func(s string) proto.Message {
			return &projectsv1.MsgAdoptMethodology{Code: "EN-S-009", Title: s, Category: creditsv1.Category_CATEGORY_ENERGY_SAVING}
		}},
		{"name", func(s string) proto.Message { p := project(); p.Name = s; return p }},
		{"member 0: name", func(s string) proto.Message {
			p := project()
			p.Kind, p.Members = projectsv1.ProjectKind_PROJECT_KIND_PROGRAM, []*projectsv1.MemberSpec{member(s, "Ayabe")}
			return p
		}},
		{"site", func(s string) proto.Message {
			p := project()
			p.Kind, p.Members = projectsv1.ProjectKind_PROJECT_KIND_PROGRAM, []*projectsv1.MemberSpec{member("Farm A", s)}
			return p
		}},
		{"reason", func(s string) proto.Message {
			return &projectsv1.MsgRejectProject{ProjectId: "JCP-000001", Reason: s}
		}},
		{"reason", func(s string) proto.Message {
			return &projectsv1.MsgTerminateProject{ProjectId: "JCP-000001", Reason: s}
		}},
		{"reason", func(s string) proto.Message {
			return &projectsv1.MsgRejectReport{ReportId: "JCP-000001-R001", Reason: s}
		}},
		{"beneficiary", func(s string) proto.Message {
			return &creditsv1.MsgRetire{Serials: serials, Beneficiary: s, Use: creditsv1.Use_USE_RE100, FiscalYear: 2025}
		}},
		{"details", func(s string) proto.Message {
			return &creditsv1.MsgRetire{Serials: serials, Beneficiary: "Kyoto Forest Co.", Details: s, Use: creditsv1.Use_USE_RE100, FiscalYear: 2025}
		}},
		{"reason", func(s string) proto.Message { return &creditsv1.MsgCancel{Serials: serials, Reason: s} }},
		// The scheme's rules (issue 12): offset targets, places, labels,
		// legacy imports.
		{"its name", func(s string) proto.Message {
			return &creditsv1.MsgRetire{Serials: serials, Beneficiary: "Kyoto Forest Co.", Use: creditsv1.Use_USE_CARBON_OFFSET, FiscalYear: 2025,
				OffsetTarget: &creditsv1.OffsetTarget{Kind: creditsv1.OffsetKind_OFFSET_KIND_EVENT, Name: s, Location: &creditsv1.Location{PrefectureCode: "13"}}}
		}},
		{"municipality", func(s string) proto.Message {
			return &creditsv1.MsgRetire{Serials: serials, Beneficiary: "Kyoto Forest Co.", Use: creditsv1.Use_USE_CARBON_OFFSET, FiscalYear: 2025,
				OffsetTarget: &creditsv1.OffsetTarget{Kind: creditsv1.OffsetKind_OFFSET_KIND_EVENT, Name: "Tokyo marathon", Location: &creditsv1.Location{PrefectureCode: "13", Municipality: s}}}
		}},
		{"municipality", func(s string) proto.Message {
			p := project()
			p.Prefecture, p.Location = "", &creditsv1.Location{PrefectureCode: "26", Municipality: s}
			return p
		}},
		{"reason", func(s string) proto.Message {
			return &creditsv1.MsgSetBatchLabel{BatchId: "JC-00000001", Reason: s,
				Label: &creditsv1.Label{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE, CorsiaPhase: creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST}}
		}},
		{"original project id", func(s string) proto.Message { m := legacyImport(); m.OriginalProjectId = s; return m }},
		{"methodology", func(s string) proto.Message { m := legacyImport(); m.Methodology = s; return m }},
		{"original serials", func(s string) proto.Message { m := legacyImport(); m.OriginalSerials = s; return m }},
		{"reason", func(s string) proto.Message { m := legacyImport(); m.Reason = s; return m }},
		{"project name", func(s string) proto.Message { m := legacyImport(); m.ProjectName = s; return m }},
		{"municipality", func(s string) proto.Message { m := legacyImport(); m.Origin.Municipality = s; return m }},
	}
	bad := map[string]string{
		"NUL":                    "Kyoto\x00Forest Co.",
		"right-to-left override": "Kyoto Forest \u202Efdp.exe",
		"line break":             "Kyoto\nForest Co.",
		"isolate":                "Kyoto \u2067Forest\u2069 Co.",
	}
	seen := map[protoreflect.FullName]bool{}
	for _, tc := range cases {
		good := tc.msg("Kyoto Forest Co. 京都の森")
		name := good.ProtoReflect().Descriptor().FullName()
		seen[name] = true
		rt, ok := c.App.Router().Route(name)
		if !ok {
			t.Fatalf("%s is not routed", name)
		}
		if err := rt.Validate(good); err != nil {
			t.Fatalf("%s with plain text in %s: %v", name, tc.field, err)
		}
		for what, text := range bad {
			err := rt.Validate(tc.msg(text))
			if err == nil {
				t.Errorf("%s accepts a %s in %s", name, what, tc.field)
				continue
			}
			if !strings.Contains(err.Error(), tc.field) || !(strings.Contains(err.Error(), "control character") || strings.Contains(err.Error(), "bidirectional")) {
				t.Errorf("%s, %s in %s: %q does not name the field and the character", name, what, tc.field, err)
			}
		}
	}
	// A proposed use table's note and sources are checked by its handler
	// (x/credits owns the table's rules): a refusal in the block, which
	// spends the proposer's nonce.
	for what, text := range bad {
		for _, field := range []string{"note", "source"} {
			table := credits.DefaultUseTable()
			if field == "note" {
				table.Note = text
			} else {
				table.Rules[0].Source = text
			}
			res := c.ExecFails("meti", &accountsv1.MsgProposeUseTable{Change: &accountsv1.UseTableChange{Table: table}})
			if res.Code != credits.ErrInvalidUseTable.Code || !strings.Contains(res.Log, field) ||
				!(strings.Contains(res.Log, "control character") || strings.Contains(res.Log, "bidirectional")) {
				t.Errorf("a use table with a %s in its %s: %d %q", what, field, res.Code, res.Log)
			}
		}
	}
	// The memo too, and it is a message-level refusal: the nonce is spent.
	for what, text := range bad {
		body, err := tx.Body{ChainID: apptest.ChainID, Nonce: c.Nonce("secretariat"), Memo: text}.Build(openMsg("y"))
		if err != nil {
			t.Fatal(err)
		}
		raw := signBody(t, "secretariat", body)
		if r := checkTx(t, c, raw); r.Code != app.ErrInvalidMemo.Code || !strings.Contains(r.Log, "memo") {
			t.Errorf("a memo with a %s: CheckTx %d %q", what, r.Code, r.Log)
		}
		wantResult(t, "a memo with a "+what, c.ExecFailsRaw(raw), app.ErrInvalidMemo)
	}
}

func project() *projectsv1.MsgSubmitProject {
	return &projectsv1.MsgSubmitProject{
		Name: "Kyoto plant boiler replacement", Kind: projectsv1.ProjectKind_PROJECT_KIND_STANDARD,
		Methodology: "EN-S-001", Prefecture: "JP-26", CreditingStart: "2023-04-01", CreditingEnd: "2031-03-31",
		ExpectedReductions: 12000, PlanHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	}
}

func legacyImport() *creditsv1.MsgImportLegacyBatch {
	return &creditsv1.MsgImportLegacyBatch{
		SchemeSymbol: "JP", CreditType: "JRM", CertificationNumber: "JV-0123", OriginalProjectId: "J-VER-0042",
		ProjectName: "Kochi prefectural forest", Methodology: "R001", Category: creditsv1.Category_CATEGORY_FOREST,
		VintageStart: "2012-04-01", VintageEnd: "2013-03-31", Origin: &creditsv1.Location{PrefectureCode: "39", Municipality: "梼原町"},
		OriginalSerialStart: 5001, OriginalSerialEnd: 5100, OriginalSerials: "JP-39-0042-xxxx",
		Holder: apptest.Addr("x").Hex(), Reason: "transfer from the J-VER registry",
	}
}
