package app

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/jcredit/jcredit/x/module"
)

// msgRunner is the app's router as x/accounts needs it to execute an
// approved pending action (accounts.MsgRunner): the messages a transaction
// carried, decoded and run exactly as runMsgs decodes and runs a
// transaction's, but with the context the accounts module gives (the
// account acting, the initiator's key as signer, the approving
// transaction's metered store). Admission and holding are not repeated:
// the messages were admitted when their transaction was, and an approved
// action is what the thresholds asked for.
type msgRunner struct{ a *App }

// MsgRunner returns the runner for x/accounts (wired in NewWithTree).
func (a *App) MsgRunner() interface {
	Unpack([]*anypb.Any) ([]proto.Message, error)
	Run(module.Context, []proto.Message) error
} {
	return msgRunner{a}
}

func (r msgRunner) Unpack(anys []*anypb.Any) ([]proto.Message, error) {
	msgs, _, err := r.a.unpackAnys(anys)
	return msgs, err
}

func (r msgRunner) Run(ctx module.Context, msgs []proto.Message) error {
	// Each message costs what it costs in a transaction of its own.
	ctx.Gas.Charge(uint64(len(msgs))*module.Costs.MsgFlat, "the approved action's messages")
	for i, m := range msgs {
		rt, ok := r.a.router.Route(m.ProtoReflect().Descriptor().FullName())
		if !ok {
			return ErrUnknownMessage.Wrapf("message %d has type %s, which this node does not route", i, m.ProtoReflect().Descriptor().FullName())
		}
		if err := rt.Handle(ctx, m); err != nil {
			return fmt.Errorf("message %d (%s): %w", i, m.ProtoReflect().Descriptor().FullName(), err)
		}
	}
	return nil
}
