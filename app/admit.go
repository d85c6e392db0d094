package app

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/x/module"
)

// decoded is a transaction as this node checked it: its envelope and
// signer (tx.Decoded) and, once asked for, its messages (messagesOf),
// decoded and validated. Both depend on the bytes alone, so the sigCache
// keeps them together: a transaction CheckTx saw is not decoded again by
// RECHECK or FinalizeBlock.
type decoded struct {
	*tx.Decoded
	once   sync.Once
	msgs   []proto.Message
	routes []module.Route
	err    error
}

// decode checks the envelope and signature, using the cache of signers
// recovered earlier (CheckTx) when the same bytes come back in a block.
func (a *App) decode(raw []byte) (*decoded, error) {
	if err := tx.CheckSize(raw); err != nil {
		return nil, envelopeError(err)
	}
	sum := sha256.Sum256(raw) // the cache's key, and the transaction's id
	if d, ok := a.sigs.get(sum); ok {
		return d, nil
	}
	d, err := tx.DecodeHashed(raw, sum)
	if err != nil {
		return nil, envelopeError(err)
	}
	return a.sigs.put(&decoded{Decoded: d}), nil
}

// messagesOf is unpack(d), computed once per decoded transaction. The
// messages are shared by every caller (CheckTx, RECHECK, FinalizeBlock),
// which only read them; handlers must not modify their message.
func (a *App) messagesOf(d *decoded) ([]proto.Message, []module.Route, error) {
	d.once.Do(func() { d.msgs, d.routes, d.err = a.unpack(d.Decoded) })
	return d.msgs, d.routes, d.err
}

// envelopeError maps package tx's refusals onto registered codes, saying
// the description once: the registered error's, then tx's details.
func envelopeError(err error) error {
	var te *tx.Error
	if !errors.As(err, &te) {
		return ErrTxDecode.Wrapf("%v", err)
	}
	var to *module.Error
	switch {
	case errors.Is(te.Kind, tx.ErrTooLarge):
		to = ErrTxTooLarge
	case errors.Is(te.Kind, tx.ErrNotCanonical):
		to = ErrNotCanonical
	case errors.Is(te.Kind, tx.ErrHighS):
		return ErrHighS
	case errors.Is(te.Kind, tx.ErrBadSignature):
		to = ErrBadSignature
	case errors.Is(te.Kind, tx.ErrNoMessages):
		return ErrNoMessages.Wrapf("add at least one message")
	default:
		to = ErrTxDecode
	}
	if te.Detail == "" {
		return to
	}
	return to.Wrapf("%s", te.Detail)
}

// checkEnvelope runs the checks of a decoded transaction that need no
// state: the chain id, the timeout (height is the block it would execute
// in) and the gas limit, which it returns. A transaction failing them is
// refused without spending its nonce.
func checkEnvelope(d *tx.Decoded, chainID string, height int64) (uint64, error) {
	if d.Body.ChainId != chainID {
		return 0, ErrWrongChainID.Wrapf("signed for %q, this chain is %q", d.Body.ChainId, chainID)
	}
	if t := d.Body.TimeoutHeight; t != 0 && uint64(height) > t {
		return 0, ErrTimedOut.Wrapf("its timeout_height is %d and this is block %d; sign it again with a later timeout", t, height)
	}
	limit, err := gasLimit(d)
	if err != nil {
		return 0, err
	}
	if need := intrinsicGas(d); limit < need {
		return 0, ErrOutOfGas.Wrapf("gas_limit %d is below the %d gas this transaction costs before its messages run (envelope, signature, nonce); raise it or leave it 0", limit, need)
	}
	return limit, nil
}

// MaxMemoBytes bounds a transaction body's memo (free text kept in the
// block, shown by explorers: plain text only, like every text field).
const MaxMemoBytes = 256

// unpack checks the memo, and decodes and statelessly validates every
// message of a body. Each
// message's bytes must be the canonical encoding of what they decode to,
// as the envelope's must (package tx): a field the signer set that this
// binary does not know would otherwise be silently ignored.
func (a *App) unpack(d *tx.Decoded) ([]proto.Message, []module.Route, error) {
	if p := module.TextProblem(d.Body.Memo, MaxMemoBytes, false); p != "" {
		return nil, nil, ErrInvalidMemo.Wrapf("the memo %s", p)
	}
	return a.unpackAnys(d.Body.Messages)
}

// unpackAnys decodes messages by their type URL through the router: each
// must be a registered type, in canonical form, and pass its stateless
// validation.
func (a *App) unpackAnys(anys []*anypb.Any) ([]proto.Message, []module.Route, error) {
	msgs := make([]proto.Message, 0, len(anys))
	routes := make([]module.Route, 0, len(anys))
	for i, any := range anys {
		name := protoreflect.FullName(any.TypeUrl)
		if i := lastSlash(any.TypeUrl); i >= 0 {
			name = protoreflect.FullName(any.TypeUrl[i+1:])
		}
		rt, ok := a.router.Route(name)
		if !ok {
			return nil, nil, ErrUnknownMessage.Wrapf("message %d has type %q; known types: %v", i, any.TypeUrl, a.router.Names())
		}
		m := rt.New()
		if err := (proto.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(any.Value, m); err != nil {
			return nil, nil, ErrBadMessage.Wrapf("message %d (%s): %v", i, name, err)
		}
		if again, err := (proto.MarshalOptions{Deterministic: true}).Marshal(m); err != nil || !bytes.Equal(again, any.Value) {
			return nil, nil, ErrBadMessage.Wrapf("message %d (%s) is not in canonical form (unknown or repeated fields, or a non-minimal encoding); encode it as tx.Body.Build does", i, name)
		}
		if err := rt.Validate(m); err != nil {
			return nil, nil, err
		}
		msgs = append(msgs, m)
		routes = append(routes, rt)
	}
	return msgs, routes, nil
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

// checkNonce compares the transaction's nonce with want, the nonce the
// signer's next transaction must carry.
func checkNonce(d *tx.Decoded, want uint64) error {
	switch {
	case d.Body.Nonce < want:
		return ErrStaleNonce.Wrapf("key %s: got nonce %d, next is %d", d.Signer.Hex(), d.Body.Nonce, want)
	case d.Body.Nonce > want:
		return ErrFutureNonce.Wrapf("key %s: got nonce %d, next is %d; send the missing ones first", d.Signer.Hex(), d.Body.Nonce, want)
	}
	return nil
}

// MaxNonceGap is the largest hole in a signer's nonces that CheckTx admits
// a transaction behind: up to MaxNonceGap missing nonces after the highest
// admitted one (or, with none admitted, from the committed next one). A
// node's mempool can miss one of a signer's transactions: a peer whose
// mempool was full when it was gossiped drops it and is never sent it
// again. Refusing the signer's later nonces there
// would leave them to the origin node alone (the only one that can propose
// them), so a few are admitted past the hole; the proposals wait for it
// (sequencer), and once the missing transaction is committed by a block
// from its origin they are next.
const MaxNonceGap = 16

// admitNonce is CheckTx's nonce rule: next is the nonce the signer's next
// transaction must carry in committed state, top the nonce after the
// highest one admitted since the last commit (0 if none). A nonce from next
// up to the highest admitted is admitted again: the mempool may have
// dropped the transaction after CheckTx admitted it (it was full by then;
// CometBFT forgets it so that it can be sent again), and a second
// transaction for a nonce already taken is dropped by the proposal. Beyond
// that, behind a hole of at most MaxNonceGap nonces.
func admitNonce(d *tx.Decoded, next, top uint64) error {
	top = max(top, next)
	switch n := d.Body.Nonce; {
	case n < next:
		return ErrStaleNonce.Wrapf("key %s: got nonce %d, next is %d", d.Signer.Hex(), n, next)
	case n > top+MaxNonceGap && top > next:
		return ErrFutureNonce.Wrapf("key %s: got nonce %d, next is %d and this node's mempool holds nonces up to %d; send the missing ones first", d.Signer.Hex(), n, next, top-1)
	case n > top+MaxNonceGap:
		return ErrFutureNonce.Wrapf("key %s: got nonce %d, next is %d; send the missing ones first", d.Signer.Hex(), n, next)
	}
	return nil
}
