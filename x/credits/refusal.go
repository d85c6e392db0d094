package credits

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// refusal collects every rule a request fails, so that one answer tells a
// person all there is to fix (and a dry run shows them all).
type refusal []error

func (r *refusal) add(err error) {
	if err == nil {
		return
	}
	var many *refused
	if errors.As(err, &many) {
		*r = append(*r, many.all...)
		return
	}
	*r = append(*r, err)
}

// err is nil, the one failure, or all of them under the first's code.
func (r refusal) err() error {
	switch len(r) {
	case 0:
		return nil
	case 1:
		return r[0]
	}
	return &refused{all: append([]error(nil), r...)}
}

// refused is several failures; its code is the first's.
type refused struct{ all []error }

func (e *refused) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d rules fail:", len(e.all))
	for i, err := range e.all {
		fmt.Fprintf(&b, " (%d) %v", i+1, err)
		if i < len(e.all)-1 {
			b.WriteByte(';')
		}
	}
	return b.String()
}

func (e *refused) Unwrap() error { return e.all[0] }

// Failures lists the separate failures (the app's dry run shows each).
func (e *refused) Failures() []error { return e.all }

// Failures lists the separate failures in err (one, if it is not a
// refusal of several rules).
func Failures(err error) []error {
	var many *refused
	if errors.As(err, &many) {
		return many.all
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// maxSummaryEntries bounds the owner-index entries a shortfall
// explanation reads.
const maxSummaryEntries = 256

// explainShortfall adds to a selection's ErrInsufficient what the account
// does hold, batch by batch, and whether the request's rules accept each
// (accept: nil for a transfer, which takes anything), so that a person
// can change the filter or the use instead of guessing.
func (k *Keeper) explainShortfall(s module.KVStore, owner uint64, err error, accept func(*creditsv1.Batch) error) error {
	if !errors.Is(err, ErrInsufficient) {
		return err
	}
	st := store(s)
	bc := newBatchCache(st)
	type held struct {
		b   *creditsv1.Batch
		qty uint64
	}
	var order []*held
	byBatch := map[uint64]*held{}
	var total uint64
	p := types.OwnerStatusPrefix(owner, creditsv1.RangeStatus_RANGE_STATUS_ACTIVE)
	it := st.Iterator(p, module.PrefixEnd(p))
	read, more := 0, false
	for ; it.Valid(); it.Next() {
		if read == maxSummaryEntries {
			more = true
			break
		}
		read++
		batch, start, ok := types.ParseOwnerKey(it.Key())
		if !ok || len(it.Value()) != 8 {
			continue
		}
		b, gerr := bc.get(batch)
		if gerr != nil {
			continue
		}
		q := binary.BigEndian.Uint64(it.Value()) - start + 1
		h := byBatch[batch]
		if h == nil {
			h = &held{b: b}
			byBatch[batch] = h
			order = append(order, h)
		}
		h.qty += q
		total += q
	}
	it.Close()
	if total == 0 {
		return fmt.Errorf("%w; it holds no active credits", err)
	}
	var parts []string
	for _, h := range order {
		s := fmt.Sprintf("%d of %s (%s, %s/%s, vintage %s)", h.qty, h.b.Id, categoryName(h.b.Category), orDash(h.b.SchemeSymbol), orDash(h.b.CreditType), h.b.VintageStart[:min(4, len(h.b.VintageStart))])
		if accept != nil {
			if aerr := accept(h.b); aerr != nil {
				s += ": not accepted: " + strings.Join(failureTexts(aerr), "; ")
			} else {
				s += ": accepted"
			}
		}
		parts = append(parts, s)
	}
	tail := ""
	if more {
		tail = " (and more ranges not listed)"
	}
	return fmt.Errorf("%w; it holds %d active credits: %s%s", err, total, strings.Join(parts, ", "), tail)
}

func failureTexts(err error) []string {
	var out []string
	for _, e := range Failures(err) {
		msg := e.Error()
		var me *module.Error
		if errors.As(e, &me) {
			msg = strings.TrimPrefix(msg, me.Desc+": ")
		}
		out = append(out, msg)
	}
	return out
}
