package credits

import (
	"encoding/hex"
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// MaxBatchQuantity bounds a batch so that serial arithmetic never
// overflows (10^15 t-CO2 is far beyond any monitoring report).
const MaxBatchQuantity = 1_000_000_000_000_000

// MaxAllocations bounds the members of a program-type issuance.
const MaxAllocations = 1000

// IssueBatch creates a batch for a certified monitoring report and one
// active range per allocation, in the order given: the first recipient gets
// serials 1..q1, the next q1+1..q1+q2, and so on. It is called by x/projects
// in the certifying transaction; authorization (the ministry role) is the
// caller's. It validates the request itself, so that no caller can create
// an inconsistent batch: allocations to distinct active accounts, each
// quantity > 0, a known category, vintage dates "YYYY-MM-DD" in order, and
// no earlier issuance for the same report.
func (k *Keeper) IssueBatch(ctx module.Context, req *creditsv1.IssuanceRequest) (string, error) {
	total, err := validateIssuance(req)
	if err != nil {
		return "", err
	}
	st := store(ctx.Store)
	if st.Has(types.ReportKey(req.ReportId)) {
		return "", ErrAlreadyIssued.Wrapf("monitoring report %q already has a batch", req.ReportId)
	}
	for _, a := range req.Allocations {
		if !k.accounts.IsActive(ctx.Store, a.Account) {
			return "", ErrRecipientInactive.Wrapf("allocation to %s: not an active account; the secretariat must open or reinstate it first", k.accounts.Describe(ctx.Store, a.Account))
		}
	}
	n := nextSeq(st, types.SeqBatch)
	b := &creditsv1.Batch{
		Id:             types.BatchID(n),
		Number:         n,
		ProjectId:      req.ProjectId,
		ReportId:       req.ReportId,
		Methodology:    req.Methodology,
		Category:       req.Category,
		VintageStart:   req.VintageStart,
		VintageEnd:     req.VintageEnd,
		CorsiaEligible: req.CorsiaEligible,
		Issued:         total,
		Active:         total,
		IssuanceHeight: ctx.Height,
		IssuanceTime:   timestamppb.New(ctx.Time),
		IssuanceTxHash: hex.EncodeToString(ctx.TxHash),
	}
	setBatch(st, b)
	st.Set(types.ReportKey(req.ReportId), module.Uint64(n))
	ctx.Emit(EventBatch,
		module.Indexed("batch", b.Id),
		module.Indexed("project", b.ProjectId),
		module.Indexed("report", b.ReportId),
		module.Plain("methodology", b.Methodology),
		module.Plain("category", b.Category.String()),
		module.Plain("vintage", b.VintageStart+"/"+b.VintageEnd),
		module.Plain("corsia_eligible", fmt.Sprint(b.CorsiaEligible)),
		module.Plain("quantity", fmt.Sprint(total)))
	next := uint64(1)
	for _, a := range req.Allocations {
		r := &creditsv1.Range{
			BatchId: b.Id, Start: next, End: next + a.Quantity - 1,
			OwnerAccount: a.Account, Status: creditsv1.RangeStatus_RANGE_STATUS_ACTIVE,
		}
		putRange(st, b, r)
		ctx.Emit(EventIssue,
			module.Indexed("batch", b.Id),
			module.Indexed("account", k.addressOf(ctx.Store, a.Account)),
			module.Indexed("serials", types.FormatSerial(types.SerialOf(b, r.Start, r.End))),
			module.Plain("quantity", fmt.Sprint(a.Quantity)))
		next += a.Quantity
	}
	return b.Id, nil
}

// validateIssuance checks a request without state and returns its total.
func validateIssuance(req *creditsv1.IssuanceRequest) (uint64, error) {
	if req == nil {
		return 0, ErrInvalidIssuance.Wrapf("no request")
	}
	if req.ProjectId == "" || len(req.ProjectId) > 64 {
		return 0, ErrInvalidIssuance.Wrapf("project id must be 1 to 64 bytes")
	}
	if req.ReportId == "" || len(req.ReportId) > 64 {
		return 0, ErrInvalidIssuance.Wrapf("report id must be 1 to 64 bytes")
	}
	if req.Methodology == "" || len(req.Methodology) > 32 {
		return 0, ErrInvalidIssuance.Wrapf("methodology code (e.g. EN-S-001) must be 1 to 32 bytes")
	}
	if types.CategoryCode(req.Category) == "" {
		return 0, ErrInvalidIssuance.Wrapf("unknown category %s", req.Category)
	}
	vs, err := parseDate(req.VintageStart)
	if err != nil {
		return 0, ErrInvalidIssuance.Wrapf("vintage start: %v", err)
	}
	ve, err := parseDate(req.VintageEnd)
	if err != nil {
		return 0, ErrInvalidIssuance.Wrapf("vintage end: %v", err)
	}
	if ve.Before(vs) {
		return 0, ErrInvalidIssuance.Wrapf("vintage ends (%s) before it starts (%s)", req.VintageEnd, req.VintageStart)
	}
	if len(req.Allocations) == 0 || len(req.Allocations) > MaxAllocations {
		return 0, ErrInvalidIssuance.Wrapf("a batch needs 1 to %d allocations, got %d", MaxAllocations, len(req.Allocations))
	}
	var total uint64
	seen := map[uint64]bool{}
	for i, a := range req.Allocations {
		if seen[a.Account] {
			return 0, ErrInvalidIssuance.Wrapf("allocation %d: account %d appears twice; give each recipient one allocation", i, a.Account)
		}
		seen[a.Account] = true
		if a.Quantity == 0 {
			return 0, ErrInvalidIssuance.Wrapf("allocation %d to account %d: quantity must be at least 1 t-CO2", i, a.Account)
		}
		if a.Quantity > MaxBatchQuantity-total {
			return 0, ErrInvalidIssuance.Wrapf("batch quantity exceeds %d", uint64(MaxBatchQuantity))
		}
		total += a.Quantity
	}
	return total, nil
}

// parseDate parses a "YYYY-MM-DD" date, exactly.
func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s {
		return time.Time{}, fmt.Errorf("%q is not a date written YYYY-MM-DD", s)
	}
	if t.Year() < 1990 {
		return time.Time{}, fmt.Errorf("%q is before any J-Credit (or J-VER) monitoring period", s)
	}
	return t, nil
}
