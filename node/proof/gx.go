package proof

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
)

// KindGxEts proves a GX-ETS operator's compliance use of J-Credits for one
// fiscal year, Subject "<operator account number>/<fiscal year>"
// ("7/2026"): what an auditor needs to check a filing without trusting the
// operator. The primary key is the operator's total retired for the year
// (creditstypes.GxRetiredStoreKey; absent: nothing retired), and beside it,
// in this order, the operator record (accountstypes.GxOperatorStoreKey,
// present: its corporate number), its verified emissions of the year
// (accountstypes.GxEmissionsStoreKey, present or absent), the accounts
// parameters (the cap share in force) and every retirement the total lists
// (creditstypes.RetirementStoreKey), whose quantities must add up to it.
const KindGxEts = "gx-ets"

// MaxGxRecords bounds the retirements a GX-ETS bundle carries.
const MaxGxRecords = 60

// gxFixed is the number of also entries before the retirements.
const gxFixed = 3

// GxSubject is the subject of operator n's fiscal year fy.
func GxSubject(n uint64, fy uint32) string { return fmt.Sprintf("%d/%d", n, fy) }

// ParseGxSubject reads "<account number>/<fiscal year>".
func ParseGxSubject(s string) (uint64, uint32, error) {
	a, y, ok := strings.Cut(s, "/")
	n, err1 := strconv.ParseUint(a, 10, 64)
	fy, err2 := strconv.ParseUint(y, 10, 32)
	if !ok || err1 != nil || err2 != nil || n == 0 || fy < 2000 || fy > 2100 || GxSubject(n, uint32(fy)) != s {
		return 0, 0, fmt.Errorf("%q is not a GX-ETS subject: <operator account number>/<fiscal year>, like 7/2026", s)
	}
	return n, uint32(fy), nil
}

// gxRecordMessage is the stored type of a GX-ETS bundle's key.
func gxRecordMessage(key []byte) proto.Message {
	switch {
	case bytes.HasPrefix(key, []byte(creditstypes.StorePrefix+string(creditstypes.GxRetiredPrefix))):
		return &creditsv1.GxRetired{}
	case bytes.HasPrefix(key, []byte(creditstypes.StorePrefix+string(creditstypes.RetirementPrefix))):
		return &creditsv1.Retirement{}
	case bytes.HasPrefix(key, []byte(accountstypes.StorePrefix+string(accountstypes.GxOperatorPrefix))):
		return &accountsv1.GxOperator{}
	case bytes.HasPrefix(key, []byte(accountstypes.StorePrefix+string(accountstypes.GxEmissionsPrefix))):
		return &accountsv1.GxEmissions{}
	case bytes.Equal(key, accountstypes.ParamsStoreKey()):
		return &accountsv1.Params{}
	}
	return nil
}

// gxFacts are what a checked GX-ETS bundle proves.
type gxFacts struct {
	n         uint64
	fy        uint32
	op        accountsv1.GxOperator
	emissions *accountsv1.GxEmissions
	percent   uint32
	retired   uint64
	records   []*creditsv1.Retirement
	limit     uint64
}

// checkGxEts binds every entry to the subject and the records to the
// total: each retirement names the operator, the year and GX-ETS, each is
// listed once, and their quantities sum to the total.
func checkGxEts(b *Bundle, _ uint64) error {
	_, err := gxCheck(b)
	return err
}

func gxCheck(b *Bundle) (*gxFacts, error) {
	n, fy, err := ParseGxSubject(b.Subject)
	if err != nil {
		return nil, err
	}
	f := &gxFacts{n: n, fy: fy}
	if err := requireKey(b, creditstypes.GxRetiredStoreKey(n, fy), fmt.Sprintf("operator %d's GX-ETS total of fiscal year %d", n, fy)); err != nil {
		return nil, err
	}
	var g creditsv1.GxRetired
	if b.Exists {
		if err := decodeRecord(b, &g); err != nil {
			return nil, err
		}
		if g.OperatorAccount != n || g.FiscalYear != fy {
			return nil, fmt.Errorf("the total is of operator %d, fiscal year %d", g.OperatorAccount, g.FiscalYear)
		}
	} else if err := requireAbsent(b); err != nil {
		return nil, err
	}
	if len(b.Also) != gxFixed+len(g.RetirementIds) {
		return nil, fmt.Errorf("the total lists %d retirements; the bundle must carry the operator, its emissions, the parameters and each of them (%d entries), not %d",
			len(g.RetirementIds), gxFixed+len(g.RetirementIds), len(b.Also))
	}
	want := [][]byte{accountstypes.GxOperatorStoreKey(n), accountstypes.GxEmissionsStoreKey(n, fy), accountstypes.ParamsStoreKey()}
	for _, id := range g.RetirementIds {
		want = append(want, creditstypes.RetirementStoreKey(id))
	}
	for i, e := range b.Also {
		if !bytes.Equal(e.Key, want[i]) {
			return nil, fmt.Errorf("also[%d] has key %X, not %X", i, []byte(e.Key), want[i])
		}
	}
	if !b.Also[0].Exists {
		return nil, fmt.Errorf("account %d is proven not to be a GX-ETS operator", n)
	}
	if err := decodeEntry(b.Also[0], &f.op); err != nil {
		return nil, fmt.Errorf("operator: %w", err)
	}
	if f.op.Account != n {
		return nil, fmt.Errorf("the operator record is of account %d", f.op.Account)
	}
	if b.Also[1].Exists {
		f.emissions = &accountsv1.GxEmissions{}
		if err := decodeEntry(b.Also[1], f.emissions); err != nil {
			return nil, fmt.Errorf("emissions: %w", err)
		}
		if f.emissions.Account != n || f.emissions.FiscalYear != fy {
			return nil, fmt.Errorf("the emissions are of account %d, fiscal year %d", f.emissions.Account, f.emissions.FiscalYear)
		}
	} else if len(b.Also[1].Value) != 0 || len(b.Also[1].Record) != 0 {
		return nil, fmt.Errorf("a proof of absence carries no value and no record")
	}
	var params accountsv1.Params
	if !b.Also[2].Exists {
		return nil, fmt.Errorf("the accounts parameters must be proven present")
	}
	if err := decodeEntry(b.Also[2], &params); err != nil {
		return nil, fmt.Errorf("parameters: %w", err)
	}
	f.percent = params.GxEtsCapPercent
	if f.percent == 0 {
		f.percent = accountstypes.DefaultGxEtsCapPercent
	}
	var sum uint64
	for i, e := range b.Also[gxFixed:] {
		if !e.Exists {
			return nil, fmt.Errorf("retirement %s is listed but proven absent", g.RetirementIds[i])
		}
		r := &creditsv1.Retirement{}
		if err := decodeEntry(e, r); err != nil {
			return nil, fmt.Errorf("retirement %s: %w", g.RetirementIds[i], err)
		}
		gx := false
		for _, u := range r.Uses {
			gx = gx || u == creditsv1.Use_USE_GX_ETS
		}
		if r.Id != g.RetirementIds[i] || r.GxOperatorAccount != n || r.FiscalYear != fy || !gx {
			return nil, fmt.Errorf("retirement %s is not a GX-ETS retirement of operator %d for fiscal year %d", r.Id, n, fy)
		}
		sum += r.Quantity
		f.records = append(f.records, r)
	}
	if sum != g.Retired {
		return nil, fmt.Errorf("the total says %d t-CO2 retired; its retirements hold %d", g.Retired, sum)
	}
	f.retired = g.Retired
	if f.emissions != nil {
		f.limit = accountstypes.GxCap(f.emissions.VerifiedTCo2, f.percent)
	}
	return f, nil
}

// describeGx states a GX-ETS bundle's facts.
func describeGx(b *Bundle) (string, string, error) {
	f, err := gxCheck(b)
	if err != nil {
		return "", "", err
	}
	ids := make([]string, len(f.records))
	for i, r := range f.records {
		ids[i] = fmt.Sprintf("%s (%d)", r.Id, r.Quantity)
	}
	list := "none"
	if len(ids) > 0 {
		list = strings.Join(ids, ", ")
	}
	emissions := "no verified emissions recorded (cap 0 t-CO2)"
	if f.emissions != nil {
		emissions = fmt.Sprintf("verified emissions %d t-CO2; cap %d t-CO2 (%d%%)", f.emissions.VerifiedTCo2, f.limit, f.percent)
	}
	return AnswerPresent, fmt.Sprintf("GX-ETS operator account #%d (corporate number %s), fiscal year %d: %s; J-Credits retired for GX-ETS %d t-CO2 in %d retirements: %s",
		f.n, f.op.CorporateNumber, f.fy, emissions, f.retired, len(f.records), list), nil
}
