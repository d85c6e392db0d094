package types

import (
	"fmt"
	"strconv"
	"strings"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// The serial number format, defined here and nowhere else.
//
//	one credit:        JC-<batch>-<category>-<vintage year>-<serial>
//	a block of credits: JC-<batch>-<category>-<vintage year>-<start>-<end>
//
// for example JC-00000042-RE-2024-0000000001-0000001000 is the first
// thousand credits of batch 42, renewable electricity, vintage 2024.
//
//   - batch: the batch number, zero-padded to 8 digits (more digits once it
//     outgrows them). "JC-<batch>" alone is the batch id. The batch number
//     is globally unique, so the serial is too.
//   - category: two letters (ES, RE, RH, IP, AG, WA, FO), see categoryCodes.
//   - vintage year: the 4-digit year the monitoring period starts in.
//   - serial, start, end: 1-based serial numbers within the batch,
//     zero-padded to 10 digits (enough for 10^9 credits; longer numbers are
//     written in full). A block is inclusive at both ends, as Verra's and
//     Gold Standard's are, and has start < end: a block of one credit is
//     written as a single serial.
//
// The project id is deliberately not part of the string: it is x/projects'
// format (it may contain hyphens), and the batch number already determines
// it. Category and vintage are there for people reading the number; a
// lookup checks them against the batch (ErrSerialMismatch).
//
// Every string has exactly one spelling: ParseSerial rejects anything that
// FormatSerial would not produce, so a parsed serial round-trips.
const (
	serialPrefix  = "JC"
	batchDigits   = 8
	serialDigits  = 10
	retirementTag = "JCR"
	cancelTag     = "JCX"
)

// ErrInvalidSerial is x/credits' error for a malformed serial number or
// batch id (code 3 of the credits codespace).
var ErrInvalidSerial = module.NewError(ModuleName, 3, "malformed serial number")

// categoryCodes are the two-letter category codes used in serials.
var categoryCodes = []struct {
	Category creditsv1.Category
	Code     string
}{
	{creditsv1.Category_CATEGORY_ENERGY_SAVING, "ES"},
	{creditsv1.Category_CATEGORY_RENEWABLE_ELECTRICITY, "RE"},
	{creditsv1.Category_CATEGORY_RENEWABLE_HEAT, "RH"},
	{creditsv1.Category_CATEGORY_INDUSTRIAL_PROCESS, "IP"},
	{creditsv1.Category_CATEGORY_AGRICULTURE, "AG"},
	{creditsv1.Category_CATEGORY_WASTE, "WA"},
	{creditsv1.Category_CATEGORY_FOREST, "FO"},
}

// CategoryCode returns c's two-letter code, or "" for an unknown category.
func CategoryCode(c creditsv1.Category) string {
	for _, cc := range categoryCodes {
		if cc.Category == c {
			return cc.Code
		}
	}
	return ""
}

// CategoryOfCode returns the category of a two-letter code.
func CategoryOfCode(code string) (creditsv1.Category, bool) {
	for _, cc := range categoryCodes {
		if cc.Code == code {
			return cc.Category, true
		}
	}
	return creditsv1.Category_CATEGORY_UNSPECIFIED, false
}

// Serial is a parsed serial number: one credit (Start == End) or an
// inclusive block.
type Serial struct {
	Batch       uint64
	Category    creditsv1.Category
	VintageYear uint32
	Start, End  uint64
}

// Quantity is the number of credits the serial names.
func (s Serial) Quantity() uint64 { return s.End - s.Start + 1 }

// String is FormatSerial(s).
func (s Serial) String() string { return FormatSerial(s) }

// FormatSerial writes s in the canonical format. It does not validate s;
// ParseSerial(FormatSerial(s)) succeeds for every valid s.
func FormatSerial(s Serial) string {
	var b strings.Builder
	id, cat := BatchID(s.Batch), CategoryCode(s.Category)
	b.Grow(len(id) + len(cat) + 4 + 2*serialDigits + 4)
	b.WriteString(id)
	b.WriteByte('-')
	b.WriteString(cat)
	b.WriteByte('-')
	writePadded(&b, uint64(s.VintageYear), 4)
	b.WriteByte('-')
	writePadded(&b, s.Start, serialDigits)
	if s.End != s.Start {
		b.WriteByte('-')
		writePadded(&b, s.End, serialDigits)
	}
	return b.String()
}

// writePadded writes pad(n, width) to b without building it first.
func writePadded(b *strings.Builder, n uint64, width int) {
	var buf [20]byte
	d := strconv.AppendUint(buf[:0], n, 10)
	for i := len(d); i < width; i++ {
		b.WriteByte('0')
	}
	b.Write(d)
}

// BatchID is the id of batch number n: "JC-00000042".
func BatchID(n uint64) string { return serialPrefix + "-" + pad(n, batchDigits) }

// ParseBatchID returns the number of a batch id.
func ParseBatchID(id string) (uint64, error) {
	rest, ok := strings.CutPrefix(id, serialPrefix+"-")
	if !ok {
		return 0, ErrInvalidSerial.Wrapf("batch id %q must look like JC-00000001", id)
	}
	n, err := parseCanonical(rest, batchDigits)
	if err != nil || n == 0 {
		return 0, ErrInvalidSerial.Wrapf("batch id %q must look like JC-00000001", id)
	}
	return n, nil
}

// ParseSerial parses a serial number or block. It rejects every string
// FormatSerial would not produce.
func ParseSerial(str string) (Serial, error) {
	bad := func(why string) (Serial, error) {
		return Serial{}, ErrInvalidSerial.Wrapf("%q: %s (expected JC-<batch 8 digits>-<category>-<year>-<serial 10 digits>[-<end serial>], e.g. JC-00000001-RE-2024-0000000001-0000000100)", clip(str), why)
	}
	parts := strings.Split(str, "-")
	if len(parts) != 5 && len(parts) != 6 {
		return bad("wrong number of fields")
	}
	if parts[0] != serialPrefix {
		return bad("must start with JC")
	}
	var s Serial
	var err error
	if s.Batch, err = parseCanonical(parts[1], batchDigits); err != nil || s.Batch == 0 {
		return bad("bad batch number")
	}
	cat, ok := CategoryOfCode(parts[2])
	if !ok {
		return bad("unknown category code " + strconv.Quote(clip(parts[2])))
	}
	s.Category = cat
	if len(parts[3]) != 4 {
		return bad("vintage year must have 4 digits")
	}
	y, err := parseCanonical(parts[3], 4)
	if err != nil || y == 0 {
		return bad("bad vintage year")
	}
	s.VintageYear = uint32(y)
	if s.Start, err = parseCanonical(parts[4], serialDigits); err != nil || s.Start == 0 {
		return bad("bad serial number (serials start at 1)")
	}
	s.End = s.Start
	if len(parts) == 6 {
		if s.End, err = parseCanonical(parts[5], serialDigits); err != nil {
			return bad("bad end serial number")
		}
		if s.End <= s.Start {
			return bad("a block's end must be greater than its start (write one credit without an end)")
		}
	}
	return s, nil
}

// pad writes n in decimal, zero-padded to width digits.
func pad(n uint64, width int) string {
	s := strconv.FormatUint(n, 10)
	if len(s) >= width {
		return s
	}
	return strings.Repeat("0", width-len(s)) + s
}

// parseCanonical parses a decimal number that must be written exactly as
// pad(n, width) writes it: ASCII digits only, padded to width, no extra
// leading zeros beyond the padding.
func parseCanonical(s string, width int) (uint64, error) {
	if s == "" || len(s) > 20 {
		return 0, fmt.Errorf("bad number")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("bad number")
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, err
	}
	if pad(n, width) != s {
		return 0, fmt.Errorf("non-canonical number")
	}
	return n, nil
}

// Record ids. Retirements and cancellations are numbered in sequence
// from 1; their ids are a tag and the zero-padded number, "JCR-00000001"
// and "JCX-00000001" (more digits once 8 are outgrown).

// RetirementID is the id of retirement number n.
func RetirementID(n uint64) string { return recordID(retirementTag, n) }

// CancellationID is the id of cancellation number n.
func CancellationID(n uint64) string { return recordID(cancelTag, n) }

// ParseRetirementID returns the number of a retirement id; only the
// canonical spelling is accepted.
func ParseRetirementID(id string) (uint64, bool) { return parseRecordID(retirementTag, id) }

// ParseCancellationID returns the number of a cancellation id.
func ParseCancellationID(id string) (uint64, bool) { return parseRecordID(cancelTag, id) }

func recordID(tag string, n uint64) string { return tag + "-" + pad(n, batchDigits) }

func parseRecordID(tag, id string) (uint64, bool) {
	rest, ok := strings.CutPrefix(id, tag+"-")
	if !ok {
		return 0, false
	}
	n, err := parseCanonical(rest, batchDigits)
	return n, err == nil && n > 0
}

// clip shortens s for error messages.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// SerialOf returns the Serial naming [start, end] of batch b.
func SerialOf(b *creditsv1.Batch, start, end uint64) Serial {
	return Serial{Batch: b.Number, Category: b.Category, VintageYear: VintageYear(b.VintageStart), Start: start, End: end}
}

// VintageYear is the year of a "YYYY-MM-DD" date (0 if malformed).
func VintageYear(date string) uint32 {
	if len(date) < 4 {
		return 0
	}
	y, err := strconv.ParseUint(date[:4], 10, 32)
	if err != nil {
		return 0
	}
	return uint32(y)
}
