package types_test

import (
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
)

// The full store keys proofs are about, and the account-numbered indexes,
// byte for byte (FORMAT.md, x/credits doc).
func TestKeyLayout(t *testing.T) {
	u := func(n byte) string { return "\x00\x00\x00\x00\x00\x00\x00" + string([]byte{n}) }
	for _, c := range []struct {
		got  []byte
		want string
	}{
		{types.RetirementStoreKey("JCR-00000001"), "credits/t/JCR-00000001"},
		{types.CancellationStoreKey("JCX-00000002"), "credits/c/JCX-00000002"},
		{types.BatchStoreKey(3), "credits/b/" + u(3)},
		{types.RangeStoreKey(3, 5), "credits/r/" + u(3) + u(5)},
		{types.OwnerKey(7, creditsv1.RangeStatus_RANGE_STATUS_ACTIVE, "2024-04-01", 3, 5), "o/" + u(7) + "\x01" + "20240401" + u(3) + u(5)},
		{types.UseTableStoreKey(2), "credits/ut/" + u(2)},
		{types.LabelChangeStoreKey(3, 1), "credits/lh/" + u(3) + u(1)},
		{types.LegacyKey("JP", "JV-1", 201), "lg/\x02JP\x04JV-1" + u(201)},
		{types.CertNumberKey("JC", "R-1"), "cn/\x02JCR-1"},
	} {
		if string(c.got) != c.want {
			t.Errorf("key %q, want %q", c.got, c.want)
		}
	}
	if b, s, ok := types.ParseOwnerKey(types.OwnerKey(7, 2, "2024-04-01", 3, 5)); !ok || b != 3 || s != 5 {
		t.Fatal("ParseOwnerKey does not invert OwnerKey")
	}
	r := &creditsv1.Retirement{AccountNumber: 7, BeneficiaryAccountNumber: 9, Beneficiary: "B", FiscalYear: 2025,
		Uses: []creditsv1.Use{creditsv1.Use_USE_RE100, creditsv1.Use_USE_CDP}, Time: timestamppb.New(time.Unix(258, 0)),
		Blocks: []*creditsv1.SerialBlock{{ProjectId: "P1", Category: 3}, {ProjectId: "P1", Category: 3}}}
	got := types.RetirementIndexKeys(r, 4)
	want := []string{"a/" + u(7) + u(4), "e/" + u(9) + u(4), "n/\x00\x01B" + u(4), "y/\x00\x00\x07\xe9" + u(4), "u/\x06" + u(4), "u/\x04" + u(4),
		"rt/" + "\x00\x00\x00\x00\x00\x00\x01\x02" + u(4), "rp/\x00\x02P1" + u(4), "rc/\x03" + u(4)}
	if len(got) != len(want) {
		t.Fatalf("%d index keys, want %d", len(got), len(want))
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("index key %d: %q, want %q", i, got[i], want[i])
		}
	}
	r.BeneficiaryAccountNumber = 0
	if len(types.RetirementIndexKeys(r, 4)) != 8 {
		t.Fatal("a retirement naming no beneficiary account is indexed under account 0")
	}
	for _, id := range []string{"JCR-00000001", "JCR-123456789"} {
		n, ok := types.ParseRetirementID(id)
		if !ok || types.RetirementID(n) != id {
			t.Fatalf("retirement id %s", id)
		}
	}
	for _, bad := range []string{"JCR-1", "JCX-00000001", "JCR-00000000", "JCR-00000001\u200b"} {
		if _, ok := types.ParseRetirementID(bad); ok {
			t.Errorf("ParseRetirementID(%q) accepted", bad)
		}
	}
}
