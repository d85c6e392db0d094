package credits

import (
	"encoding/binary"
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
// quantity > 0, a known category, vintage dates "YYYY-MM-DD" in order, the
// official identifiers of a J-Credit (scheme symbol JC or JCL, its credit
// type, a certification number not used before), energy quantities of the
// category's kind, and no earlier issuance for the same report. The labels
// the ministry gives at issuance are recorded as the batch's first label
// changes.
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
	scheme, ctype, cert := types.IssuanceIdentifiers(req)
	if n := st.Get(types.CertNumberKey(scheme, cert)); n != nil {
		return "", ErrInvalidIdentifier.Wrapf("certification number %s %s already belongs to batch %s; give the number the ministry assigned to this certification", scheme, cert, types.BatchID(binary.BigEndian.Uint64(n)))
	}
	b := &creditsv1.Batch{
		ProjectId:           req.ProjectId,
		ReportId:            req.ReportId,
		Methodology:         req.Methodology,
		Category:            req.Category,
		VintageStart:        req.VintageStart,
		VintageEnd:          req.VintageEnd,
		SchemeSymbol:        scheme,
		CreditType:          ctype,
		CertificationNumber: cert,
		ElectricityKwh:      req.ElectricityKwh,
		HeatMj:              req.HeatMj,
		ProjectName:         req.ProjectName,
		Origin:              originOf(req.Origin),
	}
	b, err = k.createBatch(ctx, b, total, req.Allocations, types.IssuanceLabels(req), "labelled at the certification of report "+req.ReportId)
	if err != nil {
		return "", err
	}
	st.Set(types.ReportKey(req.ReportId), module.Uint64(b.Number))
	st.Set(types.CertNumberKey(scheme, cert), module.Uint64(b.Number))
	return b.Id, nil
}

// originOf keeps a known place and drops an unknown one.
func originOf(l *creditsv1.Location) *creditsv1.Location {
	if l.GetPrefectureCode() == "" {
		return nil
	}
	return l
}

// createBatch numbers b, stores it with its labels (each a label change
// signed by the context's signer, with reason) and one active range per
// allocation, and emits the events of an issuance.
func (k *Keeper) createBatch(ctx module.Context, b *creditsv1.Batch, total uint64, allocs []*creditsv1.Allocation, labels []*creditsv1.Label, reason string) (*creditsv1.Batch, error) {
	st := store(ctx.Store)
	n := nextSeq(st, types.SeqBatch)
	b.Id, b.Number = types.BatchID(n), n
	b.Issued, b.Active = total, total
	b.IssuanceHeight, b.IssuanceTime, b.IssuanceTxHash = ctx.Height, timestamppb.New(ctx.Time), hex.EncodeToString(ctx.TxHash)
	for _, l := range labels {
		if _, err := changeLabel(ctx, st, b, l, false, reason); err != nil {
			return nil, err
		}
	}
	setBatch(st, b)
	var t tally
	moveSupply(&t, b, creditsv1.StatMeasure_STAT_MEASURE_UNSPECIFIED, creditsv1.StatMeasure_STAT_MEASURE_ACTIVE, total)
	if err := t.save(st); err != nil {
		return nil, err
	}
	ctx.Emit(EventBatch,
		module.Indexed("batch", b.Id),
		module.Indexed("project", b.ProjectId),
		module.Indexed("report", b.ReportId),
		module.Indexed("certification_number", b.CertificationNumber),
		module.Plain("scheme_symbol", b.SchemeSymbol),
		module.Plain("credit_type", b.CreditType),
		module.Plain("methodology", b.Methodology),
		module.Plain("category", b.Category.String()),
		module.Plain("vintage", b.VintageStart+"/"+b.VintageEnd),
		module.Plain("labels", describeLabels(b.Labels)),
		module.Plain("quantity", fmt.Sprint(total)))
	next := uint64(1)
	for _, a := range allocs {
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
	return b, nil
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
	scheme, ctype, cert := types.IssuanceIdentifiers(req)
	if !types.JCredit(scheme) {
		return 0, ErrInvalidIdentifier.Wrapf("the registry issues J-Credits (scheme symbol JC or JCL), not %q; import J-VER and 国内クレジット batches with MsgImportLegacyBatch", scheme)
	}
	if err := checkBatchFacts(scheme, ctype, cert, req.Category, req.ElectricityKwh, req.HeatMj, req.ProjectName, req.Origin, types.IssuanceLabels(req)); err != nil {
		return 0, err
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

// MaxLabels bounds the labels a batch carries.
const MaxLabels = 16

// checkBatchFacts checks what a new batch states about itself: its
// identifiers, energy quantities of its category's kind, its project name,
// place of origin (when known) and labels.
func checkBatchFacts(scheme, creditType, cert string, cat creditsv1.Category, kwh, mj uint64, projectName string, origin *creditsv1.Location, labels []*creditsv1.Label) error {
	if err := types.CheckIdentifiers(scheme, creditType, cat); err != nil {
		return ErrInvalidIdentifier.Wrapf("%v", err)
	}
	if !types.ValidCertificationNumber(cert) {
		return ErrInvalidIdentifier.Wrapf("certification number %q must be 1 to 64 letters, digits, '.', '_', '/' or '-'", cert)
	}
	if kwh > 0 && cat != creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY {
		return ErrInvalidIssuance.Wrapf("renewable electricity (%d kWh) is reported for renewable-electricity credits only, not %s", kwh, categoryName(cat))
	}
	if mj > 0 && cat != creditsv1.Category_CATEGORY_RENEWABLE_HEAT {
		return ErrInvalidIssuance.Wrapf("renewable heat (%d MJ) is reported for renewable-heat credits only, not %s", mj, categoryName(cat))
	}
	if kwh > MaxEnergy || mj > MaxEnergy {
		return ErrInvalidIssuance.Wrapf("energy quantities are at most %d (kWh or MJ)", uint64(MaxEnergy))
	}
	if p := module.TextProblem(projectName, MaxNameLen, false); p != "" {
		return ErrInvalidIssuance.Wrapf("the project name (at most %d bytes of plain text) %s", MaxNameLen, p)
	}
	if origin.GetPrefectureCode() != "" {
		if err := checkLocation("place of origin", origin); err != nil {
			return err
		}
	}
	if len(labels) > MaxLabels {
		return ErrInvalidLabel.Wrapf("a batch carries at most %d labels", MaxLabels)
	}
	for i, l := range labels {
		if err := validateLabel(l); err != nil {
			return err
		}
		for _, e := range labels[:i] {
			if sameLabel(e, l) {
				return ErrInvalidLabel.Wrapf("the label %s is given twice", describeLabel(l))
			}
		}
	}
	return nil
}

// MaxEnergy bounds a batch's energy quantities (10^15 kWh or MJ).
const MaxEnergy = 1_000_000_000_000_000

// checkLocation checks a place a message gives; what names it.
func checkLocation(what string, l *creditsv1.Location) error {
	if err := types.CheckLocation(l); err != nil {
		return ErrInvalidMsg.Wrapf("%s: %v", what, err)
	}
	if p := module.TextProblem(l.Municipality, MaxNameLen, false); p != "" {
		return ErrInvalidMsg.Wrapf("%s: the municipality (at most %d bytes of plain text) %s", what, MaxNameLen, p)
	}
	return nil
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
