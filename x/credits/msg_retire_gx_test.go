package credits_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/credits"
)

// GX-ETS compliance: from fiscal year 2026 operators emitting 100 kt CO2 a
// year or more must cover their emissions; J-Credits may cover at most 10 %
// of the verified emissions (a share only a ministry quorum changes). A
// GX-ETS retirement counts for the operator named as its beneficiary
// account (or the signer) and the fiscal year it reports, and is refused
// over the cap.

// corporateNumber makes a valid 法人番号 from a 12-digit body.
func corporateNumber(body string) string {
	sum := 0
	for i := 1; i <= 12; i++ {
		q := 1
		if i%2 == 0 {
			q = 2
		}
		sum += int(body[12-i]-'0') * q
	}
	return fmt.Sprint(9-sum%9) + body
}

const reportHash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"

// gxOperator has meti mark name as a GX-ETS operator with verified
// emissions for fiscal year fy.
func gxOperator(t *testing.T, c *apptest.Chain, name string, fy uint32, verified uint64) {
	t.Helper()
	c.MustExec("meti", &accountsv1.MsgSetGxOperator{Address: apptest.Addr(name).Hex(), CorporateNumber: corporateNumber("180301018771"),
		FiscalYear: fy, VerifiedTCo2: verified, DocumentHash: reportHash})
}

func gxRetire(qty uint64, fy uint32) *creditsv1.MsgRetire {
	return &creditsv1.MsgRetire{Quantity: qty, Beneficiary: "Steel K.K.", Use: creditsv1.Use_USE_GX_ETS, FiscalYear: fy}
}

func gxTotal(t *testing.T, c *apptest.Chain, name string, fy uint32) *creditsv1.GxRetired {
	t.Helper()
	ans := &creditsv1.QueryGxRetiredResponse{}
	if err := c.Read("/credits/GxRetired", &creditsv1.QueryGxRetiredRequest{Operator: apptest.Addr(name).Hex(), FiscalYear: fy}, ans); err != nil {
		t.Fatal(err)
	}
	return ans.Retired
}

func TestGXETSRetirementsWithinAndOverTheCapAcrossTwoFiscalYears(t *testing.T) {
	c := newChain(t, holders("steel", "bob"),
		genBatch{category: es, vintageStart: "2024-04-01", alloc: []alloc{{"steel", 5000}}})
	// Before a ministry marks it an operator, a GX-ETS retirement would
	// count for nobody: refused, saying who must be marked and how.
	res := execRefused(t, c, "steel", gxRetire(10, 2025))
	for _, want := range []string{"(steel, account", "is not a GX-ETS operator", "tx accounts gx-operator", "beneficiary account, or the signer"} {
		if !strings.Contains(res.Log, want) || res.Code != credits.ErrGxNotOperator.Code {
			t.Fatalf("not an operator: %q lacks %q", res.Log, want)
		}
	}
	// An operator without verified emissions for the year has no cap.
	c.MustExec("meti", &accountsv1.MsgSetGxOperator{Address: apptest.Addr("steel").Hex(), CorporateNumber: corporateNumber("180301018771")})
	res = execRefused(t, c, "steel", gxRetire(10, 2025))
	if !strings.Contains(res.Log, "cap is 0 t-CO2") || res.Code != credits.ErrGxCap.Code {
		t.Fatalf("no emissions: %s", res.Log)
	}
	// FY2025: verified 12,345 t-CO2, cap floor(1234.5) = 1234.
	gxOperator(t, c, "steel", 2025, 12_345)
	c.MustExec("steel", gxRetire(1000, 2025))
	res = execRefused(t, c, "steel", gxRetire(235, 2025))
	for _, want := range []string{"cap 1234 t-CO2", "10% of verified emissions 12345 t-CO2", "fiscal year 2025", "used 1000", "requested 235", "at most 234 more"} {
		if !strings.Contains(res.Log, want) || res.Code != credits.ErrGxCap.Code {
			t.Fatalf("over the cap: %q lacks %q", res.Log, want)
		}
	}
	rec := c.MustExec("steel", gxRetire(234, 2025)) // exactly to the cap
	// FY2026 has its own cap; FY2025's is full.
	gxOperator(t, c, "steel", 2026, 20_000)
	rejects(t, c, credits.ErrGxCap, "steel", gxRetire(1, 2025))
	c.MustExec("steel", gxRetire(2000, 2026))
	rejects(t, c, credits.ErrGxCap, "steel", gxRetire(1, 2026))
	if g := gxTotal(t, c, "steel", 2025); g.Retired != 1234 || len(g.RetirementIds) != 2 {
		t.Fatalf("FY2025 total %+v", g)
	}
	if g := gxTotal(t, c, "steel", 2026); g.Retired != 2000 || len(g.RetirementIds) != 1 {
		t.Fatalf("FY2026 total %+v", g)
	}
	if r := retirementOf(t, c, retirementID(t, rec)); r.GxOperatorAccount != c.AccountNumber("steel") || r.FiscalYear != 2025 {
		t.Fatalf("record %+v", r)
	}
	// Other uses are not counted against the cap.
	c.MustExec("steel", &creditsv1.MsgRetire{Quantity: 10, Beneficiary: "Steel K.K.", Use: creditsv1.Use_USE_OTHER, FiscalYear: 2026})
	// Only a ministry marks operators; a corporate number has a check digit.
	rejects(t, c, accounts.ErrUnauthorized, "bob", &accountsv1.MsgSetGxOperator{Address: apptest.Addr("bob").Hex(), CorporateNumber: corporateNumber("180301018771")})
	rejects(t, c, accounts.ErrInvalidGxOperator, "meti", &accountsv1.MsgSetGxOperator{Address: apptest.Addr("bob").Hex(), CorporateNumber: "2180301018771"})
}

// The share is a parameter only a ministry quorum changes: with 20 % the
// same operator may use twice as much.
func TestTheGXETSCapShareChangesOnlyByMinistryQuorum(t *testing.T) {
	c := newChain(t, holders("steel"), genBatch{category: es, vintageStart: "2024-04-01", alloc: []alloc{{"steel", 5000}}})
	gxOperator(t, c, "steel", 2026, 10_000)
	c.MustExec("steel", gxRetire(1000, 2026))
	rejects(t, c, credits.ErrGxCap, "steel", gxRetire(1, 2026))
	rejects(t, c, accounts.ErrInvalidProposal, "meti", &accountsv1.MsgProposeGxEtsCap{Change: &accountsv1.GxEtsCapChange{CapPercent: 101}})
	rejects(t, c, accounts.ErrUnauthorized, "steel", &accountsv1.MsgProposeGxEtsCap{Change: &accountsv1.GxEtsCapChange{CapPercent: 20}})
	c.MustExec("meti", &accountsv1.MsgProposeGxEtsCap{Change: &accountsv1.GxEtsCapChange{CapPercent: 20}})
	// One ministry alone changes nothing.
	rejects(t, c, credits.ErrGxCap, "steel", gxRetire(1, 2026))
	c.MustExec("moe", &accountsv1.MsgApproveProposal{ProposalId: 1})
	c.MustExec("steel", gxRetire(1000, 2026))
	rejects(t, c, credits.ErrGxCap, "steel", gxRetire(1, 2026))
	ans := &accountsv1.QueryGxOperatorResponse{}
	if err := c.Read("/accounts/GxOperator", &accountsv1.QueryGxOperatorRequest{Account: apptest.Addr("steel").Hex(), FiscalYear: 2026}, ans); err != nil ||
		ans.CapPercent != 20 || ans.CapTCo2 != 2000 || ans.Emissions.GetVerifiedTCo2() != 10_000 {
		t.Fatalf("operator %+v %v", ans, err)
	}
}

// A provider retires for its client operator, which the record names.
func TestAProviderRetiresForAGXETSOperator(t *testing.T) {
	c := newChain(t, append(holders("steel"), holder{name: "prov", roles: []accountsv1.Role{accountsv1.Role_ROLE_PROVIDER}}),
		genBatch{category: es, vintageStart: "2024-04-01", alloc: []alloc{{"prov", 500}}})
	gxOperator(t, c, "steel", 2026, 1_000)
	msg := gxRetire(101, 2026)
	msg.BeneficiaryAccount = apptest.Addr("steel").Hex()
	rejects(t, c, credits.ErrGxCap, "prov", msg)
	msg.Quantity = 100
	c.MustExec("prov", msg)
	if g := gxTotal(t, c, "steel", 2026); g.Retired != 100 {
		t.Fatalf("total %+v", g)
	}
	// The provider itself is no operator: its own GX-ETS retirement would
	// count for nobody and is refused; the operator's total is unchanged.
	rejects(t, c, credits.ErrGxNotOperator, "prov", gxRetire(1, 2026))
	if g := gxTotal(t, c, "steel", 2026); g.Retired != 100 {
		t.Fatalf("total %+v", g)
	}
}
