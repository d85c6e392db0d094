package types

import (
	"encoding/binary"
	"slices"
	"time"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	module "github.com/jcredit/jcredit/x/module/base"
)

// Retirement indexes by time, project and category (issue 13), under
// StorePrefix, beside the ones in keys.go:
//
//	rt/<time 8B: Unix seconds><retirement#>      -> 0x01 (by block time)
//	rp/<len 2B><project id><retirement#>        -> 0x01 (by project; one per project drawn)
//	rc/<category 1B><retirement#>               -> 0x01 (by category; one per category drawn)
//	s/retirement-time-order                     -> retirement# (absent: times in number order)
//
// rp/ and rc/ are ordered by retirement number within their head, like
// every other retirement index, so that a list can walk several of them
// in step (x/credits, query_retirements.go). rt/ is ordered by time; the
// chain numbers retirements as it records them and block times never go
// back, so it is also in number order, and a date range is the range of
// retirement numbers between its first and last entry: two seeks. That
// holds unless a genesis or a migrated state holds a retirement dated
// before an earlier-numbered one; the first such number is then kept under
// RetirementTimeOrderKey and a date range is checked on each record
// instead (slower, still exact). Times are whole seconds: the date filter
// bounds are midnights, and a record's time is checked exactly anyway.
var (
	ByTimePrefix     = []byte("rt/")
	ByProjectPrefix  = []byte("rp/")
	ByCategoryPrefix = []byte("rc/")
)

// SeqRetirementTimeOrder names the key of the first retirement whose time
// is before an earlier-numbered one's.
const SeqRetirementTimeOrder = "retirement-time-order"

// RetirementTimeOrderKey is where that number is kept (absent: none).
func RetirementTimeOrderKey() []byte { return SeqKey(SeqRetirementTimeOrder) }

// TimeHead is the rt/ index head of an instant: its Unix seconds, 8 bytes
// big-endian (0 for anything before 1970, which no record holds).
func TimeHead(t time.Time) []byte {
	return module.Uint64(uint64(max(t.Unix(), 0)))
}

// TimeHeadLen is the length of a TimeHead.
const TimeHeadLen = 8

// ProjectHead is the rp/ index head of a project id: its length, then it.
func ProjectHead(id string) []byte {
	var l [2]byte
	binary.BigEndian.PutUint16(l[:], uint16(len(id)))
	return module.Key(l[:], []byte(id))
}

// CategoryHead is the rc/ index head of a category.
func CategoryHead(c creditsv1.Category) []byte { return []byte{byte(c)} }

// retirementClassKeys are r's rp/ and rc/ entries: one per distinct
// project and category of its blocks, in the order first drawn (a block's
// project and category as recorded in it; saveRetirement completes a
// block that lacks them from its batch before indexing).
func retirementClassKeys(r *creditsv1.Retirement, n uint64) [][]byte {
	var keys [][]byte
	var projects []string
	var cats []creditsv1.Category
	for _, b := range r.Blocks {
		if b.ProjectId != "" && !slices.Contains(projects, b.ProjectId) {
			projects = append(projects, b.ProjectId)
			keys = append(keys, RetirementIndexKey(ByProjectPrefix, ProjectHead(b.ProjectId), n))
		}
		if b.Category != 0 && !slices.Contains(cats, b.Category) {
			cats = append(cats, b.Category)
			keys = append(keys, RetirementIndexKey(ByCategoryPrefix, CategoryHead(b.Category), n))
		}
	}
	return keys
}

// Cancellations by batch (issue 13: the cancellations list's one filter),
// under StorePrefix:
//
//	xb/<batch#><cancellation#>                  -> 0x01 (one per batch a cancellation draws from)
var CancellationsByBatchPrefix = []byte("xb/")

// CancellationBatchPrefix is the prefix of batch's entries in xb/.
func CancellationBatchPrefix(batch uint64) []byte {
	return module.Key(CancellationsByBatchPrefix, module.Uint64(batch))
}

// CancellationIndexKeys are the xb/ entries of cancellation c, number n:
// one per distinct batch of its blocks, in the order first drawn.
func CancellationIndexKeys(c *creditsv1.Cancellation, n uint64) ([][]byte, error) {
	var keys [][]byte
	var seen []uint64
	for _, b := range c.Blocks {
		bn, err := ParseBatchID(b.BatchId)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(seen, bn) {
			seen = append(seen, bn)
			keys = append(keys, module.Key(CancellationBatchPrefix(bn), module.Uint64(n)))
		}
	}
	return keys, nil
}
