package app

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/app/tx"
	accountstypes "github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// SimulatePath is the query path of a dry run: a transaction executed
// against the latest committed state as FinalizeBlock would execute it at
// the next height, in a buffer that is thrown away. It is how `jcreditd tx
// credits retire --dry-run` shows which serial blocks a retirement would
// take, the record it would write and every rule that would fail, before
// anything is signed, and how `--gas auto` learns the gas a transaction
// needs.
const SimulatePath = "/app/simulate"

// SimulateRequest is the query data of SimulatePath (JSON). Give either a
// signed transaction (tx), or an unsigned body and the address that would
// sign it. time is the block time to run at (RFC 3339; the latest block's,
// as the CLI sends it): rules that read the clock (reporting fiscal years)
// read it.
//
// A dry run admits the transaction as a block would, the signature apart
// for an unsigned body: canonical form, chain id, timeout height, gas
// limit within bounds and within the block's max_gas, a key some account
// signs with, the account's status and roles, every message's format and
// rules. Two differences, because nothing is spent: the nonce of an
// unsigned body is not checked (the CLI does not know yet which it will
// use), and a signed transaction is refused only for a nonce already
// spent (one ahead of the key's next may be waiting behind the signer's
// pending transactions).
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
//
// GasWanted is the gas limit the transaction would reserve (its body's
// gas_limit, or the default); GasUsed is what its execution would use
// (the meter runs up to MaxTxGas, so that a transaction over its own limit
// still says how much it needs: it then fails with ErrOutOfGas). GasUsed
// is 0 when the transaction is refused before its messages run.
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
	GasWanted uint64                     `json:"gas_wanted,string"`
	GasUsed   uint64                     `json:"gas_used,string"`
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
	signed := len(req.Tx) > 0
	switch {
	case signed:
		var err error
		if d, err = tx.Decode(req.Tx); err != nil {
			return module.QueryResult{}, envelopeError(err)
		}
	case len(req.Body) > 0:
		signer, err := accountstypes.ParseAddress(req.Signer)
		if err != nil {
			return module.QueryResult{}, module.ErrBadQuery.Wrapf("simulate: signer: %v", err)
		}
		if d, err = tx.DecodeUnsigned(req.Body, signer); err != nil {
			return module.QueryResult{}, envelopeError(err)
		}
	default:
		return module.QueryResult{}, module.ErrBadQuery.Wrapf("simulate: give a signed transaction (tx) or a body and its signer")
	}
	ans := a.runSimulated(snap, d, signed, req.Time)
	bz, err := json.Marshal(ans)
	if err != nil {
		return module.QueryResult{}, module.ErrInternal.Wrapf("%v", err)
	}
	return module.QueryResult{Value: bz}, nil
}

// runSimulated executes d as deliver would at the next height, in a buffer
// over snap that is dropped: the same envelope checks, the key's nonce
// spent first, then the messages metered (runMsgs: intrinsic gas, unpack,
// the signer's admission, the handlers).
func (a *App) runSimulated(snap *store.Snapshot, d *tx.Decoded, signed bool, t time.Time) (ans *SimulateAnswer) {
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
			ans = fail(module.ErrInternal.Wrapf("simulating the transaction panicked: %v", r))
		}
	}()
	limit, err := checkEnvelope(d, ctx.ChainID, ctx.Height)
	if err != nil {
		return fail(err)
	}
	ans.GasWanted = limit
	if maxGas := blockMaxGas(snap); int64(limit) > maxGas {
		return fail(ErrBlockGasFull.Wrapf("the transaction reserves %d gas and a block holds %d", limit, maxGas))
	}
	account, next, err := a.auth.NextNonce(ctx, d.Signer)
	if err != nil {
		return fail(err)
	}
	if signed && d.Body.Nonce < next {
		return fail(checkNonce(d, next))
	}
	ctx.Account, ans.Account = account, account
	if err := a.auth.IncrementNonce(ctx, d.Signer); err != nil {
		return fail(module.ErrInternal.Wrapf("spend the nonce of %s: %v", d.Signer.Hex(), err))
	}
	meter := module.NewGasMeter(MaxTxGas)
	msgCtx := ctx.WithStore(store.Metered(buf, meter))
	msgCtx.Gas = meter
	err = a.runMsgs(msgCtx, &decoded{Decoded: d})
	ans.GasUsed = meter.Used()
	if err != nil {
		return fail(err)
	}
	if ans.GasUsed > limit {
		return fail(ErrOutOfGas.Wrapf("the transaction needs %d gas, its limit is %d; raise its gas_limit (at most %d; --gas auto sets it from a dry run)", ans.GasUsed, limit, MaxTxGas))
	}
	ans.OK = true
	evs := msgCtx.Events()
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
