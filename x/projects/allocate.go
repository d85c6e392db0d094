package projects

import (
	"math/bits"
	"sort"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
)

// Allocate splits amount credits among program members by their shares
// (basis points summing to 10000) so that the parts sum to exactly amount:
//
//  1. each member gets floor(amount × share / 10000);
//  2. the few credits left over (fewer than the number of members) go one
//     each to the members with the largest remainders
//     (amount × share mod 10000), ties broken by member order — the first
//     listed wins;
//  3. members whose part is 0 are left out (a batch has no empty holdings).
//
// The result is in member order. The arithmetic is exact for any uint64
// amount (128-bit products), and involves no floats or maps, so every
// validator computes the same split.
func Allocate(amount uint64, members []*projectsv1.Member) []*creditsv1.Allocation {
	type part struct {
		idx       int
		qty, rest uint64
	}
	parts := make([]part, len(members))
	var given uint64
	for i, m := range members {
		hi, lo := bits.Mul64(amount, uint64(m.ShareBps))
		q, r := bits.Div64(hi, lo, TotalShareBps) // hi < 10000 because share ≤ 10000
		parts[i] = part{idx: i, qty: q, rest: r}
		given += q
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return parts[order[a]].rest > parts[order[b]].rest })
	for i := 0; given < amount && len(order) > 0; i = (i + 1) % len(order) {
		parts[order[i]].qty++
		given++
	}
	var out []*creditsv1.Allocation
	for _, p := range parts {
		if p.qty > 0 {
			out = append(out, &creditsv1.Allocation{Account: members[p.idx].Account, Quantity: p.qty})
		}
	}
	return out
}
