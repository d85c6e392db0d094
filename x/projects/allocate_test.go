package projects_test

import (
	"math"
	"testing"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

// members lists program members with the given shares: member "a" is
// account 1, "b" account 2, and so on.
func members(bps ...uint32) []*projectsv1.Member {
	out := make([]*projectsv1.Member, len(bps))
	for i, b := range bps {
		out[i] = &projectsv1.Member{Name: string(rune('A' + i)), Account: uint64(i + 1), ShareBps: b}
	}
	return out
}

// letter names an allocation's member as members does.
func letter(a *creditsv1.Allocation) string { return string(rune('a' + int(a.Account) - 1)) }

func TestAllocateByShare(t *testing.T) {
	for _, tc := range []struct {
		name   string
		amount uint64
		bps    []uint32
		want   map[string]uint64
	}{
		{"exact split", 10000, []uint32{5000, 3000, 2000}, map[string]uint64{"a": 5000, "b": 3000, "c": 2000}},
		{"largest remainder gets the leftover", 1000, []uint32{5000, 3333, 1667}, map[string]uint64{"a": 500, "b": 333, "c": 167}},
		{"ties go to the first listed", 1, []uint32{5000, 5000}, map[string]uint64{"a": 1}},
		{"thirds: two leftovers to the first two", 2, []uint32{3334, 3333, 3333}, map[string]uint64{"a": 1, "b": 1}},
		{"zero parts are dropped", 3, []uint32{9990, 5, 5}, map[string]uint64{"a": 3}},
		{"one member takes all", 7, []uint32{10000}, map[string]uint64{"a": 7}},
		{"no overflow at the top of uint64", math.MaxUint64, []uint32{5000, 5000}, map[string]uint64{"a": math.MaxUint64/2 + 1, "b": math.MaxUint64 / 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := projects.Allocate(tc.amount, members(tc.bps...))
			var sum uint64
			seen := map[string]uint64{}
			prev := -1
			for _, a := range got {
				if a.Quantity == 0 {
					t.Fatalf("zero allocation to %s", letter(a))
				}
				idx := int(a.Account) - 1
				if idx <= prev {
					t.Fatalf("allocations out of member order: %v", got)
				}
				prev = idx
				seen[letter(a)] = a.Quantity
				sum += a.Quantity
			}
			if sum != tc.amount {
				t.Fatalf("allocated %d of %d", sum, tc.amount)
			}
			if len(seen) != len(tc.want) {
				t.Fatalf("got %v, want %v", seen, tc.want)
			}
			for r, q := range tc.want {
				if seen[r] != q {
					t.Fatalf("got %v, want %v", seen, tc.want)
				}
			}
		})
	}
}

// Whatever the shares, the parts sum to the amount and no member gets more
// than one credit above its exact share.
func TestAllocateAlwaysSumsExactly(t *testing.T) {
	shares := [][]uint32{{1, 9999}, {3333, 3333, 3334}, {7, 13, 9980}, {2500, 2500, 2500, 2500}, {1, 1, 1, 9997}}
	for _, bps := range shares {
		for amount := uint64(0); amount < 300; amount++ {
			got := projects.Allocate(amount, members(bps...))
			var sum uint64
			for _, a := range got {
				i := a.Account - 1
				exact := amount * uint64(bps[i])
				if a.Quantity*10000 > exact+10000 || a.Quantity*10000+10000 <= exact {
					t.Fatalf("amount %d shares %v: member %d got %d", amount, bps, i, a.Quantity)
				}
				sum += a.Quantity
			}
			if sum != amount {
				t.Fatalf("amount %d shares %v: allocated %d", amount, bps, sum)
			}
		}
	}
}
