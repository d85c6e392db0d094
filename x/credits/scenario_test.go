package credits_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
)

// The vocabulary of the scenario tests. The credit rules themselves, one
// scenario each, sit beside their handlers in msg_<verb>_test.go. Every
// chain is a real app; every rejection is checked for its own code and a
// state unchanged but for the signer's spent nonce (see rejects), and every
// chain replays its spent transactions when its test ends.

const (
	re     = creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY
	es     = creditsv1.Category_CATEGORY_ENERGY_SAVING
	forest = creditsv1.Category_CATEGORY_FOREST
)

// ser names serials start..end of batch n (category and vintage year as the
// scenario's genesis gives them).
func ser(n uint64, c creditsv1.Category, year uint32, start, end uint64) string {
	return creditstypes.FormatSerial(creditstypes.Serial{Batch: n, Category: c, VintageYear: year, Start: start, End: end})
}

// oneBatch: alice holds serials 1..100 of batch 1, renewable electricity 2024.
func oneBatch(t *testing.T, extra ...holder) *apptest.Chain {
	return newChain(t, append(holders("alice", "bob"), extra...),
		genBatch{category: re, vintageStart: "2024-04-01", alloc: []alloc{{"alice", 100}}})
}

// tokyoEvent is an offset target in Tokyo (13); scenario batches are
// created in Kyoto (26) unless they say otherwise.
var tokyoEvent = &creditsv1.OffsetTarget{Kind: creditsv1.OffsetKind_OFFSET_KIND_EVENT, Name: "Tokyo marathon 2025",
	Location: &creditsv1.Location{PrefectureCode: "13", Municipality: "新宿区"}}
