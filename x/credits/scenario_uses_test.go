package credits_test

import (
	"fmt"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The vocabulary of the use scenarios (scenario_use_*_test.go): one file
// per use, its row of the category-by-use table cell by cell. Each cell is
// a batch of ten credits alice holds (migrated at genesis, created in
// Kyoto, vintage 2024); the scenario retires one credit of each for the
// use, and the cell is allowed — the record names the use, the table
// version and the batch's facts — or refused with its code and the app
// hash unchanged. The chain's block time is 1 April 2026, 09:00 JST and on:
// fiscal 2026, inside 温対法's grace period, so fiscal 2025 suits every use.

const (
	rh = creditsv1.Category_CATEGORY_RENEWABLE_HEAT
	ip = creditsv1.Category_CATEGORY_INDUSTRIAL_PROCESS
	ag = creditsv1.Category_CATEGORY_AGRICULTURE
	wa = creditsv1.Category_CATEGORY_WASTE
)

// allowed and refused mark a cell.
var allowed *module.Error

// cell is one cell of a use's row.
type cell struct {
	name  string
	batch genBatch
	// mod adjusts the retirement (a CORSIA phase, another offset target).
	mod  func(*creditsv1.MsgRetire)
	want *module.Error
}

// categoryRow is the row over the seven categories, allowed in those
// listed.
func categoryRow(ok ...creditsv1.Category) []cell {
	var cells []cell
	for _, c := range []creditsv1.Category{re, rh, es, forest, ip, ag, wa} {
		want := credits.ErrUseNotAllowed
		for _, o := range ok {
			if o == c {
				want = allowed
			}
		}
		cells = append(cells, cell{name: categoryCode(c), batch: genBatch{category: c}, want: want})
	}
	return cells
}

func categoryCode(c creditsv1.Category) string { return creditstypes.CategoryCode(c) }

// checkRow runs a use's row (see above). base gives the retirement's
// other fields (an offset target).
func checkRow(t *testing.T, use creditsv1.Use, cells []cell, base func(*creditsv1.MsgRetire)) {
	t.Helper()
	var batches []genBatch
	for _, c := range cells {
		b := c.batch
		if b.vintageStart == "" {
			b.vintageStart = "2024-04-01"
		}
		b.alloc = []alloc{{"alice", 10}}
		batches = append(batches, b)
	}
	c := newChain(t, holders("alice"), batches...)
	if use == creditsv1.Use_USE_GX_ETS {
		// A GX-ETS retirement counts for an operator, within its cap.
		gxOperator(t, c, "alice", 2025, 1_000_000)
	}
	for i, cl := range cells {
		b := batches[i]
		msg := &creditsv1.MsgRetire{
			Serials:     []string{ser(uint64(i+1), b.category, creditstypes.VintageYear(b.vintageStart), 1, 1)},
			Beneficiary: "Alice K.K.", Uses: []creditsv1.Use{use}, FiscalYear: 2025,
		}
		if base != nil {
			base(msg)
		}
		if cl.mod != nil {
			cl.mod(msg)
		}
		t.Run(fmt.Sprintf("%s/%s", use, cl.name), func(t *testing.T) {
			if cl.want != allowed {
				rejects(t, c, cl.want, "alice", msg)
				return
			}
			res := c.MustExec("alice", msg)
			id := retirementID(t, res)
			rec := retirementOf(t, c, id)
			blk := rec.Blocks[0]
			if len(rec.Uses) != 1 || rec.Uses[0] != use || rec.RuleVersion != 1 || rec.Quantity != 1 ||
				blk.Category != b.category || blk.SchemeSymbol == "" || blk.CreditType == "" || blk.CertificationNumber == "" ||
				blk.ProjectName == "" || blk.Origin.GetPrefectureCode() == "" {
				t.Fatalf("record %v", rec)
			}
		})
	}
}

// retirementID is the id a successful retirement's result names.
func retirementID(t testing.TB, res *abciExecResult) string {
	t.Helper()
	for _, e := range res.Events {
		if e.Type == credits.EventRetirement {
			for _, a := range e.Attributes {
				if a.Key == "retirement_id" {
					return a.Value
				}
			}
		}
	}
	t.Fatalf("no retirement in %v", res.Events)
	return ""
}

func retirementOf(t testing.TB, c *apptest.Chain, id string) *creditsv1.Retirement {
	t.Helper()
	ans := &creditsv1.QueryRetirementResponse{}
	if err := c.Read("/credits/Retirement", &creditsv1.QueryRetirementRequest{Id: id}, ans); err != nil {
		t.Fatalf("retirement %s: %v", id, err)
	}
	return ans.Retirement
}

func corsiaLabel(p creditsv1.CorsiaPhase) []*creditsv1.Label {
	return []*creditsv1.Label{{Kind: creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE, CorsiaPhase: p}}
}
