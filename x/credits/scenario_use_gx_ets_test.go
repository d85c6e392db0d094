package credits_test

import (
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
)

// GX-ETS takes J-Credits (JC, JCL) of every category, and neither J-VER
// nor 国内クレジット. (The operator and the cap: msg_retire_gx_test.go.)
func TestUseGXETS(t *testing.T) {
	cells := categoryRow(re, rh, es, forest, ip, ag, wa)
	cells = append(cells,
		cell{name: "JCL", batch: genBatch{category: es, scheme: "JCL"}, want: allowed},
		cell{name: "J-VER", batch: genBatch{category: forest, scheme: "JP", creditType: "JRM"}, want: credits.ErrUseNotAllowed},
		cell{name: "国内クレジット", batch: genBatch{category: es, scheme: "KC", creditType: "KC"}, want: credits.ErrUseNotAllowed},
	)
	checkRow(t, creditsv1.Use_USE_GX_ETS, cells, nil)
}

// A GX-ETS retirement counts for the beneficiary account, or the signer
// when none is named; one for an account no ministry marked an operator
// would count for nobody, permanently, so it is refused (credits/86) with
// the account to mark and how, leaving the state unchanged but the nonce
// (execRefused). Marked, the same retirement counts for it.
func TestUseGXETSRefusedForANonOperator(t *testing.T) {
	c := newChain(t, append(holders("bob"), holder{name: "alice", roles: []accountsv1.Role{accountsv1.Role_ROLE_PROVIDER}}), genBatch{category: es, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 10}}})
	msg := &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Alice K.K.", Uses: []creditsv1.Use{creditsv1.Use_USE_GX_ETS}, FiscalYear: 2025}
	res := execRefused(t, c, "alice", msg)
	if res.Code != credits.ErrGxNotOperator.Code || !strings.Contains(res.Log, "(alice, account") || !strings.Contains(res.Log, "tx accounts gx-operator") {
		t.Fatalf("signer no operator: %d %s", res.Code, res.Log)
	}
	// The signer (a provider) is an operator, the beneficiary account it
	// retires for is not.
	gxOperator(t, c, "alice", 2025, 1_000)
	forBob := &creditsv1.MsgRetire{Quantity: 1, Beneficiary: "Bob K.K.", BeneficiaryAccount: apptest.Addr("bob").Hex(),
		Uses: []creditsv1.Use{creditsv1.Use_USE_GX_ETS}, FiscalYear: 2025}
	res = execRefused(t, c, "alice", forBob)
	if res.Code != credits.ErrGxNotOperator.Code || !strings.Contains(res.Log, "(bob, account") {
		t.Fatalf("beneficiary no operator: %d %s", res.Code, res.Log)
	}
	c.MustExec("meti", &accountsv1.MsgSetGxOperator{Address: apptest.Addr("bob").Hex(), CorporateNumber: corporateNumber("180301018771"),
		FiscalYear: 2025, VerifiedTCo2: 1_000, DocumentHash: reportHash})
	if r := retirementOf(t, c, retirementID(t, c.MustExec("alice", forBob))); r.GxOperatorAccount != c.AccountNumber("bob") {
		t.Fatalf("counts for %d", r.GxOperatorAccount)
	}
	c.MustExec("alice", msg)
	if g := gxTotal(t, c, "alice", 2025); g.Retired != 1 {
		t.Fatalf("alice's total %+v", g)
	}
}
