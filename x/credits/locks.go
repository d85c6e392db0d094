package credits

import (
	"encoding/hex"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	"github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
)

// Settlement locks (escrow), issue 14. A holder locks credits for a
// settlement agent until a height (msg_lock.go); the agent settles them to
// a buyer (msg_settle.go) or releases them (msg_release.go); otherwise
// they return to the holder when the lock expires. A locked range keeps its
// owner (the holder) and carries the lock's id, agent and expiry, so that
// the range's proof shows the lock.
//
// Expiry is processed in EndBlock, not lazily on touch: a lock expiring at
// height E is due at the end of block E, found through the index
// lx/<E><lock#>, and at most MaxExpiriesPerBlock locks are expired per
// block, in key order (height, then lock number); the rest stay in the
// index and are expired at the end of the next blocks, first. A due lock
// not yet expired cannot be settled (the agent's deadline is E) but can
// still be released.

// Bounds on locks.
const (
	// MaxLockPeriod is how far ahead of the locking block a lock may
	// expire (about 23 days at one block a second: a T+5 settlement with
	// room to spare).
	MaxLockPeriod = 2_000_000
	// MaxLockBlocks bounds the serial blocks one lock holds, so that
	// settling, releasing or expiring a lock is bounded work.
	MaxLockBlocks = 100
	// MaxExpiriesPerBlock bounds the locks EndBlock expires in one block.
	MaxExpiriesPerBlock = 50
	// MaxReferenceLen bounds a lock's trade reference.
	MaxReferenceLen = 128
)

func getLock(st module.KVStore, id string) (*creditsv1.Lock, error) {
	bz := st.Get(types.LockKey(id))
	if bz == nil {
		return nil, nil
	}
	l := &creditsv1.Lock{}
	if err := proto.Unmarshal(bz, l); err != nil {
		return nil, module.ErrInternal.Wrapf("lock %s: %v", id, err)
	}
	return l, nil
}

func setLock(st module.KVStore, l *creditsv1.Lock) { st.Set(types.LockKey(l.Id), marshal(l)) }

// openLock reads the lock id a settle or release names and checks that it
// is open and that the signer is its agent.
func (k *Keeper) openLock(ctx module.Context, id string) (*creditsv1.Lock, error) {
	l, err := getLock(store(ctx.Store), id)
	if err != nil {
		return nil, err
	}
	if l == nil {
		return nil, ErrUnknownLock.Wrapf("no lock %s", id)
	}
	if l.Status != creditsv1.LockStatus_LOCK_STATUS_OPEN {
		return nil, ErrLockClosed.Wrapf("lock %s is %s since height %d; its credits are no longer locked", l.Id, lockStatusName(l.Status), l.ClosedHeight)
	}
	if l.TransferOffer {
		return nil, ErrTransferOffer.Wrapf("lock %s offers its credits to %s: accept it (tx credits accept) or, as its sender, cancel it (tx credits cancel-offer)", l.Id, k.accounts.Describe(ctx.Store, l.AgentAccount))
	}
	if l.AgentAccount != ctx.Account {
		return nil, ErrNotAgent.Wrapf("lock %s is for settlement agent %s, not %s", l.Id, k.accounts.Describe(ctx.Store, l.AgentAccount), k.accounts.Describe(ctx.Store, ctx.Account))
	}
	return l, nil
}

// openTransfer reads the two-step transfer a MsgAcceptTransfer or
// MsgCancelTransfer names and checks that it is one and still open.
func openTransfer(st module.KVStore, id string) (*creditsv1.Lock, error) {
	l, err := getLock(st, id)
	if err != nil {
		return nil, err
	}
	if l == nil {
		return nil, ErrUnknownLock.Wrapf("no lock %s", id)
	}
	if !l.TransferOffer {
		return nil, ErrNotTransfer.Wrapf("lock %s is a settlement lock for an agent; its agent settles or releases it", l.Id)
	}
	if l.Status != creditsv1.LockStatus_LOCK_STATUS_OPEN {
		return nil, ErrLockClosed.Wrapf("transfer %s is %s since height %d", l.Id, transferStatusName(l.Status), l.ClosedHeight)
	}
	return l, nil
}

// transferStatusName is a two-step transfer's status as people say it.
func transferStatusName(s creditsv1.LockStatus) string {
	switch s {
	case creditsv1.LockStatus_LOCK_STATUS_SETTLED:
		return "accepted"
	case creditsv1.LockStatus_LOCK_STATUS_RELEASED:
		return "cancelled by its sender"
	}
	return lockStatusName(s)
}

// lockStatusName is a lock status as people say it ("settled").
func lockStatusName(s creditsv1.LockStatus) string {
	switch s {
	case creditsv1.LockStatus_LOCK_STATUS_OPEN:
		return "open"
	case creditsv1.LockStatus_LOCK_STATUS_SETTLED:
		return "settled"
	case creditsv1.LockStatus_LOCK_STATUS_RELEASED:
		return "released"
	case creditsv1.LockStatus_LOCK_STATUS_EXPIRED:
		return "expired"
	case creditsv1.LockStatus_LOCK_STATUS_CANCELLED:
		return "cancelled"
	}
	return s.String()
}

// closeLock moves every credit of open lock l out of the lock, to owner
// (the buyer when settled, else the holder), as active credits, and
// records how the lock ended. The lock's blocks are exactly its ranges:
// locked ranges never merge, so each block is one or more ranges all
// carrying l's id.
// bc is the operation's batch cache (the batches' counters change).
func (k *Keeper) closeLock(ctx module.Context, bc *batchCache, l *creditsv1.Lock, status creditsv1.LockStatus, owner uint64) error {
	st := store(ctx.Store)
	outcome := lockStatusName(status)
	holder, agent := k.addressOf(ctx.Store, l.HolderAccount), k.addressOf(ctx.Store, l.AgentAccount)
	var t tally // the statistics: locked back to active
	for _, blk := range l.Blocks {
		n, err := types.ParseBatchID(blk.BatchId)
		if err != nil {
			return module.ErrInternal.Wrapf("lock %s names batch %q", l.Id, blk.BatchId)
		}
		b, err := bc.get(n)
		if err != nil {
			return err
		}
		check := func(r *creditsv1.Range) error {
			if r.Status != creditsv1.RangeStatus_RANGE_STATUS_LOCKED || r.LockId != l.Id {
				return module.ErrInternal.Wrapf("lock %s: range %s is %s (lock %q)", l.Id, types.FormatSerial(types.SerialOf(b, r.Start, r.End)), r.Status, r.LockId)
			}
			return nil
		}
		err = carve(st, b, blk.Start, blk.End, check, func(r *creditsv1.Range) {
			r.Status, r.OwnerAccount = creditsv1.RangeStatus_RANGE_STATUS_ACTIVE, owner
			r.LockId, r.LockAgentAccount, r.LockExpiresHeight = "", 0, 0
		})
		if err != nil {
			return err
		}
		q := blk.End - blk.Start + 1
		b.Locked -= q
		b.Active += q
		moveSupply(&t, b, creditsv1.StatMeasure_STAT_MEASURE_LOCKED, creditsv1.StatMeasure_STAT_MEASURE_ACTIVE, q)
		attrs := []module.Attr{
			module.Indexed("lock_id", l.Id),
			module.Indexed("account", holder),
			module.Indexed("agent", agent),
			module.Indexed("batch", b.Id),
			module.Indexed("serials", blk.Serials),
			module.Indexed("outcome", outcome),
			module.Plain("quantity", fmt.Sprint(q)),
		}
		if status == creditsv1.LockStatus_LOCK_STATUS_SETTLED {
			attrs = append(attrs, module.Indexed("buyer", k.addressOf(ctx.Store, owner)))
		}
		ctx.Emit(EventUnlock, attrs...)
	}
	bc.save()
	l.Status = status
	l.ClosedHeight = ctx.Height
	l.ClosedTxHash = hex.EncodeToString(ctx.TxHash)
	if status == creditsv1.LockStatus_LOCK_STATUS_SETTLED {
		l.BuyerAccount = owner
	}
	setLock(st, l)
	n, _ := types.ParseLockID(l.Id)
	st.Delete(types.LockExpiryKey(l.ExpiresHeight, n))
	return t.save(st)
}

// EndBlock implements module.EndBlocker: it returns the credits of the
// locks due (expiry height at or before this block's) to their holders, at
// most MaxExpiriesPerBlock of them, oldest expiry first; the rest wait for
// the next block.
func (k *Keeper) EndBlock(ctx module.Context) ([]abci.ValidatorUpdate, error) {
	st := store(ctx.Store)
	it := st.Iterator(types.LockExpiryPrefix, types.LockExpiryUpTo(ctx.Height))
	var due []uint64
	for ; it.Valid() && len(due) < MaxExpiriesPerBlock; it.Next() {
		_, n, ok := types.ParseLockExpiryKey(it.Key())
		if !ok {
			it.Close()
			return nil, module.ErrInternal.Wrapf("malformed lock expiry key %x", it.Key())
		}
		due = append(due, n)
	}
	it.Close()
	for _, n := range due {
		l, err := getLock(st, types.LockID(n))
		if err != nil {
			return nil, err
		}
		if l == nil || l.Status != creditsv1.LockStatus_LOCK_STATUS_OPEN {
			return nil, module.ErrInternal.Wrapf("lock expiry index names lock %s, which is not open", types.LockID(n))
		}
		if err := k.closeLock(ctx, newBatchCache(st), l, creditsv1.LockStatus_LOCK_STATUS_EXPIRED, l.HolderAccount); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

var _ module.EndBlocker = (*Keeper)(nil)

// releaseLocksFor releases, for a ministry cancelling the serials of
// picks, every open lock holding any of them: the lock's credits return to
// the holder (the cancellation then cancels those it names) and the lock
// is recorded as CANCELLED by cancellation id. It returns the locks
// released, in the order first met.
func (k *Keeper) releaseLocksFor(ctx module.Context, bc *batchCache, picks []pick, cancellationID string) ([]string, error) {
	st := store(ctx.Store)
	var ids []string
	for _, p := range picks {
		rs, err := rangesAround(st, p.b, p.start, p.end)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if r.Status != creditsv1.RangeStatus_RANGE_STATUS_LOCKED {
				continue
			}
			seen := false
			for _, id := range ids {
				seen = seen || id == r.LockId
			}
			if !seen {
				ids = append(ids, r.LockId)
			}
		}
	}
	for _, id := range ids {
		l, err := getLock(st, id)
		if err != nil {
			return nil, err
		}
		if l == nil || l.Status != creditsv1.LockStatus_LOCK_STATUS_OPEN {
			return nil, module.ErrInternal.Wrapf("a locked range names lock %s, which is not open", id)
		}
		l.CancellationId = cancellationID
		if err := k.closeLock(ctx, bc, l, creditsv1.LockStatus_LOCK_STATUS_CANCELLED, l.HolderAccount); err != nil {
			return nil, err
		}
	}
	return ids, nil
}
