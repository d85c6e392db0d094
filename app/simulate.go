package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/app/tx"
	txv1 "github.com/jcredit/jcredit/proto/jcredit/tx/v1"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// SimulatePath is the query path of a dry run: the messages of a
// transaction executed against the latest committed state, in a buffer
// that is thrown away. It is how `jcreditd tx credits retire --dry-run`
// shows which serial blocks a retirement would take, the record it would
// write and every rule that would fail, before anything is signed.
const SimulatePath = "/app/simulate"

// SimulateRequest is the query data of SimulatePath (JSON). Give either a
// signed transaction (tx), or an unsigned body and the address that would
// sign it. time is the block time to run at (RFC 3339; the latest block's,
// as the CLI sends it): rules that read the clock (reporting fiscal years)
// read it. The signer's nonce is not checked: a dry run consumes nothing.
type SimulateRequest struct {
	Tx     []byte    `json:"tx,omitempty"`
	Body   []byte    `json:"body,omitempty"`
	Signer string    `json:"signer,omitempty"`
	Time   time.Time `json:"time"`
}

// SimulateAnswer is the answer: what the transaction would do at the next
// height. OK is false when it would be refused: then Code, Codespace and
// Log are those the transaction would get, and Failures lists every rule
// that fails (a handler that checks several rules reports them all).
// Events are those it would emit; Previews hold, per module, the records it
// would write (a retirement record with its serial blocks).
type SimulateAnswer struct {
	Height    int64                      `json:"height,string"`
	Time      time.Time                  `json:"time"`
	Signer    string                     `json:"signer"`
	Account   uint64                     `json:"account,string"`
	OK        bool                       `json:"ok"`
	Codespace string                     `json:"codespace,omitempty"`
	Code      uint32                     `json:"code,omitempty"`
	Log       string                     `json:"log,omitempty"`
	Failures  []string                   `json:"failures,omitempty"`
	Events    []SimulatedEvent           `json:"events"`
	Previews  map[string]json.RawMessage `json:"previews,omitempty"`
}

// SimulatedEvent is an event a simulated transaction would emit.
type SimulatedEvent struct {
	Type       string            `json:"type"`
	Attributes []SimulatedAttrib `json:"attributes"`
}

// SimulatedAttrib is one event attribute.
type SimulatedAttrib struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// simulate runs a dry run over snap (see SimulatePath).
func (a *App) simulate(snap *store.Snapshot, data []byte) (module.QueryResult, error) {
	var req SimulateRequest
	if err := json.Unmarshal(data, &req); err != nil {
		return module.QueryResult{}, module.ErrBadQuery.Wrapf("simulate: the request is JSON {tx | body and signer, time}: %v", err)
	}
	if req.Time.IsZero() {
		return module.QueryResult{}, module.ErrBadQuery.Wrapf("simulate: give the block time to run at (the latest block's)")
	}
	var d *tx.Decoded
	switch {
	case len(req.Tx) > 0:
		var err error
		if d, err = tx.Decode(req.Tx); err != nil {
			return module.QueryResult{}, envelopeError(err)
		}
	case len(req.Body) > 0:
		signer, err := accountstypes.ParseAddress(req.Signer)
		if err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("simulate: signer: %v", err)
		}
		body := &txv1.TxBody{}
		if err := proto.Unmarshal(req.Body, body); err != nil {
			return module.QueryResult{}, ErrTxDecode.Wrapf("simulate: body: %v", err)
		}
		if len(body.Messages) == 0 {
			return module.QueryResult{}, ErrNoMessages.Wrapf("add at least one message")
		}
		d = &tx.Decoded{Body: body, Signer: signer, Hash: tx.Hash(req.Body)}
	default:
		return module.QueryResult{}, module.ErrBadQuery.Wrapf("simulate: give a signed transaction (tx) or a body and its signer")
	}
	ans := a.runSimulated(snap, d, req.Time)
	bz, err := json.Marshal(ans)
	if err != nil {
		return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
	}
	return module.QueryResult{Value: bz}, nil
}

// runSimulated executes d's messages as FinalizeBlock would at the next
// height, in a buffer over snap that is dropped.
func (a *App) runSimulated(snap *store.Snapshot, d *tx.Decoded, t time.Time) (ans *SimulateAnswer) {
	buf := store.NewCache(snap)
	ctx := module.NewContext(buf, a.ChainID(), snap.Version()+1, t)
	ctx.Signer, ctx.TxHash = d.Signer, d.Hash
	ans = &SimulateAnswer{Height: ctx.Height, Time: t, Signer: d.Signer.Hex(), Events: []SimulatedEvent{}}
	fail := func(err error) *SimulateAnswer {
		ans.OK = false
		ans.Codespace, ans.Code = module.CodeOf(err)
		ans.Log = err.Error()
		var many interface{ Failures() []error }
		if errors.As(err, &many) {
			for _, f := range many.Failures() {
				ans.Failures = append(ans.Failures, f.Error())
			}
		} else {
			ans.Failures = []string{err.Error()}
		}
		return ans
	}
	defer func() {
		if r := recover(); r != nil {
			if se, ok := r.(module.StoreError); ok {
				panic(se)
			}
			ans = fail(module.ErrInternal.Wrapf("message handler panicked: %v", r))
		}
	}()
	if d.Body.ChainId != ctx.ChainID {
		return fail(ErrWrongChainID.Wrapf("signed for %q, this chain is %q", d.Body.ChainId, ctx.ChainID))
	}
	msgs, routes, err := a.unpack(d)
	if err != nil {
		return fail(err)
	}
	account, _, err := a.auth.Admit(ctx, d.Signer, msgs)
	if err != nil {
		return fail(err)
	}
	ctx.Account, ans.Account = account, account
	for i, m := range msgs {
		if err := routes[i].Handle(ctx, m); err != nil {
			return fail(fmt.Errorf("message %d (%s): %w", i, m.ProtoReflect().Descriptor().FullName(), err))
		}
	}
	ans.OK = true
	evs := ctx.Events()
	for _, e := range evs {
		se := SimulatedEvent{Type: e.Type, Attributes: []SimulatedAttrib{}}
		for _, at := range e.Attributes {
			se.Attributes = append(se.Attributes, SimulatedAttrib{Key: at.Key, Value: at.Value})
		}
		ans.Events = append(ans.Events, se)
	}
	for _, m := range a.modules {
		if p, ok := m.(module.Previewer); ok {
			v, err := p.Preview(buf, evs)
			if err != nil {
				return fail(err)
			}
			if v != nil {
				if ans.Previews == nil {
					ans.Previews = map[string]json.RawMessage{}
				}
				ans.Previews[m.Name()] = v
			}
		}
	}
	return ans
}
