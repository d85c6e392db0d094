package credits

import (
	"encoding/json"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/x/module"
)

// Preview implements module.Previewer: for a simulated retirement or
// cancellation, the record it would write (with the serial blocks it
// would take), and for a transfer the blocks that would move, read from
// the simulated state s.
func (k *Keeper) Preview(s module.KVStore, events []abci.Event) (json.RawMessage, error) {
	st := store(s)
	out := struct {
		Retirements   []json.RawMessage   `json:"retirements,omitempty"`
		Cancellations []json.RawMessage   `json:"cancellations,omitempty"`
		Transfers     []map[string]string `json:"transfers,omitempty"`
	}{}
	seen := map[string]bool{}
	for _, e := range events {
		attr := func(key string) string {
			for _, a := range e.Attributes {
				if a.Key == key {
					return a.Value
				}
			}
			return ""
		}
		switch e.Type {
		case EventRetirement:
			id := attr("retirement_id")
			if seen[id] {
				continue
			}
			seen[id] = true
			r, err := getRetirement(st, id)
			if err != nil || r == nil {
				return nil, module.ErrInternal.Wrapf("simulated retirement %s: %v", id, err)
			}
			out.Retirements = append(out.Retirements, recordJSON(r))
		case EventCancel:
			id := attr("cancellation_id")
			if seen[id] {
				continue
			}
			seen[id] = true
			c, err := getCancellation(st, id)
			if err != nil || c == nil {
				return nil, module.ErrInternal.Wrapf("simulated cancellation %s: %v", id, err)
			}
			out.Cancellations = append(out.Cancellations, recordJSON(c))
		case EventTransfer:
			out.Transfers = append(out.Transfers, map[string]string{
				"serials": attr("serials"), "quantity": attr("quantity"), "recipient": attr("recipient"),
			})
		}
	}
	if len(out.Retirements)+len(out.Cancellations)+len(out.Transfers) == 0 {
		return nil, nil
	}
	bz, err := json.Marshal(out)
	if err != nil {
		return nil, module.ErrInternal.Wrapf("%v", err)
	}
	return bz, nil
}

var _ module.Previewer = (*Keeper)(nil)

// recordJSON renders a record in the read side's JSON style.
func recordJSON(m proto.Message) json.RawMessage {
	bz, err := module.MarshalJSON(m)
	if err != nil {
		panic(err) // a record that protojson cannot render is a bug
	}
	return bz
}
