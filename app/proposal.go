package app

import (
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/jcredit/jcredit/app/store"
	"github.com/jcredit/jcredit/app/tx"
	"github.com/jcredit/jcredit/x/module"
)

// sequencer orders a proposal's transactions so that none fails for its
// nonce: a signer's transactions must carry consecutive nonces from the
// committed next one. The mempool may hold a signer's transactions with a
// hole (one was dropped because the mempool was full, or never reached this
// node, see admitNonce) or out of order (gossip from two peers). A
// transaction whose nonce is the signer's next goes in at once, followed by
// the signer's held-back successors; one ahead of it waits until the gap is
// filled; one behind it (spent, or a second transaction for a nonce already
// taken) is dropped.
type sequencer struct {
	app  *App
	ctx  module.Context
	next map[common.Address]uint64 // the next nonce each signer's transaction must carry
	bad  map[common.Address]bool   // signers with no account: all dropped
	held map[common.Address]map[uint64]candidate
}

// candidate is a proposal transaction with its gas limit.
type candidate struct {
	raw   []byte
	limit uint64
}

func (a *App) newSequencer(view *store.Snapshot, chainID string, height int64) *sequencer {
	s := &sequencer{app: a, next: map[common.Address]uint64{}, bad: map[common.Address]bool{},
		held: map[common.Address]map[uint64]candidate{}}
	if view != nil {
		s.ctx = module.NewContext(store.NewCache(view), chainID, height, time.Time{})
	}
	return s
}

// offer takes the mempool's next transaction and returns those that can
// now go into the proposal, in order: none, d alone, or d and the signer's
// held-back successors.
func (s *sequencer) offer(d *tx.Decoded, raw []byte, limit uint64) []candidate {
	want, ok := s.expected(d.Signer)
	switch {
	case !ok || d.Body.Nonce < want:
		return nil
	case d.Body.Nonce > want:
		h := s.held[d.Signer]
		if h == nil {
			h = map[uint64]candidate{}
			s.held[d.Signer] = h
		}
		if _, dup := h[d.Body.Nonce]; !dup && len(h) < MaxNonceGap*4 {
			h[d.Body.Nonce] = candidate{raw: raw, limit: limit}
		}
		return nil
	}
	out := []candidate{{raw: raw, limit: limit}}
	n := want + 1
	for h := s.held[d.Signer]; h != nil; n++ {
		c, ok := h[n]
		if !ok {
			break
		}
		delete(h, n)
		out = append(out, c)
	}
	s.next[d.Signer] = n
	return out
}

// expected is the nonce signer's next transaction in the proposal must
// carry; false if the key belongs to no account (FinalizeBlock would
// refuse all its transactions).
func (s *sequencer) expected(signer common.Address) (uint64, bool) {
	if n, ok := s.next[signer]; ok {
		return n, true
	}
	if s.bad[signer] || s.ctx.Store == nil {
		return 0, false
	}
	_, n, err := s.app.auth.NextNonce(s.ctx, signer)
	if err != nil {
		s.bad[signer] = true
		return 0, false
	}
	s.next[signer] = n
	return n, true
}
