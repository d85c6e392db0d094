package accounts

import (
	"bytes"
	"encoding/binary"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// exportMembers fills g's members (by account then address: mb/ order),
// policies (by account: po/), pending actions of every status (by id:
// pa/), the next action id and the actions' lifetime as stored (0: the
// default), so that an import rebuilds the same state. The expiry (pe/)
// and per-account (pi/) indexes are rebuilt from the actions.
func (k *Keeper) exportMembers(s module.KVStore, g *accountsv1.GenesisState) error {
	st := k.store(s)
	err := module.Walk(st, types.MemberPrefix, module.PrefixEnd(types.MemberPrefix), migrateChunk, func(_, value []byte) error {
		m := &accountsv1.Member{}
		if err := proto.Unmarshal(value, m); err != nil {
			return module.ErrInternal.Wrapf("member: %v", err)
		}
		g.Members = append(g.Members, m)
		return nil
	})
	if err != nil {
		return err
	}
	err = module.Walk(st, types.PolicyPrefix, module.PrefixEnd(types.PolicyPrefix), migrateChunk, func(_, value []byte) error {
		p := &accountsv1.ThresholdPolicy{}
		if err := proto.Unmarshal(value, p); err != nil {
			return module.ErrInternal.Wrapf("policy: %v", err)
		}
		g.Policies = append(g.Policies, p)
		return nil
	})
	if err != nil {
		return err
	}
	err = module.Walk(st, types.ActionPrefix, module.PrefixEnd(types.ActionPrefix), migrateChunk, func(_, value []byte) error {
		a := &accountsv1.PendingAction{}
		if err := proto.Unmarshal(value, a); err != nil {
			return module.ErrInternal.Wrapf("pending action: %v", err)
		}
		g.PendingActions = append(g.PendingActions, a)
		return nil
	})
	if err != nil {
		return err
	}
	if bz := st.Get(types.NextActionKey); len(bz) == 8 {
		g.NextPendingActionId = binary.BigEndian.Uint64(bz)
	}
	if bz := st.Get(types.ParamsKey); bz != nil {
		p := &accountsv1.Params{}
		if err := proto.Unmarshal(bz, p); err != nil {
			return module.ErrInternal.Wrapf("params: %v", err)
		}
		g.PendingActionTtlBlocks = p.PendingActionTtlBlocks
	}
	return nil
}

// validateMembersGenesis checks a genesis's members, policies and pending
// actions against its accounts (and, in an export, its keys): members by
// account then address, each of a genesis account, with a known role and
// an id from 1 to the account's last_member_id, at most MaxMembers per
// account, none an account's primary key; policies by account, each
// reachable with the account's members; actions by id, each once, of a
// genesis account, below next_pending_action_id.
func validateMembersGenesis(g *accountsv1.GenesisState) error {
	n := uint64(len(g.Accounts))
	primaries := map[common.Address]bool{}
	for _, acc := range g.Accounts {
		primaries[common.HexToAddress(acc.Address)] = true
	}
	keys := map[common.Address]*accountsv1.KeyRef{}
	for _, key := range g.Keys {
		keys[common.HexToAddress(key.Address)] = key.Ref
	}
	byAccount := map[uint64][]*accountsv1.Member{}
	ids := map[[2]uint64]bool{}
	var prevAcc uint64
	var prevAddr []byte
	for i, m := range g.Members {
		addr, err := types.ParseAddress(m.Address)
		if err != nil {
			return ErrInvalidGenesis.Wrapf("members[%d]: %v", i, err)
		}
		m.Address = addr.Hex()
		if m.Account == 0 || m.Account > n {
			return ErrInvalidGenesis.Wrapf("members[%d]: account %d is not among the %d genesis accounts", i, m.Account, n)
		}
		if i > 0 && (prevAcc > m.Account || (prevAcc == m.Account && bytes.Compare(prevAddr, addr.Bytes()) >= 0)) {
			return ErrInvalidGenesis.Wrapf("members[%d]: list members by account then address, each once", i)
		}
		prevAcc, prevAddr = m.Account, addr.Bytes()
		if _, ok := accountsv1.MemberRole_name[int32(m.Role)]; !ok || m.Role == 0 {
			return ErrInvalidGenesis.Wrapf("members[%d]: unknown role %d", i, m.Role)
		}
		if m.Id == 0 || m.Id > g.Accounts[m.Account-1].LastMemberId || ids[[2]uint64{m.Account, m.Id}] {
			return ErrInvalidGenesis.Wrapf("members[%d]: id %d must be unique in its account and from 1 to its last_member_id (%d)", i, m.Id, g.Accounts[m.Account-1].LastMemberId)
		}
		ids[[2]uint64{m.Account, m.Id}] = true
		if primaries[addr] {
			return ErrInvalidGenesis.Wrapf("members[%d]: %s is an account's primary key", i, addr.Hex())
		}
		if len(g.Keys) > 0 {
			if ref := keys[addr]; ref == nil || ref.Account != m.Account || ref.Kind != accountsv1.KeyKind_KEY_KIND_MEMBER {
				return ErrInvalidGenesis.Wrapf("members[%d]: %s needs its key in keys, of kind MEMBER and account %d", i, addr.Hex(), m.Account)
			}
		}
		byAccount[m.Account] = append(byAccount[m.Account], m)
		if len(byAccount[m.Account]) > MaxMembers {
			return ErrInvalidGenesis.Wrapf("account %d has more than %d members", m.Account, MaxMembers)
		}
	}
	for _, key := range g.Keys {
		if key.Ref.GetKind() != accountsv1.KeyKind_KEY_KIND_MEMBER {
			continue
		}
		found := false
		for _, m := range byAccount[key.Ref.Account] {
			found = found || common.HexToAddress(m.Address) == common.HexToAddress(key.Address)
		}
		if !found {
			return ErrInvalidGenesis.Wrapf("key %s is a member key of account %d, which lists no such member", key.Address, key.Ref.Account)
		}
	}
	for i, p := range g.Policies {
		if p.Account == 0 || p.Account > n || (i > 0 && g.Policies[i-1].Account >= p.Account) {
			return ErrInvalidGenesis.Wrapf("policies[%d]: account %d: list policies by account, each of a genesis account, once", i, p.Account)
		}
		if len(p.Rules) == 0 {
			return ErrInvalidGenesis.Wrapf("policies[%d]: no rules (an account without rules has no policy)", i)
		}
		if err := validateSetThresholdPolicy(&accountsv1.MsgSetThresholdPolicy{Rules: p.Rules}); err != nil {
			return ErrInvalidGenesis.Wrapf("policies[%d]: %v", i, err)
		}
		for j := 1; j < len(p.Rules); j++ {
			if p.Rules[j-1].Class >= p.Rules[j].Class {
				return ErrInvalidGenesis.Wrapf("policies[%d]: rules must be sorted by class", i)
			}
		}
		if err := checkReachable(p, byAccount[p.Account]); err != nil {
			return ErrInvalidGenesis.Wrapf("policies[%d]: %v", i, err)
		}
	}
	var last uint64
	for i, a := range g.PendingActions {
		if a.Id <= last {
			return ErrInvalidGenesis.Wrapf("pending_actions[%d]: id %d: list them by id, each once, from 1", i, a.Id)
		}
		last = a.Id
		if a.Account == 0 || a.Account > n {
			return ErrInvalidGenesis.Wrapf("pending_actions[%d]: account %d is not among the %d genesis accounts", i, a.Account, n)
		}
		if _, ok := accountsv1.ActionStatus_name[int32(a.Status)]; !ok || a.Status == 0 {
			return ErrInvalidGenesis.Wrapf("pending_actions[%d]: unknown status %d", i, a.Status)
		}
		if len(a.Messages) == 0 {
			return ErrInvalidGenesis.Wrapf("pending_actions[%d]: no messages", i)
		}
	}
	if g.NextPendingActionId != 0 && g.NextPendingActionId <= last {
		return ErrInvalidGenesis.Wrapf("next_pending_action_id %d must exceed the highest pending action id, %d", g.NextPendingActionId, last)
	}
	return nil
}

// initMembers writes a genesis's members (with a MEMBER KeyRef at nonce 0
// for each when the genesis lists no keys), policies, pending actions with
// their indexes, and the action sequence.
func (k *Keeper) initMembers(s module.KVStore, g *accountsv1.GenesisState) error {
	st := k.store(s)
	for _, m := range g.Members {
		addr := common.HexToAddress(m.Address)
		if len(g.Keys) == 0 {
			if ref := k.KeyRef(s, addr); ref != nil {
				return ErrInvalidGenesis.Wrapf("member %s is already a key of account %d", addr.Hex(), ref.Account)
			}
			k.setKeyRef(s, addr, &accountsv1.KeyRef{Account: m.Account, Kind: accountsv1.KeyKind_KEY_KIND_MEMBER})
		}
		k.setMember(s, m)
	}
	for _, p := range g.Policies {
		st.Set(types.PolicyKey(p.Account), marshal(p))
	}
	var last uint64
	for _, a := range g.PendingActions {
		k.setAction(s, a)
		st.Set(types.AccountActionKey(a.Account, a.Id), module.IndexValue)
		if a.Status == accountsv1.ActionStatus_ACTION_STATUS_PENDING {
			st.Set(types.ActionExpiryKey(a.ExpiresHeight, a.Id), module.IndexValue)
		}
		last = a.Id
	}
	if g.NextPendingActionId != 0 {
		st.Set(types.NextActionKey, module.Uint64(g.NextPendingActionId))
	} else if last != 0 {
		st.Set(types.NextActionKey, module.Uint64(last+1))
	}
	return nil
}
