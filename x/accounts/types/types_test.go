package types_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
)

const checksummed = "0x52908400098527886E0F7030069857D2E4169EE7" // EIP-55's own example

func TestParseAddress(t *testing.T) {
	for _, ok := range []string{checksummed, strings.ToLower(checksummed), "0x" + strings.ToUpper(checksummed[2:])} {
		if a, err := types.ParseAddress(ok); err != nil || a.Hex() != checksummed {
			t.Errorf("ParseAddress(%q) = %s, %v", ok, a.Hex(), err)
		}
	}
	for _, bad := range []string{
		"", checksummed[2:], "0X" + checksummed[2:], checksummed[:41], checksummed + "0",
		"0x52908400098527886e0F7030069857D2E4169EE7", // one letter's case off: the checksum fails
		"0x0000000000000000000000000000000000000000", // nobody's key
		checksummed + " ", "0x5290840009852788 6E0F7030069857D2E4169EE7",
	} {
		if _, err := types.ParseAddress(bad); !errors.Is(err, types.ErrInvalidAddress) {
			t.Errorf("ParseAddress(%q): %v", bad, err)
		}
	}
}

func TestParseAccountArg(t *testing.T) {
	if a, n, err := types.ParseAccountArg(checksummed); err != nil || n != 0 || a.Hex() != checksummed {
		t.Fatalf("address: %s %d %v", a.Hex(), n, err)
	}
	if a, n, err := types.ParseAccountArg("42"); err != nil || n != 42 || a != (common.Address{}) {
		t.Fatalf("number: %s %d %v", a.Hex(), n, err)
	}
	for _, bad := range []string{"0", "042", "-1", "4 2", "x", "18446744073709551616"} {
		if _, _, err := types.ParseAccountArg(bad); err == nil {
			t.Errorf("ParseAccountArg(%q) accepted", bad)
		}
	}
}

// The full store keys proofs are about, byte for byte (FORMAT.md).
func TestStoreKeys(t *testing.T) {
	addr := common.HexToAddress(checksummed)
	for _, c := range []struct {
		got  []byte
		want string
	}{
		{types.AccountStoreKey(7), "accounts/a/\x00\x00\x00\x00\x00\x00\x00\x07"},
		{types.KeyRefStoreKey(addr), "accounts/k/" + string(addr.Bytes())},
		{types.RetiredStoreKey(addr), "accounts/t/" + string(addr.Bytes())},
		{types.V1AccountStoreKey(addr), "accounts/a/" + string(addr.Bytes())},
		{types.ProposalStoreKey(3), "accounts/g/\x00\x00\x00\x00\x00\x00\x00\x03"},
	} {
		if string(c.got) != c.want {
			t.Errorf("key %q, want %q", c.got, c.want)
		}
	}
	if n, ok := types.AccountNumberOfStoreKey(types.AccountStoreKey(7)); !ok || n != 7 {
		t.Fatal("AccountNumberOfStoreKey does not invert AccountStoreKey")
	}
	if _, ok := types.AccountNumberOfStoreKey(types.V1AccountStoreKey(addr)); ok {
		t.Fatal("a v1 account key read as a number")
	}
	if n, ok := types.ParseRoleKey(types.RoleKey(accountsv1.Role_ROLE_PROVIDER, 9)); !ok || n != 9 {
		t.Fatal("ParseRoleKey does not invert RoleKey")
	}
}

func TestRefs(t *testing.T) {
	lookup := func(n uint64) (*accountsv1.Account, error) {
		if n == 9 {
			return nil, nil
		}
		return &accountsv1.Account{Number: n, Address: checksummed, LegalName: "L"}, nil
	}
	got, err := types.Refs(lookup, 3, 0, 1, 3, 9)
	if err != nil || len(got) != 2 || got[0].Number != 1 || got[1].Number != 3 || got[0].Address != checksummed {
		t.Fatalf("Refs: %+v %v", got, err)
	}
}

// 法人番号: Toyota Motor's (1180301018771) is valid; any one digit changed
// is caught by the check digit, and the form is 13 digits.
func TestCheckCorporateNumber(t *testing.T) {
	if err := types.CheckCorporateNumber("1180301018771"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"2180301018771", "1180301018772", "118030101877", "11803010187711", "118030101877x", ""} {
		if types.CheckCorporateNumber(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if types.GxCap(12_345, 10) != 1234 || types.GxCap(9, 10) != 0 || types.GxCap(1_000, 100) != 1_000 {
		t.Fatal("GxCap is floor(verified * percent / 100)")
	}
}
