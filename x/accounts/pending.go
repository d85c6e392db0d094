package accounts

import (
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// DefaultPendingActionTTLBlocks keeps a pending action open for 17,280
// blocks, a day at 5-second blocks.
const DefaultPendingActionTTLBlocks = 17_280

// MaxExpiriesPerBlock bounds the pending actions EndBlock expires in one
// block; the rest wait for the next block (an expired action can no longer
// be approved whether or not EndBlock has marked it).
const MaxExpiriesPerBlock = 64

// Action returns pending action id (any status), or nil.
func (k *Keeper) Action(s module.KVStore, id uint64) *accountsv1.PendingAction {
	bz := k.store(s).Get(types.ActionKey(id))
	if bz == nil {
		return nil
	}
	a := &accountsv1.PendingAction{}
	if err := proto.Unmarshal(bz, a); err != nil {
		panic(module.StoreError{Err: err}) // corrupt state: stop rather than diverge
	}
	return a
}

func (k *Keeper) setAction(s module.KVStore, a *accountsv1.PendingAction) {
	k.store(s).Set(types.ActionKey(a.Id), marshal(a))
}

// nextActionID allocates the next pending action id (the first is 1).
func (k *Keeper) nextActionID(s module.KVStore) uint64 {
	id := uint64(1)
	if bz := k.store(s).Get(types.NextActionKey); len(bz) == 8 {
		id = binary.BigEndian.Uint64(bz)
	}
	k.store(s).Set(types.NextActionKey, module.Uint64(id+1))
	return id
}

// Hold implements app.Auth. It is called for every admitted transaction
// just before its messages would run. If the signer's account has a
// threshold policy under which msgs need more than one approval, Hold
// stores them as a pending action (the signer's approval counted), emits
// accounts.action_pending with its id, and returns true: the app runs
// none of them, and the transaction succeeds. Otherwise it writes nothing
// and returns false. An account without a policy costs one read.
func (k *Keeper) Hold(ctx module.Context, signer common.Address, msgs []proto.Message, raw []*anypb.Any) (bool, error) {
	p := k.Policy(ctx.Store, ctx.Account)
	if p == nil {
		return false, nil
	}
	need, class := k.requiredFor(p, msgs)
	if need <= 1 {
		return false, nil
	}
	for i, m := range msgs {
		switch m.(type) {
		case *accountsv1.MsgApproveAction, *accountsv1.MsgCancelAction:
			return false, ErrApprovalNotHeld.Wrapf("message %d of %d approves or cancels a pending action, and the transaction's other messages need %d approvals (%s); send it in a transaction of its own",
				i, len(msgs), need, className(class))
		}
	}
	who := uint64(0)
	if m := k.signerMember(ctx.Store, ctx.Account, signer); m != nil {
		who = m.Id
	}
	a := &accountsv1.PendingAction{
		Id:                k.nextActionID(ctx.Store),
		Account:           ctx.Account,
		InitiatorMemberId: who,
		Initiator:         signer.Hex(),
		Messages:          raw,
		Approvals:         []*accountsv1.Approval{{MemberId: who, Address: signer.Hex(), Height: ctx.Height}},
		Required:          need,
		Class:             class,
		Status:            accountsv1.ActionStatus_ACTION_STATUS_PENDING,
		CreatedHeight:     ctx.Height,
		ExpiresHeight:     ctx.Height + int64(k.Params(ctx.Store).PendingActionTtlBlocks),
		TxHash:            ctx.TxHash,
	}
	k.setAction(ctx.Store, a)
	st := k.store(ctx.Store)
	st.Set(types.ActionExpiryKey(a.ExpiresHeight, a.Id), module.IndexValue)
	st.Set(types.AccountActionKey(a.Account, a.Id), module.IndexValue)
	ctx.Emit(EventActionPending,
		module.Indexed("action", utoa(a.Id)),
		module.Indexed("account_number", utoa(a.Account)),
		module.Indexed("initiator", signer.Hex()),
		module.Plain("class", className(class)),
		module.Plain("approvals", "1"),
		module.Plain("required", utoa(uint64(need))),
		module.Plain("expires_height", itoa(a.ExpiresHeight)))
	return true, nil
}

// countApprovalsNow counts a's approvals that come from keys able to
// approve now: the primary key and the account's current representatives
// and approvers, by member id. A member removed (or made a viewer) since
// it approved no longer counts.
func (k *Keeper) countApprovalsNow(s module.KVStore, a *accountsv1.PendingAction) uint32 {
	able := approverIDs(k.Members(s, a.Account))
	n := uint32(0)
	for _, ap := range a.Approvals {
		for _, id := range able {
			if id == ap.MemberId {
				n++
				break
			}
		}
	}
	return n
}

// requiredNow is what the policy in force asks for a's messages.
func (k *Keeper) requiredNow(s module.KVStore, a *accountsv1.PendingAction) (uint32, error) {
	p := k.Policy(s, a.Account)
	if p == nil {
		return 1, nil
	}
	if k.runner == nil {
		return 0, module.ErrInternal.Wrapf("the accounts module has no message runner")
	}
	msgs, err := k.runner.Unpack(a.Messages)
	if err != nil {
		return 0, err
	}
	need, _ := k.requiredFor(p, msgs)
	return need, nil
}

// pendingOf returns action id of the signer's account if it can still be
// decided: pending and not past its expiry height (EndBlock may not have
// marked it yet).
func (k *Keeper) pendingOf(ctx module.Context, id uint64) (*accountsv1.PendingAction, error) {
	a := k.Action(ctx.Store, id)
	if a == nil || a.Account != ctx.Account {
		return nil, ErrUnknownAction.Wrapf("account %s has no pending action %d; list them with jcreditd q accounts pending", k.Describe(ctx.Store, ctx.Account), id)
	}
	if a.Status != accountsv1.ActionStatus_ACTION_STATUS_PENDING {
		return nil, ErrActionNotPending.Wrapf("action %d is %s (at height %d)", id, actionStatusName(a.Status), a.DecidedHeight)
	}
	if ctx.Height > a.ExpiresHeight {
		return nil, ErrActionExpired.Wrapf("action %d could be approved until height %d; this is %d. Initiate it again if it is still wanted", id, a.ExpiresHeight, ctx.Height)
	}
	return a, nil
}

// execute runs a's messages as its account, signed by its initiator's key
// (its current address; the one it had, if it was removed since), then
// marks it executed. An error leaves it pending: the approving
// transaction fails with it, and nothing of it (the approval included) is
// kept.
func (k *Keeper) execute(ctx module.Context, a *accountsv1.PendingAction) error {
	if k.runner == nil {
		return module.ErrInternal.Wrapf("the accounts module has no message runner")
	}
	msgs, err := k.runner.Unpack(a.Messages)
	if err != nil {
		return err
	}
	run := ctx
	run.Account = a.Account
	run.Signer = common.HexToAddress(a.Initiator)
	if a.InitiatorMemberId == 0 {
		if acc, err := k.Account(ctx.Store, a.Account); err == nil && acc != nil {
			run.Signer = common.HexToAddress(acc.Address)
		}
	} else if m := k.memberByID(ctx.Store, a.Account, a.InitiatorMemberId); m != nil {
		run.Signer = common.HexToAddress(m.Address)
	}
	if err := k.runner.Run(run, msgs); err != nil {
		return fmt.Errorf("pending action %d, approved, could not execute (it stays pending until height %d; cancel it or let it expire): %w", a.Id, a.ExpiresHeight, err)
	}
	k.store(ctx.Store).Delete(types.ActionExpiryKey(a.ExpiresHeight, a.Id))
	a.Status = accountsv1.ActionStatus_ACTION_STATUS_EXECUTED
	a.DecidedHeight = ctx.Height
	k.setAction(ctx.Store, a)
	ctx.Emit(EventActionExecuted,
		module.Indexed("action", utoa(a.Id)),
		module.Indexed("account_number", utoa(a.Account)),
		module.Plain("messages", itoa(int64(len(msgs)))))
	return nil
}

// memberByID finds account's member with id (nil if none: removed).
func (k *Keeper) memberByID(s module.KVStore, account, id uint64) *accountsv1.Member {
	for _, m := range k.Members(s, account) {
		if m.Id == id {
			return m
		}
	}
	return nil
}

// addApproval records the signer's approval of a, refusing a second one by
// the same member (whichever of its keys signed).
func addApproval(a *accountsv1.PendingAction, who uint64, signer common.Address, h int64) error {
	i := sort.Search(len(a.Approvals), func(j int) bool { return a.Approvals[j].MemberId >= who })
	if i < len(a.Approvals) && a.Approvals[i].MemberId == who {
		return ErrAlreadyApprovedAction.Wrapf("%s approved action %d at height %d already", signer.Hex(), a.Id, a.Approvals[i].Height)
	}
	a.Approvals = append(a.Approvals, nil)
	copy(a.Approvals[i+1:], a.Approvals[i:])
	a.Approvals[i] = &accountsv1.Approval{MemberId: who, Address: signer.Hex(), Height: h}
	return nil
}

// expireActions marks expired the pending actions whose last height is
// this block or earlier, at most MaxExpiriesPerBlock of them, in index
// order (expiry height, then id); the rest wait for the next block.
func (k *Keeper) expireActions(ctx module.Context) {
	end := module.Key(types.ActionExpiryPrefix, module.Uint64(uint64(ctx.Height)+1))
	st := k.store(ctx.Store)
	it := st.Iterator(types.ActionExpiryPrefix, end)
	var ids []uint64
	for ; it.Valid() && len(ids) < MaxExpiriesPerBlock; it.Next() {
		key := it.Key()
		ids = append(ids, binary.BigEndian.Uint64(key[len(key)-8:]))
	}
	it.Close()
	for _, id := range ids {
		a := k.Action(ctx.Store, id)
		st.Delete(types.ActionExpiryKey(a.ExpiresHeight, a.Id))
		a.Status = accountsv1.ActionStatus_ACTION_STATUS_EXPIRED
		a.DecidedHeight = ctx.Height
		k.setAction(ctx.Store, a)
		ctx.Emit(EventActionExpired,
			module.Indexed("action", utoa(a.Id)),
			module.Indexed("account_number", utoa(a.Account)),
			module.Plain("approvals", itoa(int64(len(a.Approvals)))))
	}
}

func actionStatusName(s accountsv1.ActionStatus) string {
	return enumWord(s.String(), "ACTION_STATUS_")
}
