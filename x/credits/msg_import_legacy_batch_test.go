package credits_test

import (
	"strings"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits"
)

// A ministry imports J-VER and 国内クレジット credits at any height, with
// their original identifiers and serials; a block of original serials is
// imported once; their retirements name the original serials.
func TestImportLegacyCredits(t *testing.T) {
	c := newChain(t, holders("alice"))
	jver := func(start, end uint64, cert string) *creditsv1.MsgImportLegacyBatch {
		return &creditsv1.MsgImportLegacyBatch{
			SchemeSymbol: "JP", CreditType: "JRM", CertificationNumber: cert, OriginalProjectId: "J-VER-0042",
			ProjectName: "Kochi prefectural forest", Methodology: "R001", Category: forest,
			VintageStart: "2012-04-01", VintageEnd: "2013-03-31", Origin: &creditsv1.Location{PrefectureCode: "39", Municipality: "梼原町"},
			OriginalSerialStart: start, OriginalSerialEnd: end, OriginalSerials: "JP-39-0042-xxxx",
			Holder: apptest.Addr("alice").Hex(), Reason: "transfer from the J-VER registry",
		}
	}
	rejects(t, c, credits.ErrUnauthorized, "alice", jver(5001, 5100, "JV-0123"))
	res := c.MustExec("meti", jver(5001, 5100, "JV-0123"))
	if !hasEvent(res.Events, credits.EventImport, "batch", "JC-00000001") {
		t.Fatalf("events %v", res.Events)
	}
	b := batchOf(t, c, "JC-00000001")
	if b.Issued != 100 || b.SchemeSymbol != "JP" || b.CreditType != "JRM" || b.Legacy.GetOriginalSerialStart() != 5001 || b.ReportId != "" {
		t.Fatalf("batch %v", b)
	}
	// Overlapping blocks of the same certification are refused, naming the
	// earlier import; adjacent ones, and other certifications, are not.
	for _, r := range [][2]uint64{{5100, 5200}, {4000, 5001}, {5050, 5060}, {1, 99999}} {
		res := execRefused(t, c, "meti", jver(r[0], r[1], "JV-0123"))
		if res.Code != credits.ErrAlreadyImported.Code || !strings.Contains(res.Log, "5001-5100, imported as batch JC-00000001") {
			t.Fatalf("%v: %s", r, res.Log)
		}
	}
	c.MustExec("meti", jver(5101, 5200, "JV-0123"))
	c.MustExec("meti", jver(5001, 5100, "JV-0124"))
	kc := jver(1, 10, "KC-2010-7")
	kc.SchemeSymbol, kc.CreditType, kc.Category = "KC", "KC", es
	c.MustExec("meti", kc)
	bad := jver(1, 10, "X")
	bad.SchemeSymbol, bad.CreditType = "JC", "ER"
	rejects(t, c, credits.ErrInvalidIdentifier, "meti", bad)
	bad = jver(1, 10, "X")
	bad.CreditType = "FM"
	rejects(t, c, credits.ErrInvalidIdentifier, "meti", bad)

	// Retired for Keidanren's plan (J-VER JRM is accepted): the record names
	// the original serials.
	res = c.MustExec("alice", &creditsv1.MsgRetire{Serials: []string{ser(1, forest, 2012, 11, 20)}, Beneficiary: "Alice K.K.",
		Use: creditsv1.Use_USE_KEIDANREN, FiscalYear: 2025})
	rec := retirementOf(t, c, retirementID(t, res))
	if blk := rec.Blocks[0]; blk.OriginalSerials != "JP JV-0123 5011-5020" || blk.CreditType != "JRM" || blk.Origin.GetMunicipality() != "梼原町" {
		t.Fatalf("block %v", blk)
	}
	// GX-ETS takes J-Credits only.
	rejects(t, c, credits.ErrUseNotAllowed, "alice", &creditsv1.MsgRetire{Serials: []string{ser(1, forest, 2012, 21, 21)}, Beneficiary: "Alice K.K.",
		Use: creditsv1.Use_USE_GX_ETS, FiscalYear: 2025})
}
