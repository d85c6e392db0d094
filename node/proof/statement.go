package proof

import (
	"bytes"
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

// Answers: what a verified bundle proves about its subject, in one word.
const (
	AnswerPresent     = "present"
	AnswerAbsent      = "absent"
	AnswerActive      = "active"
	AnswerRetired     = "retired"
	AnswerCancelled   = "cancelled"
	AnswerLocked      = "locked"
	AnswerNeverIssued = "never_issued"
)

// describe says what a bundle that passed every check proves, and nothing
// more: the subject's answer in state H. Verify prefixes it with "AS OF
// state H (block time T)". A present record is shown in full beside it; the
// sentence names what a reader must not misread: an absence, an active
// credit (which may be transferred, retired or cancelled at any later
// height), a serial never issued (and how many its batch has issued).
func describe(b *Bundle) (answer, what string, err error) {
	switch b.Kind {
	case KindRetirement:
		if !b.Exists {
			return AnswerAbsent, fmt.Sprintf("retirement %s is absent: no retirement has this id in this state (it may be created later)", b.Subject), nil
		}
		var r creditsv1.Retirement
		if err := proto.Unmarshal(b.Value, &r); err != nil {
			return "", "", err
		}
		by := r.Account
		if r.AccountNumber != 0 {
			by = fmt.Sprintf("account #%d (%s)", r.AccountNumber, r.Account)
		}
		// State version 1 recorded one use; version 2 a list (x/credits).
		uses := r.Uses
		if len(uses) == 0 {
			uses = []creditsv1.Use{r.Use}
		}
		var names []string
		for _, u := range uses {
			names = append(names, enumName(u.String(), "USE_"))
		}
		return AnswerPresent, fmt.Sprintf("retirement %s exists: %d credits (%s) retired by %s for %q, use %s, fiscal year %d",
			r.Id, r.Quantity, blocksText(r.Blocks), by, r.Beneficiary, strings.Join(names, ", "), r.FiscalYear), nil
	case KindAccount:
		if !b.Exists {
			return AnswerAbsent, fmt.Sprintf("account %s is absent: no account has this address in this state", b.Subject), nil
		}
		var a accountsv1.Account
		if err := proto.Unmarshal(b.Value, &a); err != nil {
			return "", "", err
		}
		roles := make([]string, 0, len(a.Roles))
		for _, r := range a.Roles {
			roles = append(roles, enumName(r.String(), "ROLE_"))
		}
		who := a.Address
		if a.Number != 0 {
			who = fmt.Sprintf("#%d (key %s)", a.Number, a.Address)
		}
		return AnswerPresent, fmt.Sprintf("account %s exists: %q, %s, roles %s", who, a.LegalName,
			enumName(a.Status.String(), "ACCOUNT_STATUS_"), strings.Join(roles, ", ")), nil
	case KindBatch:
		if !b.Exists {
			return AnswerAbsent, fmt.Sprintf("batch %s is absent: no batch has this id in this state", b.Subject), nil
		}
		var bt creditsv1.Batch
		if err := proto.Unmarshal(b.Value, &bt); err != nil {
			return "", "", err
		}
		return AnswerPresent, fmt.Sprintf("batch %s exists: %d credits issued (%d active, %d retired, %d cancelled), %s, %s, vintage %s to %s",
			bt.Id, bt.Issued, bt.Active, bt.Retired, bt.Cancelled, bt.Methodology, enumName(bt.Category.String(), "CATEGORY_"), bt.VintageStart, bt.VintageEnd), nil
	case KindCancellation:
		if !b.Exists {
			return AnswerAbsent, fmt.Sprintf("cancellation %s is absent: no cancellation has this id in this state (it may be created later)", b.Subject), nil
		}
		var c creditsv1.Cancellation
		if err := proto.Unmarshal(b.Value, &c); err != nil {
			return "", "", err
		}
		by := c.Ministry
		if c.MinistryAccount != 0 {
			by = fmt.Sprintf("account #%d (%s)", c.MinistryAccount, c.Ministry)
		}
		return AnswerPresent, fmt.Sprintf("cancellation %s exists: %d credits (%s) cancelled by %s: %q",
			c.Id, c.Quantity, blocksText(c.Blocks), by, c.Reason), nil
	case KindSerial:
		return describeSerial(b)
	case KindTotal:
		if projectstypes.IsProjectTotal(b.Subject) {
			return describeProjectTotal(b) // project_total.go
		}
		t, err := creditstypes.ParseTotal(b.Subject)
		if err != nil {
			return "", "", err
		}
		if !b.Exists {
			return AnswerAbsent, fmt.Sprintf("%s = 0 (no counter: nothing counted)", t.Describe()), nil
		}
		var c creditsv1.Counter
		if err := proto.Unmarshal(b.Value, &c); err != nil {
			return "", "", err
		}
		return AnswerPresent, fmt.Sprintf("%s = %d", t.Describe(), c.Value), nil
	case KindGxEts:
		return describeGx(b)
	}
	return "", "", fmt.Errorf("unknown kind %q", b.Kind)
}

func describeSerial(b *Bundle) (string, string, error) {
	s, err := creditstypes.ParseSerial(b.Subject)
	if err != nil {
		return "", "", err
	}
	if bytes.Equal(b.Key, creditstypes.BatchStoreKey(s.Batch)) {
		if !b.Exists {
			return AnswerNeverIssued, fmt.Sprintf("serial %s was never issued: there is no batch %s", b.Subject, creditstypes.BatchID(s.Batch)), nil
		}
		var bt creditsv1.Batch
		if err := proto.Unmarshal(b.Value, &bt); err != nil {
			return "", "", err
		}
		return AnswerNeverIssued, fmt.Sprintf("serial %s was never issued: batch %s has issued %d", b.Subject, bt.Id, bt.Issued), nil
	}
	var r creditsv1.Range
	if err := proto.Unmarshal(b.Value, &r); err != nil {
		return "", "", err
	}
	in := fmt.Sprintf("credits %d-%d of batch %s", r.Start, r.End, r.BatchId)
	owner := holder(&r)
	switch r.Status {
	case creditsv1.RangeStatus_RANGE_STATUS_ACTIVE:
		return AnswerActive, fmt.Sprintf("serial %s is ACTIVE at %d — says nothing about later heights; held by %s (%s)", b.Subject, b.Height, owner, in), nil
	case creditsv1.RangeStatus_RANGE_STATUS_RETIRED:
		return AnswerRetired, fmt.Sprintf("serial %s is RETIRED by retirement %s, held by %s when retired (%s)", b.Subject, r.RetirementId, owner, in), nil
	case creditsv1.RangeStatus_RANGE_STATUS_CANCELLED:
		return AnswerCancelled, fmt.Sprintf("serial %s is CANCELLED by cancellation %s, held by %s when cancelled (%s)", b.Subject, r.CancellationId, owner, in), nil
	case creditsv1.RangeStatus_RANGE_STATUS_LOCKED:
		// What a buyer checks before paying: only the agent can move the
		// credit until the expiry height (x/credits locks.go).
		return AnswerLocked, fmt.Sprintf("serial %s is LOCKED at %d for agent account #%d until height %d (lock %s): only that agent can settle or release it; held by %s (%s)",
			b.Subject, b.Height, r.LockAgentAccount, r.LockExpiresHeight, r.LockId, owner, in), nil
	}
	return "", "", fmt.Errorf("range %s %d-%d has status %s, which no serial has", r.BatchId, r.Start, r.End, r.Status)
}

// holder names a range's owner as the record does: by account number
// (state version 2; the address a number has is another key's record) or by
// address (state version 1).
func holder(r *creditsv1.Range) string {
	//nolint:staticcheck // Owner is how state version 1 named the holder.
	switch owner := r.Owner; {
	case r.OwnerAccount != 0 && owner != "":
		return fmt.Sprintf("account #%d (%s)", r.OwnerAccount, owner)
	case r.OwnerAccount != 0:
		return fmt.Sprintf("account #%d", r.OwnerAccount)
	default:
		return owner
	}
}

func blocksText(bs []*creditsv1.SerialBlock) string {
	out := make([]string, 0, len(bs))
	for _, b := range bs {
		out = append(out, b.Serials)
	}
	return strings.Join(out, ", ")
}

// enumName shortens a protobuf enum name for a sentence: USE_RE100 -> RE100.
func enumName(name, prefix string) string { return strings.TrimPrefix(name, prefix) }
