package credits_test

import (
	"bytes"
	"strings"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// The use table is state that only a ministry quorum replaces. One
// ministry's proposal changes nothing; the approval that reaches the
// quorum makes the table the next version, in force from that
// transaction on (a retirement later in the same block is checked against
// it); earlier retirements keep naming their version, which stays
// queryable and provable.
func TestUseTableChangesOnlyByMinistryQuorum(t *testing.T) {
	c := newChain(t, holders("alice"), genBatch{category: rh, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 100}}})
	retire := func(start uint64, use creditsv1.Use) *creditsv1.MsgRetire {
		return &creditsv1.MsgRetire{Serials: []string{ser(1, rh, 2024, start, start+9)}, Beneficiary: "Alice K.K.", Use: use, FiscalYear: 2025}
	}
	before := retirementOf(t, c, retirementID(t, c.MustExec("alice", retire(1, creditsv1.Use_USE_CDP))))
	rejects(t, c, credits.ErrUseNotAllowed, "alice", retire(11, creditsv1.Use_USE_RE100))

	// A table in which RE100 also takes renewable heat (a hypothetical
	// change, to see one take effect).
	table := credits.DefaultUseTable()
	for _, r := range table.Rules {
		if r.Use == creditsv1.Use_USE_RE100 {
			r.Categories = append(r.Categories, rh)
		}
	}
	table.Note = "RE100 takes renewable heat (test)"
	propose := &accountsv1.MsgProposeUseTable{Change: &accountsv1.UseTableChange{Table: table}}
	rejects(t, c, accounts.ErrUnauthorized, "alice", propose)
	bad := credits.DefaultUseTable()
	bad.Rules = append(bad.Rules, bad.Rules[0])
	rejects(t, c, credits.ErrInvalidUseTable, "meti", &accountsv1.MsgProposeUseTable{Change: &accountsv1.UseTableChange{Table: bad}})
	c.MustExec("meti", propose)
	// One ministry alone: the table in force is still version 1.
	rejects(t, c, credits.ErrUseNotAllowed, "alice", retire(11, creditsv1.Use_USE_RE100))
	if v := useTable(t, c, ""); v.Version != 1 {
		t.Fatalf("version %d after one ministry's proposal", v.Version)
	}
	rejects(t, c, accounts.ErrAlreadyApproved, "meti", &accountsv1.MsgApproveProposal{ProposalId: 1})

	// The second ministry's approval, and a retirement after it in the
	// same block.
	res := c.Block(c.Tx("moe", &accountsv1.MsgApproveProposal{ProposalId: 1}), c.Tx("alice", retire(11, creditsv1.Use_USE_RE100)))
	for _, r := range res {
		if r.Code != 0 {
			t.Fatalf("%s", r.Log)
		}
	}
	v2 := useTable(t, c, "")
	if v2.Version != 2 || v2.Height != c.Height || v2.ProposalId != 1 || v2.Note != table.Note {
		t.Fatalf("table in force %v", v2)
	}
	after := retirementOf(t, c, retirementID(t, res[1]))
	if after.RuleVersion != 2 || before.RuleVersion != 1 || retirementOf(t, c, before.Id).RuleVersion != 1 {
		t.Fatalf("rule versions: before %d, after %d", before.RuleVersion, after.RuleVersion)
	}
	// Both versions stay readable and provable.
	if v1 := useTable(t, c, "/1"); v1.Version != 1 || len(v1.Rules) != len(table.Rules) {
		t.Fatalf("version 1 %v", v1)
	}
	q := c.Query("/credits/UseTable", []byte(`{"version":"1"}`), true)
	if q.Code != 0 || q.ProofOps == nil || !bytes.Equal(q.Key, creditstypes.UseTableStoreKey(1)) {
		t.Fatalf("use-table/1: %d %q %v", q.Code, q.Key, q.ProofOps)
	}
	list := &creditsv1.QueryUseTablesResponse{}
	if err := c.Read("/credits/UseTables", nil, list); err != nil || list.Current != 2 || len(list.Tables) != 2 || list.Tables[1].Version != 2 {
		t.Fatalf("use-tables: %v %+v", err, list)
	}
	if !hasEvent(res[0].Events, credits.EventUseTable, "version", "2") {
		t.Fatalf("no %s event: %v", credits.EventUseTable, res[0].Events)
	}
}

func useTable(t *testing.T, c interface {
	Query(string, []byte, bool) *abci.QueryResponse
}, version string) *creditsv1.UseTable {
	t.Helper()
	var data []byte
	if v := strings.TrimPrefix(version, "/"); v != "" {
		data = []byte(`{"version":"` + v + `"}`)
	}
	res := c.Query("/credits/UseTable", data, false)
	if res.Code != 0 {
		t.Fatalf("use-table%s: %s", version, res.Log)
	}
	ans := &creditsv1.QueryUseTableResponse{}
	if err := module.UnmarshalJSON(res.Value, ans); err != nil {
		t.Fatal(err)
	}
	return ans.Table
}
