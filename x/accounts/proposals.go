package accounts

import (
	"encoding/binary"
	"sort"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// A proposal is a decision only a quorum of ministries can take: changing
// the validator set, granting or revoking the ministry role, scheduling a
// software upgrade, or replacing the credits use table. The proposer
// approves it by proposing; each further ministry approves it with
// MsgApproveProposal. The approval that brings the count of distinct active
// ministries to the quorum applies the change in that same transaction (a
// validator change reaches CometBFT at the end of the block). A proposal not
// applied by its expires_height expires at the end of that block.

// GetProposal returns proposal id, or nil.
func (k *Keeper) GetProposal(s module.KVStore, id uint64) *accountsv1.Proposal {
	bz := k.store(s).Get(types.ProposalKey(id))
	if bz == nil {
		return nil
	}
	var p accountsv1.Proposal
	if err := proto.Unmarshal(bz, &p); err != nil {
		panic(module.StoreError{Err: err}) // corrupt state: stop rather than diverge
	}
	return &p
}

func (k *Keeper) setProposal(s module.KVStore, p *accountsv1.Proposal) {
	k.store(s).Set(types.ProposalKey(p.Id), marshal(p))
}

// nextProposalID allocates the next proposal id (the first is 1).
func (k *Keeper) nextProposalID(s module.KVStore) uint64 {
	id := uint64(1)
	if bz := k.store(s).Get(types.NextProposalKey); len(bz) == 8 {
		id = binary.BigEndian.Uint64(bz)
	}
	k.store(s).Set(types.NextProposalKey, module.Uint64(id+1))
	return id
}

// PendingProposals returns the proposals still open, soonest to expire first.
func (k *Keeper) PendingProposals(s module.KVStore) []*accountsv1.Proposal {
	var out []*accountsv1.Proposal
	for _, id := range k.pendingIDs(s, nil) {
		out = append(out, k.GetProposal(s, id))
	}
	return out
}

// pendingIDs lists pending proposal ids in expiry order, up to (excluding)
// the expiry-index key end (nil: all).
func (k *Keeper) pendingIDs(s module.KVStore, end []byte) []uint64 {
	if end == nil {
		end = module.PrefixEnd(types.ExpiryPrefix)
	}
	it := k.store(s).Iterator(types.ExpiryPrefix, end)
	defer it.Close()
	var ids []uint64
	for ; it.Valid(); it.Next() {
		key := it.Key()
		ids = append(ids, binary.BigEndian.Uint64(key[len(key)-8:]))
	}
	return ids
}

// quorum is the number of distinct ministry approvals a proposal needs.
func (k *Keeper) quorum(s module.KVStore) int {
	q := int(k.Params(s).MinistryQuorum)
	if q < 1 {
		q = 1
	}
	return q
}

// countApprovals counts the approvals that come from accounts that are
// active ministries now: a ministry revoked or suspended since it approved
// no longer counts. Approvals are kept by account number, so a ministry
// that rotates its key still counts once.
func (k *Keeper) countApprovals(s module.KVStore, p *accountsv1.Proposal) int {
	n := 0
	for _, a := range p.ApprovalAccounts {
		if k.HasRole(s, a, accountsv1.Role_ROLE_MINISTRY) {
			n++
		}
	}
	return n
}

// submit stores a new proposal from the signer (who must already have been
// checked to be a ministry), counts the proposer's approval and applies it at
// once if that alone is the quorum.
func (k *Keeper) submit(ctx module.Context, p *accountsv1.Proposal) (uint64, error) {
	p.Id = k.nextProposalID(ctx.Store)
	p.ProposerAccount = ctx.Account
	p.ApprovalAccounts = []uint64{ctx.Account}
	p.Status = accountsv1.ProposalStatus_PROPOSAL_STATUS_PENDING
	p.SubmittedHeight = ctx.Height
	p.SubmittedTime = timestamppb.New(ctx.Time)
	p.ExpiresHeight = ctx.Height + int64(k.Params(ctx.Store).ProposalTtlBlocks)
	k.setProposal(ctx.Store, p)
	k.store(ctx.Store).Set(types.ExpiryKey(p.ExpiresHeight, p.Id), module.IndexValue)
	ctx.Emit(EventPropose,
		module.Indexed("proposal", utoa(p.Id)),
		module.Indexed("proposer", ctx.Signer.Hex()),
		module.Indexed("proposer_account", utoa(ctx.Account)),
		module.Plain("change", describeChange(p)),
		module.Plain("expires_height", itoa(p.ExpiresHeight)))
	return p.Id, k.applyIfQuorum(ctx, p)
}

// approve adds the signer's approval to a pending proposal and applies it if
// the quorum is reached.
func (k *Keeper) approve(ctx module.Context, p *accountsv1.Proposal) error {
	me := ctx.Account
	i := sort.Search(len(p.ApprovalAccounts), func(j int) bool { return p.ApprovalAccounts[j] >= me })
	if i < len(p.ApprovalAccounts) && p.ApprovalAccounts[i] == me {
		return ErrAlreadyApproved.Wrapf("%s (account %d) approved proposal %d already; %d of %d approvals so far",
			ctx.Signer.Hex(), me, p.Id, k.countApprovals(ctx.Store, p), k.quorum(ctx.Store))
	}
	p.ApprovalAccounts = append(p.ApprovalAccounts, 0)
	copy(p.ApprovalAccounts[i+1:], p.ApprovalAccounts[i:])
	p.ApprovalAccounts[i] = me
	k.setProposal(ctx.Store, p)
	ctx.Emit(EventApprove,
		module.Indexed("proposal", utoa(p.Id)),
		module.Indexed("ministry", ctx.Signer.Hex()),
		module.Indexed("ministry_account", utoa(me)),
		module.Plain("approvals", itoa(int64(k.countApprovals(ctx.Store, p)))),
		module.Plain("quorum", itoa(int64(k.quorum(ctx.Store)))))
	return k.applyIfQuorum(ctx, p)
}

// applyIfQuorum applies p once enough distinct active ministries approve.
// An error (the change no longer fits the state) rejects the transaction
// that reached the quorum; the proposal stays pending.
func (k *Keeper) applyIfQuorum(ctx module.Context, p *accountsv1.Proposal) error {
	if k.countApprovals(ctx.Store, p) < k.quorum(ctx.Store) {
		return nil
	}
	var err error
	switch ch := p.Change.(type) {
	case *accountsv1.Proposal_Validator:
		err = k.applyValidatorChange(ctx, ch.Validator)
	case *accountsv1.Proposal_MinistryRole:
		err = k.applyMinistryRoleChange(ctx, ch.MinistryRole)
	case *accountsv1.Proposal_Upgrade:
		err = k.applyUpgradeChange(ctx, ch.Upgrade)
	case *accountsv1.Proposal_UseTable:
		err = k.applyUseTableChange(ctx, ch.UseTable, p.Id)
	case *accountsv1.Proposal_GxEtsCap:
		err = k.applyGxEtsCapChange(ctx, ch.GxEtsCap)
	default:
		err = module.ErrInternal.Wrapf("proposal %d has no change", p.Id)
	}
	if err != nil {
		return err
	}
	k.store(ctx.Store).Delete(types.ExpiryKey(p.ExpiresHeight, p.Id))
	p.Status = accountsv1.ProposalStatus_PROPOSAL_STATUS_APPLIED
	p.DecidedHeight = ctx.Height
	k.setProposal(ctx.Store, p)
	ctx.Emit(EventApplied,
		module.Indexed("proposal", utoa(p.Id)),
		module.Plain("change", describeChange(p)))
	return nil
}

// expireProposals closes the pending proposals whose last day has passed:
// those with expires_height <= the current height, in index order.
func (k *Keeper) expireProposals(ctx module.Context) {
	end := module.Key(types.ExpiryPrefix, module.Uint64(uint64(ctx.Height)+1))
	for _, id := range k.pendingIDs(ctx.Store, end) {
		p := k.GetProposal(ctx.Store, id)
		k.store(ctx.Store).Delete(types.ExpiryKey(p.ExpiresHeight, p.Id))
		p.Status = accountsv1.ProposalStatus_PROPOSAL_STATUS_EXPIRED
		p.DecidedHeight = ctx.Height
		k.setProposal(ctx.Store, p)
		ctx.Emit(EventExpired,
			module.Indexed("proposal", utoa(p.Id)),
			module.Plain("approvals", itoa(int64(len(p.ApprovalAccounts)))))
	}
}

// checkMinistryRoleChange checks a grant or revocation against state. When
// the proposal is submitted, ch.Address must be a live key; when it is
// applied, it may since have been rotated away: the change is about the
// account, which keeps its number.
func (k *Keeper) checkMinistryRoleChange(s module.KVStore, ch *accountsv1.MinistryRoleChange, applying bool) (*accountsv1.Account, error) {
	addr, _ := types.ParseAddress(ch.Address)
	var acc *accountsv1.Account
	var err error
	if n, ok := k.resolve(s, addr); applying && ok {
		acc, err = k.Account(s, n)
	} else {
		acc, err = k.mustGet(s, addr)
	}
	if err != nil {
		return nil, err
	}
	if acc == nil {
		return nil, ErrUnknownAccount.Wrapf("no account at %s", addr.Hex())
	}
	if acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_CLOSED {
		return nil, ErrAccountClosed.Wrapf("%s", addr.Hex())
	}
	if ch.Grant {
		if acc.Status != accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE {
			return nil, ErrAccountInactive.Wrapf("%s is %s; only an active account can become a ministry", addr.Hex(), acc.Status)
		}
		if hasRole(acc, accountsv1.Role_ROLE_MINISTRY) {
			return nil, ErrInvalidProposal.Wrapf("%s already holds the ministry role", addr.Hex())
		}
		return acc, nil
	}
	if !hasRole(acc, accountsv1.Role_ROLE_MINISTRY) {
		return nil, ErrInvalidProposal.Wrapf("%s does not hold the ministry role", addr.Hex())
	}
	left := k.countActive(s, accountsv1.Role_ROLE_MINISTRY)
	if acc.Status == accountsv1.AccountStatus_ACCOUNT_STATUS_ACTIVE {
		left--
	}
	if q := k.quorum(s); left < q {
		return nil, ErrQuorumUnreachable.Wrapf("revoking %s would leave %d active ministries for a quorum of %d", addr.Hex(), left, q)
	}
	return acc, nil
}

func (k *Keeper) applyMinistryRoleChange(ctx module.Context, ch *accountsv1.MinistryRoleChange) error {
	acc, err := k.checkMinistryRoleChange(ctx.Store, ch, true)
	if err != nil {
		return err
	}
	var roles []accountsv1.Role
	for _, r := range acc.Roles {
		if r != accountsv1.Role_ROLE_MINISTRY {
			roles = append(roles, r)
		}
	}
	if ch.Grant {
		roles = append(roles, accountsv1.Role_ROLE_MINISTRY)
	}
	acc.Roles, _ = normalizeRoles(roles)
	k.Set(ctx.Store, acc)
	grant := "revoke"
	if ch.Grant {
		grant = "grant"
	}
	ctx.Emit(EventMinistryRoleGrant,
		module.Indexed("account", acc.Address),
		module.Indexed("account_number", utoa(acc.Number)),
		module.Plain("action", grant))
	return nil
}

// describeChange is a one-line summary for events and people.
func describeChange(p *accountsv1.Proposal) string {
	switch ch := p.Change.(type) {
	case *accountsv1.Proposal_Validator:
		v := ch.Validator
		s := changeKindName(v.Kind) + " validator " + ValidatorAddress(v.PubKey)
		if v.Kind != accountsv1.ValidatorChangeKind_VALIDATOR_CHANGE_KIND_REMOVE {
			s += " power " + itoa(v.Power)
		}
		if v.Operator != "" {
			s += " operator " + v.Operator
		}
		return s
	case *accountsv1.Proposal_MinistryRole:
		if ch.MinistryRole.Grant {
			return "grant ministry role to " + ch.MinistryRole.Address
		}
		return "revoke ministry role from " + ch.MinistryRole.Address
	case *accountsv1.Proposal_Upgrade:
		if ch.Upgrade.Cancel {
			return "cancel the scheduled upgrade"
		}
		return "upgrade " + ch.Upgrade.GetPlan().GetName() + " at height " + itoa(ch.Upgrade.GetPlan().GetHeight())
	case *accountsv1.Proposal_GxEtsCap:
		return "set the GX-ETS J-Credit cap to " + itoa(int64(ch.GxEtsCap.GetCapPercent())) + "% of verified emissions"
	case *accountsv1.Proposal_UseTable:
		return "replace the credits use table (" + itoa(int64(len(ch.UseTable.GetTable().GetRules()))) + " rows): " + ch.UseTable.GetTable().GetNote()
	}
	return "?"
}
