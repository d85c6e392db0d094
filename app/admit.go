package app

import (
	"errors"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/x/module"
)

// decode checks the envelope and signature, using the cache of signers
// recovered earlier (CheckTx) when the same bytes come back in a block.
func (a *App) decode(raw []byte) (*tx.Decoded, error) {
	if d, ok := a.sigs.get(raw); ok {
		return d, nil
	}
	d, err := tx.Decode(raw)
	if err != nil {
		return nil, envelopeError(err)
	}
	a.sigs.put(d)
	return d, nil
}

// envelopeError maps package tx's sentinels onto registered codes.
func envelopeError(err error) error {
	switch {
	case errors.Is(err, tx.ErrTooLarge):
		return ErrTxTooLarge.Wrapf("%v", err)
	case errors.Is(err, tx.ErrHighS):
		return ErrHighS.Wrapf("%v", err)
	case errors.Is(err, tx.ErrBadSignature):
		return ErrBadSignature.Wrapf("%v", err)
	case errors.Is(err, tx.ErrNoMessages):
		return ErrNoMessages.Wrapf("add at least one message")
	default:
		return ErrTxDecode.Wrapf("%v", err)
	}
}

// unpack decodes and statelessly validates every message of a body.
func (a *App) unpack(d *tx.Decoded) ([]proto.Message, []module.Route, error) {
	msgs := make([]proto.Message, 0, len(d.Body.Messages))
	routes := make([]module.Route, 0, len(d.Body.Messages))
	for i, any := range d.Body.Messages {
		name := protoreflect.FullName(any.TypeUrl)
		if i := lastSlash(any.TypeUrl); i >= 0 {
			name = protoreflect.FullName(any.TypeUrl[i+1:])
		}
		rt, ok := a.router.Route(name)
		if !ok {
			return nil, nil, ErrUnknownMessage.Wrapf("message %d has type %q; known types: %v", i, any.TypeUrl, a.router.Names())
		}
		m := rt.New()
		if err := proto.Unmarshal(any.Value, m); err != nil {
			return nil, nil, ErrBadMessage.Wrapf("message %d (%s): %v", i, name, err)
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

// admit runs the checks CheckTx and FinalizeBlock share: chain id, message
// formats, signer account and nonce. expected is the nonce the signer's
// transaction must carry. It writes nothing but ctx.Account, the number of
// the account the signer signs for.
func (a *App) admit(ctx *module.Context, d *tx.Decoded, expected func(accountNonce uint64) uint64) ([]proto.Message, []module.Route, error) {
	if d.Body.ChainId != ctx.ChainID {
		return nil, nil, ErrWrongChainID.Wrapf("signed for %q, this chain is %q", d.Body.ChainId, ctx.ChainID)
	}
	msgs, routes, err := a.unpack(d)
	if err != nil {
		return nil, nil, err
	}
	account, accNonce, err := a.auth.Admit(*ctx, d.Signer, msgs)
	if err != nil {
		return nil, nil, err
	}
	ctx.Account = account
	want := expected(accNonce)
	switch {
	case d.Body.Nonce < want:
		return nil, nil, ErrStaleNonce.Wrapf("account %s: got nonce %d, next is %d", d.Signer.Hex(), d.Body.Nonce, want)
	case d.Body.Nonce > want:
		return nil, nil, ErrFutureNonce.Wrapf("account %s: got nonce %d, next is %d; send the missing ones first", d.Signer.Hex(), d.Body.Nonce, want)
	}
	return msgs, routes, nil
}
