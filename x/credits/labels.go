package credits

import (
	"encoding/hex"
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Batch labels. A batch carries its labels as they stand (Batch.labels,
// which a retirement checks and copies into its record); every change is
// also a LabelChange record of its own (lh/<batch#><n>): the ministry that
// made it, the height, time, transaction and reason. A label's identity is
// its kind, and for CORSIA its phase: a batch may be eligible for several
// phases, but has one corresponding-adjustment status.

// validateLabel checks a label's fields against its kind.
func validateLabel(l *creditsv1.Label) error {
	if l == nil {
		return ErrInvalidLabel.Wrapf("no label given")
	}
	switch l.Kind {
	case creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE:
		if l.CorsiaPhase < creditsv1.CorsiaPhase_CORSIA_PHASE_PILOT || l.CorsiaPhase > creditsv1.CorsiaPhase_CORSIA_PHASE_FOURTH {
			return ErrInvalidLabel.Wrapf("a CORSIA label names its phase: pilot (2021-2023), first (2024-2026), second (2027-2029), third (2030-2032) or fourth (2033-2035)")
		}
		if l.Adjustment != 0 {
			return ErrInvalidLabel.Wrapf("a CORSIA label has no adjustment status; label the corresponding adjustment separately")
		}
	case creditsv1.LabelKind_LABEL_KIND_CORRESPONDING_ADJUSTMENT:
		if l.Adjustment != creditsv1.AdjustmentStatus_ADJUSTMENT_STATUS_REQUESTED && l.Adjustment != creditsv1.AdjustmentStatus_ADJUSTMENT_STATUS_APPLIED {
			return ErrInvalidLabel.Wrapf("a corresponding-adjustment label says whether it is requested or applied")
		}
		if l.CorsiaPhase != 0 {
			return ErrInvalidLabel.Wrapf("only CORSIA labels have a phase")
		}
	case creditsv1.LabelKind_LABEL_KIND_ARTICLE6_AUTHORIZED, creditsv1.LabelKind_LABEL_KIND_ICVCM_CCP:
		if l.CorsiaPhase != 0 || l.Adjustment != 0 {
			return ErrInvalidLabel.Wrapf("a %s label has no phase or status", labelName(l.Kind))
		}
	default:
		return ErrInvalidLabel.Wrapf("unknown label kind %d: CORSIA eligible, corresponding adjustment, Article 6 authorised or ICVCM CCP", l.Kind)
	}
	return nil
}

// sameLabel reports whether a and b are the same label (kind, and phase
// for CORSIA), whatever their status.
func sameLabel(a, b *creditsv1.Label) bool {
	return a.Kind == b.Kind && (a.Kind != creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE || a.CorsiaPhase == b.CorsiaPhase)
}

// describeLabel writes a label for people and events.
func describeLabel(l *creditsv1.Label) string {
	switch l.Kind {
	case creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE:
		return "CORSIA eligible (" + types.CorsiaPhaseYears(l.CorsiaPhase) + ")"
	case creditsv1.LabelKind_LABEL_KIND_CORRESPONDING_ADJUSTMENT:
		if l.Adjustment == creditsv1.AdjustmentStatus_ADJUSTMENT_STATUS_APPLIED {
			return "corresponding adjustment applied"
		}
		return "corresponding adjustment requested"
	case creditsv1.LabelKind_LABEL_KIND_ARTICLE6_AUTHORIZED:
		return "Article 6 authorised"
	case creditsv1.LabelKind_LABEL_KIND_ICVCM_CCP:
		return "ICVCM CCP"
	}
	return l.Kind.String()
}

// changeLabel adds, changes or removes label on b (the caller saves b) and
// writes the LabelChange record. It refuses a change that changes nothing.
func changeLabel(ctx module.Context, st module.KVStore, b *creditsv1.Batch, label *creditsv1.Label, remove bool, reason string) (*creditsv1.LabelChange, error) {
	label = proto.Clone(label).(*creditsv1.Label)
	label.SinceHeight = ctx.Height
	i := -1
	for j, l := range b.Labels {
		if sameLabel(l, label) {
			i = j
		}
	}
	ch := &creditsv1.LabelChange{BatchId: b.Id, Label: label}
	switch {
	case remove && i < 0:
		return nil, ErrInvalidLabel.Wrapf("batch %s does not carry the label %s; its labels: %s", b.Id, describeLabel(label), describeLabels(b.Labels))
	case remove:
		ch.Action, ch.Label = creditsv1.LabelAction_LABEL_ACTION_REMOVED, b.Labels[i]
		b.Labels = append(b.Labels[:i], b.Labels[i+1:]...)
	case i < 0:
		ch.Action = creditsv1.LabelAction_LABEL_ACTION_ADDED
		b.Labels = append(b.Labels, label)
	case b.Labels[i].Adjustment == label.Adjustment:
		return nil, ErrInvalidLabel.Wrapf("batch %s already carries the label %s (since height %d)", b.Id, describeLabel(label), b.Labels[i].SinceHeight)
	default:
		ch.Action, ch.Previous = creditsv1.LabelAction_LABEL_ACTION_CHANGED, b.Labels[i]
		b.Labels[i] = label
	}
	b.LabelChanges++
	ch.Number = b.LabelChanges
	if ctx.Account != 0 { // zero at genesis: no ministry signed
		ch.MinistryAccount, ch.Ministry = ctx.Account, ctx.Signer.Hex()
	}
	ch.Reason, ch.Height, ch.Time, ch.TxHash = reason, ctx.Height, timestamppb.New(ctx.Time), hex.EncodeToString(ctx.TxHash)
	st.Set(types.LabelChangeKey(b.Number, ch.Number), marshal(ch))
	ctx.Emit(EventLabel,
		module.Indexed("batch", b.Id),
		module.Indexed("label", ch.Label.Kind.String()),
		module.Indexed("action", ch.Action.String()),
		module.Indexed("ministry", ch.Ministry),
		module.Plain("change", fmt.Sprint(ch.Number)),
		module.Plain("label_text", describeLabel(ch.Label)),
		module.Plain("reason", reason))
	return ch, nil
}

func describeLabels(ls []*creditsv1.Label) string {
	if len(ls) == 0 {
		return "none"
	}
	s := ""
	for i, l := range ls {
		if i > 0 {
			s += ", "
		}
		s += describeLabel(l)
	}
	return s
}

// getLabelChange reads change n of batch (nil if absent).
func getLabelChange(st module.KVStore, batch, n uint64) (*creditsv1.LabelChange, error) {
	bz := st.Get(types.LabelChangeKey(batch, n))
	if bz == nil {
		return nil, nil
	}
	c := &creditsv1.LabelChange{}
	if err := proto.Unmarshal(bz, c); err != nil {
		return nil, module.ErrInternal.Wrapf("label change %d/%d: %v", batch, n, err)
	}
	return c, nil
}
