package credits

import (
	"encoding/hex"
	"fmt"

	"google.golang.org/protobuf/types/known/timestamppb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// validateLock checks MsgLock without state.
func validateLock(m *creditsv1.MsgLock) error {
	if _, ok := parseAddress(m.Agent); !ok {
		return ErrInvalidMsg.Wrapf("agent %q is not a 0x-prefixed address with a valid checksum", m.Agent)
	}
	if m.ExpiresHeight <= 0 {
		return ErrInvalidMsg.Wrapf("give the lock's expiry height (the last height at which the agent may settle)")
	}
	if p := module.TextProblem(m.Reference, MaxReferenceLen, false); p != "" {
		return ErrInvalidMsg.Wrapf("reference %s", p)
	}
	return validateSelection(m.Quantity, m.Filter, m.Serials)
}

// Lock locks active credits the signer holds for a settlement agent (an
// active account with the settlement role) until expires_height, by
// quantity (oldest vintage first, optionally filtered) or by serials. The
// ranges become LOCKED with the lock's id, agent and expiry; the Lock
// record (LK-…) is stored under lk/ and indexed for expiry under lx/.
// Nothing is locked unless everything asked for can be.
func (k *Keeper) Lock(ctx module.Context, m *creditsv1.MsgLock) error {
	agentAddr, _ := parseAddress(m.Agent)
	agent, err := k.accountOf(ctx.Store, agentAddr, "agent")
	if err != nil {
		return ErrNotSettlementAgent.Wrapf("%v", err)
	}
	if agent == ctx.Account {
		return ErrInvalidMsg.Wrapf("agent %s is the holder; name the settlement agent of the trade", agentAddr.Hex())
	}
	if !k.accounts.HasRole(ctx.Store, agent, accountsv1.Role_ROLE_SETTLEMENT) {
		return ErrNotSettlementAgent.Wrapf("%s is not an active account with the settlement role; the secretariat grants that role to exchanges' and providers' settlement accounts", k.accounts.Describe(ctx.Store, agent))
	}
	_, err = k.lockCredits(ctx, agent, m.ExpiresHeight, m.Reference, m.Quantity, m.Filter, m.Serials, false)
	return err
}

// lockCredits locks the signer's credits (by quantity and filter, or by
// serials) for agent until expires: the work of MsgLock and of
// MsgOfferTransfer (transferOffer: the agent is the recipient).
func (k *Keeper) lockCredits(ctx module.Context, agent uint64, expires int64, reference string, quantity uint64, filter *creditsv1.Filter, serials []string, transferOffer bool) (*creditsv1.Lock, error) {
	if expires <= ctx.Height || expires > ctx.Height+MaxLockPeriod {
		return nil, ErrInvalidMsg.Wrapf("expiry height %d must be after this block (%d) and at most %d blocks ahead (%d)", expires, ctx.Height, MaxLockPeriod, ctx.Height+MaxLockPeriod)
	}
	st := store(ctx.Store)
	bc := newBatchCache(st)
	who := k.who(ctx.Store)
	var picks []pick
	var err error
	if quantity > 0 {
		picks, err = selectOldest(st, bc, ctx.Account, who, filter, func(*creditsv1.Batch) error { return nil }, quantity)
		err = k.explainShortfall(ctx.Store, ctx.Account, err, nil)
	} else {
		picks, err = selectSerials(bc, serials)
	}
	if err != nil {
		return nil, err
	}
	if len(picks) > MaxLockBlocks {
		return nil, ErrInvalidMsg.Wrapf("these credits lie in %d serial blocks; one lock holds at most %d: lock them in several locks", len(picks), MaxLockBlocks)
	}
	n := nextSeq(st, types.SeqLock)
	l := &creditsv1.Lock{
		Id:            types.LockID(n),
		HolderAccount: ctx.Account,
		AgentAccount:  agent,
		ExpiresHeight: expires,
		Reference:     reference,
		TransferOffer: transferOffer,
		Status:        creditsv1.LockStatus_LOCK_STATUS_OPEN,
		Height:        ctx.Height,
		Time:          timestamppb.New(ctx.Time),
		TxHash:        hex.EncodeToString(ctx.TxHash),
	}
	agentHex := k.addressOf(ctx.Store, agent)
	var t tally // the statistics: active to locked
	for _, p := range picks {
		err := carve(st, p.b, p.start, p.end, requireHeld(ctx, p.b, ctx.Account, who), func(r *creditsv1.Range) {
			r.Status = creditsv1.RangeStatus_RANGE_STATUS_LOCKED
			r.LockId, r.LockAgentAccount, r.LockExpiresHeight = l.Id, agent, l.ExpiresHeight
		})
		if err != nil {
			return nil, err
		}
		q := p.quantity()
		p.b.Active -= q
		p.b.Locked += q
		moveSupply(&t, p.b, creditsv1.StatMeasure_STAT_MEASURE_ACTIVE, creditsv1.StatMeasure_STAT_MEASURE_LOCKED, q)
		l.Quantity += q
		l.Blocks = append(l.Blocks, p.block())
		ctx.Emit(EventLock,
			module.Indexed("lock_id", l.Id),
			module.Indexed("account", ctx.Signer.Hex()),
			module.Indexed("agent", agentHex),
			module.Indexed("batch", p.b.Id),
			module.Indexed("serials", types.FormatSerial(types.SerialOf(p.b, p.start, p.end))),
			module.Plain("quantity", fmt.Sprint(q)),
			module.Plain("expires_height", fmt.Sprint(l.ExpiresHeight)),
			module.Plain("transfer_offer", fmt.Sprint(transferOffer)))
	}
	bc.save()
	setLock(st, l)
	st.Set(types.LockExpiryKey(l.ExpiresHeight, n), module.IndexValue)
	return l, t.save(st)
}
