package proof

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app"
	"github.com/jcredit/jcredit/app/apptest"
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
)

// An auditor checks an operator's GX-ETS filing offline: its verified
// emissions, the cap in force, its total retired for the year and every
// retirement record behind it, all proven against one app hash.
func TestGXETSComplianceBundleVerifies(t *testing.T) {
	c := apptest.New(t, app.GenesisState{"accounts": apptest.AccountsGenesis(apptest.DefaultAccounts()), "credits": creditsGenesis(t)})
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	meti := apptest.Addr("meti").Hex()
	retire := func(q uint64) *creditsv1.MsgRetire {
		return &creditsv1.MsgRetire{Quantity: q, Beneficiary: "METI", Use: creditsv1.Use_USE_GX_ETS, FiscalYear: 2026}
	}
	for _, r := range src.block(
		c.Tx("meti", &accountsv1.MsgSetGxOperator{Address: meti, CorporateNumber: "1180301018771", FiscalYear: 2026, VerifiedTCo2: 45,
			DocumentHash: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"})) {
		if r.Code != 0 {
			t.Fatal(r.Log)
		}
	}
	for _, q := range []uint64{3, 1} {
		if r := src.block(c.Tx("meti", retire(q))); r[0].Code != 0 {
			t.Fatal(r[0].Log)
		}
	}
	if r := src.block(c.Tx("meti", retire(1))); r[0].Code == 0 { // cap floor(4.5) = 4
		t.Fatal("a retirement over the cap succeeded")
	}
	src.block()
	n := c.AccountNumber("meti")
	bd, err := (&Builder{Source: src}).GxEtsFor(context.Background(), meti, 2026)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals, apptest.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"GX-ETS operator account #" + itoa64(int64(n)) + " (corporate number 1180301018771), fiscal year 2026",
		"verified emissions 45 t-CO2; cap 4 t-CO2 (10%)", "retired for GX-ETS 4 t-CO2 in 2 retirements: JCR-00000002 (3), JCR-00000003 (1)"} {
		if !strings.Contains(res.Statement, want) {
			t.Fatalf("statement %q lacks %q", res.Statement, want)
		}
	}
	// Leaving out a retirement, or any entry, fails: the records must add
	// up to the proven total.
	short := roundTrip(t, bd)
	short.Also = short.Also[:len(short.Also)-1]
	if _, err := Verify(short, TrustSet(fourVals.vals, apptest.ChainID)); !errors.Is(err, ErrStepRecord) {
		t.Fatalf("a bundle without one of its retirements: %v", err)
	}
	tampered := roundTrip(t, bd)
	tampered.Also[1].Value = flip(tampered.Also[1].Value, len(tampered.Also[1].Value)-3)
	if _, err := Verify(tampered, TrustSet(fourVals.vals, apptest.ChainID)); err == nil {
		t.Fatal("tampered emissions verified")
	}
	other := roundTrip(t, bd)
	other.Subject = GxSubject(n, 2025)
	if _, err := Verify(other, TrustSet(fourVals.vals, apptest.ChainID)); !errors.Is(err, ErrStepRecord) {
		t.Fatalf("the bundle passed off as another year's: %v", err)
	}
	// A year without records is proven too: nothing retired, no emissions.
	bd, err = (&Builder{Source: src}).GxEts(context.Background(), n, 2027)
	if err != nil {
		t.Fatal(err)
	}
	if res, err = Verify(roundTrip(t, bd), TrustSet(fourVals.vals, apptest.ChainID)); err != nil ||
		!strings.Contains(res.Statement, "no verified emissions recorded (cap 0 t-CO2); J-Credits retired for GX-ETS 0 t-CO2 in 0 retirements: none") {
		t.Fatalf("FY2027: %v %+v", err, res)
	}
}
