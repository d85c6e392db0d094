package accounts_test

import (
	"testing"

	"github.com/jcredit/jcredit/x/accounts"
	"github.com/jcredit/jcredit/x/module"
)

func TestErrorCodesUnique(t *testing.T) {
	if err := module.CheckCodes(accounts.AllErrors...); err != nil {
		t.Fatal(err)
	}
}

// The first release's codes are a contract with clients: they never move.
func TestErrorCodesStable(t *testing.T) {
	for want, e := range map[uint32]*module.Error{
		2: accounts.ErrUnknownSigner, 3: accounts.ErrAccountExists, 4: accounts.ErrUnauthorized,
		5: accounts.ErrInvalidAddress, 6: accounts.ErrInvalidAccount, 7: accounts.ErrAccountInactive,
		8: accounts.ErrUnknownAccount, 9: accounts.ErrInvalidGenesis,
	} {
		if e.Code != want || e.Codespace != accounts.ModuleName {
			t.Errorf("%q is %s/%d, want %s/%d", e.Desc, e.Codespace, e.Code, accounts.ModuleName, want)
		}
	}
}
