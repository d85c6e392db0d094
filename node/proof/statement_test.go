package proof

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jcredit/jcredit/app/apptest"
)

// Finding 5: a verdict said more than was proven ("is proven" for a serial
// never issued; absence and ACTIVE in the present tense). Each verdict now
// says what the bundle proves, as of the proven state.
func TestVerdictsSayWhatWasProvenAsOfWhen(t *testing.T) {
	for _, c := range []struct {
		kind, subject, answer string
		want                  []string
	}{
		{KindRetirement, "JCR-00000001", AnswerPresent, []string{"retirement JCR-00000001 exists: 10 credits", "森の会社", "CARBON_OFFSET", "fiscal year 2024"}},
		{KindRetirement, "JCR-00000002", AnswerAbsent, []string{"retirement JCR-00000002 is absent"}},
		{KindCancellation, "JCX-00000001", AnswerPresent, []string{"cancellation JCX-00000001 exists: 3 credits (JC-00000001-FO-2022-0000000018-0000000020)", "double registration"}},
		{KindCancellation, "JCX-00000002", AnswerAbsent, []string{"cancellation JCX-00000002 is absent"}},
		{KindSerial, "JC-00000001-FO-2022-0000000019", AnswerCancelled, []string{"is CANCELLED by cancellation JCX-00000001"}},
		{KindSerial, "JC-00000001-FO-2022-0000000005", AnswerRetired, []string{"is RETIRED by retirement JCR-00000001"}},
		{KindSerial, "JC-00000001-FO-2022-0000000015", AnswerActive, []string{"is ACTIVE at ", "says nothing about later heights"}},
		{KindSerial, "JC-00000001-FO-2022-0000000021", AnswerNeverIssued, []string{"never issued: batch JC-00000001 has issued 20"}},
		{KindSerial, "JC-00000002-FO-2022-0000000001", AnswerNeverIssued, []string{"never issued: there is no batch JC-00000002"}},
	} {
		bd, src := creditsBundle(t, c.kind, c.subject)
		res, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals, apptest.ChainID))
		if err != nil {
			t.Fatalf("%s: %v", c.subject, err)
		}
		prefix := "AS OF state " + itoa(src.c.Height) + " (block time "
		if res.Answer != c.answer || !strings.HasPrefix(res.Statement, prefix) {
			t.Errorf("%s: answer %s, statement %q", c.subject, res.Answer, res.Statement)
		}
		for _, w := range append(c.want, FormatTime(res.BlockTime)) {
			if !strings.Contains(res.Statement, w) {
				t.Errorf("%s: statement %q lacks %q", c.subject, res.Statement, w)
			}
		}
		if strings.Contains(res.Statement, "is proven") {
			t.Errorf("%s: %q", c.subject, res.Statement)
		}
	}
	c := apptest.New(t, nil)
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	src.block()
	for kind, subject := range map[string]string{KindAccount: apptest.Addr("nobody").Hex(), KindBatch: "JC-00000003"} {
		var bd *Bundle
		var err error
		if kind == KindAccount {
			bd, err = (&Builder{Source: src}).Account(context.Background(), subject)
		} else {
			bd, err = (&Builder{Source: src}).Batch(context.Background(), subject)
		}
		if err != nil {
			t.Fatal(err)
		}
		res, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals, apptest.ChainID))
		if err != nil || res.Answer != AnswerAbsent || !strings.Contains(res.Statement, subject+" is absent") {
			t.Errorf("%s %s: %v %+v", kind, subject, err, res)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The walk reports every header checked and how it was trusted; an old
// root draws a warning (finding 7: over years, retired validators could sign
// a fabricated block that a genesis root accepts).
func TestTheWalkAndTheTrustRootAreReported(t *testing.T) {
	genesis, setAt := changingSets()
	c := apptest.New(t, nil)
	src := newAppSource(t, c, setAt)
	for c.Height < 30 {
		src.block()
	}
	bd, err := (&Builder{Source: src}).Account(context.Background(), apptest.Addr("moe").Hex())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Verify(roundTrip(t, bd), TrustSet(genesis.vals, apptest.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Walk) != len(bd.Chain)+1 || res.Walk[0].How != "trust root" || res.Trust.FoundAt != res.Walk[0].Block {
		t.Fatalf("walk %+v, trust %+v", res.Walk, res.Trust)
	}
	for i, l := range res.Walk[1:] {
		if (l.How != "skip" && l.How != "adjacent") || l.SignedPower <= l.Power*2/3 || (l.How == "skip" && l.TrustedSigned*3 <= l.TrustedPower) {
			t.Fatalf("walk step %d: %+v", i+1, l)
		}
	}
	if len(res.Warnings) != 0 {
		t.Fatalf("warnings for a fresh root: %v", res.Warnings)
	}

	// The retired genesis keys sign a block two years on: a genesis root
	// accepts it (as every light client would), with a warning.
	forged := roundTrip(t, bd)
	at := apptest.GenesisTime.Add(2 * 365 * 24 * time.Hour)
	sh := genesis.sign(t, apptest.ChainID, forged.Height+1, at, genesis.vals, mustHeader(t, bd).AppHash, 0)
	forged.Header, forged.Commit = mustJSON(t, sh.Header), mustJSON(t, sh.Commit)
	forged.Validators, forged.Chain = FromValidatorSet(genesis.vals), nil
	root := TrustSet(genesis.vals, apptest.ChainID)
	root.Source, root.Time = TrustFromGenesis, apptest.GenesisTime
	res, err = Verify(forged, root)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "validators that have left the set") {
		t.Fatalf("no warning about the old root: %v", res.Warnings)
	}
}
