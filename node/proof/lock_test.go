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

// A buyer proves, before paying, that the credits it bought are locked for
// its trade's settlement agent and cannot move until the expiry height:
// the serial's proof is of its range, which carries the lock.
func TestALockedSerialProvesItsLock(t *testing.T) {
	accs := append(apptest.DefaultAccounts(), apptest.GenesisAccount{Name: "tse", Roles: []accountsv1.Role{accountsv1.Role_ROLE_SETTLEMENT}})
	c := apptest.New(t, app.GenesisState{"accounts": apptest.AccountsGenesis(accs), "credits": creditsGenesis(t)})
	src := newAppSource(t, c, func(int64) *signers { return fourVals })
	expires := c.Height + 100
	res := src.block(c.Tx("meti", &creditsv1.MsgLock{Serials: []string{"JC-00000001-FO-2022-0000000011-0000000014"},
		Agent: apptest.Addr("tse").Hex(), ExpiresHeight: expires}))
	if res[0].Code != 0 {
		t.Fatalf("lock: %s", res[0].Log)
	}
	src.block()
	bd, err := (&Builder{Source: src}).Serial(context.Background(), "JC-00000001-FO-2022-0000000012")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Verify(roundTrip(t, bd), TrustSet(fourVals.vals, apptest.ChainID))
	if err != nil {
		t.Fatal(err)
	}
	tse := c.AccountNumber("tse")
	want := "is LOCKED at " + itoa64(got.Height) + " for agent account #" + itoa64(int64(tse)) + " until height " + itoa64(expires) + " (lock LK-00000001)"
	if got.Answer != AnswerLocked || !strings.Contains(got.Statement, want) {
		t.Fatalf("answer %q, statement %q; want it to contain %q", got.Answer, got.Statement, want)
	}
	// Tampering with the proven range (say, a later expiry) fails.
	b := roundTrip(t, bd)
	b.Value = flip(b.Value, len(b.Value)-1)
	if _, err := Verify(b, TrustSet(fourVals.vals, apptest.ChainID)); err == nil {
		t.Fatal("a tampered range verified")
	} else if !errors.Is(err, ErrStepProof) && !errors.Is(err, ErrStepRecord) && !errors.Is(err, ErrStepFormat) {
		t.Fatalf("tampered range: %v", err)
	}
}

func itoa64(n int64) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
