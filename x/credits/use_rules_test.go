package credits_test

import (
	"errors"
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
)

// TestDefaultTableIsThePublishedTable compares the table a chain starts
// with, cell by cell, with the property test's independent model of the
// published table: every use against every category, both J-Credit scheme
// symbols, a J-VER and a 国内クレジット batch, with and without CORSIA labels.
func TestDefaultTableIsThePublishedTable(t *testing.T) {
	table := credits.DefaultUseTable()
	if err := credits.ValidateUseTable(table); err != nil {
		t.Fatal(err)
	}
	if len(table.Rules) != len(allUses) {
		t.Fatalf("%d rows, %d uses", len(table.Rules), len(allUses))
	}
	type batchKind struct{ scheme, ctype string }
	kinds := []batchKind{{"JC", ""}, {"JCL", ""}, {"KC", "KC"}, {"JP", "JRM"}, {"JP", "JRE"}}
	for _, rule := range table.Rules {
		for c := int32(1); c < int32(len(creditsv1.Category_name)); c++ {
			cat := creditsv1.Category(c)
			for _, k := range kinds {
				for _, labelled := range []bool{false, true} {
					b := &creditsv1.Batch{Id: "JC-00000001", Category: cat, SchemeSymbol: k.scheme, CreditType: k.ctype}
					if k.ctype == "" {
						b.CreditType = creditstypes.DefaultCreditType(k.scheme, cat)
					}
					mb := &mBatch{b: b}
					if labelled {
						mb.labels = []*creditsv1.Label{{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE, CorsiaPhase: creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST}}
						b.Labels = mb.labels
					}
					want := publishedTable(rule.Use, mb, creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST)
					// The model knows J-VER's Keidanren types by name.
					if rule.Use == uKeidanren && k.scheme == "JP" {
						want = k.ctype == "JRM"
					}
					if rule.Use == uKeidanren && k.scheme == "KC" {
						want = false
					}
					err := credits.Accepts(rule, b, creditsv1.CorsiaPhase_CORSIA_PHASE_FIRST)
					if (err == nil) != want {
						t.Errorf("%s with %s %s/%s labelled=%v: got %v, want allowed=%v", rule.Use, cat, b.SchemeSymbol, b.CreditType, labelled, err, want)
					}
					if err != nil && !errors.Is(err, credits.ErrUseNotAllowed) {
						t.Errorf("%s: wrong error %v", rule.Use, err)
					}
				}
			}
		}
	}
}

// TestUseTableValidation refuses tables the rules cannot read.
func TestUseTableValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*creditsv1.UseTable)
	}{
		{"empty", func(t *creditsv1.UseTable) { t.Rules = nil }},
		{"a use twice", func(t *creditsv1.UseTable) { t.Rules = append(t.Rules, t.Rules[0]) }},
		{"no scope", func(t *creditsv1.UseTable) { t.Rules[0].Scope = 0 }},
		{"no fiscal-year rule", func(t *creditsv1.UseTable) { t.Rules[0].FiscalYearRule = 0 }},
		{"unknown scheme", func(t *creditsv1.UseTable) { t.Rules[0].OnlySchemes = []string{"VCS"} }},
		{"a row accepting nothing", func(t *creditsv1.UseTable) { t.Rules[0].Categories = nil }},
		{"unknown category", func(t *creditsv1.UseTable) { t.Rules[0].Categories = []creditsv1.Category{42} }},
		{"control characters in the note", func(t *creditsv1.UseTable) { t.Note = "a\u202eb" }},
	} {
		table := credits.DefaultUseTable()
		tc.mod(table)
		if err := credits.ValidateUseTable(table); !errors.Is(err, credits.ErrInvalidUseTable) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// TestV1TableIsWhatReleaseV020Applied: version 0 records the old rules.
func TestV1TableIsWhatReleaseV020Applied(t *testing.T) {
	v1 := credits.V1UseTable()
	if err := credits.ValidateUseTable(v1); err != nil || v1.Version != 0 {
		t.Fatalf("%v %d", err, v1.Version)
	}
	es := &creditsv1.Batch{Id: "JC-00000001", Category: creditsv1.Category_CATEGORY_ENERGY_SAVING}
	for _, r := range v1.Rules {
		err := credits.Accepts(r, es, 0)
		want := r.Use != creditsv1.Use_USE_RE100 && r.Use != creditsv1.Use_USE_CORSIA
		if (err == nil) != want {
			t.Errorf("v0.2.0 rules, %s of energy-saving credits: %v", r.Use, err)
		}
	}
}
