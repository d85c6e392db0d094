package accounts

import (
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"
	"strings"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	"github.com/jcredit/jcredit/x/accounts/types"
	"github.com/jcredit/jcredit/x/module"
)

// MaxMembers bounds an account's member keys, so that counting approvals
// and checking a policy walk at most this many records.
const MaxMembers = 16

// MaxMemberLabel bounds a member's label, in characters.
const MaxMemberLabel = 64

// Member returns the member record of addr in account, or nil.
func (k *Keeper) Member(s module.KVStore, account uint64, addr common.Address) *accountsv1.Member {
	bz := k.store(s).Get(types.MemberKey(account, addr))
	if bz == nil {
		return nil
	}
	m := &accountsv1.Member{}
	if err := proto.Unmarshal(bz, m); err != nil {
		panic(module.StoreError{Err: err}) // corrupt state: stop rather than diverge
	}
	return m
}

func (k *Keeper) setMember(s module.KVStore, m *accountsv1.Member) {
	k.store(s).Set(types.MemberKey(m.Account, common.HexToAddress(m.Address)), marshal(m))
}

// Members lists account's member keys in key (address) order: at most
// MaxMembers records.
func (k *Keeper) Members(s module.KVStore, account uint64) []*accountsv1.Member {
	p := types.MemberPrefixOf(account)
	it := k.store(s).Iterator(p, module.PrefixEnd(p))
	defer it.Close()
	var out []*accountsv1.Member
	for ; it.Valid(); it.Next() {
		m := &accountsv1.Member{}
		if err := proto.Unmarshal(it.Value(), m); err != nil {
			panic(module.StoreError{Err: err})
		}
		out = append(out, m)
	}
	return out
}

// canApprove reports whether a member role may approve pending actions.
func canApprove(r accountsv1.MemberRole) bool {
	return r == accountsv1.MemberRole_MEMBER_ROLE_REPRESENTATIVE || r == accountsv1.MemberRole_MEMBER_ROLE_APPROVER
}

// approverIDs are the ids of the keys that may approve account's pending
// actions now: 0 (the primary key, always) and every representative and
// approver member, in address order.
func approverIDs(members []*accountsv1.Member) []uint64 {
	ids := []uint64{0}
	for _, m := range members {
		if canApprove(m.Role) {
			ids = append(ids, m.Id)
		}
	}
	return ids
}

// Policy returns account's threshold policy, or nil (one signature is
// enough for everything).
func (k *Keeper) Policy(s module.KVStore, account uint64) *accountsv1.ThresholdPolicy {
	bz := k.store(s).Get(types.PolicyKey(account))
	if bz == nil {
		return nil
	}
	p := &accountsv1.ThresholdPolicy{}
	if err := proto.Unmarshal(bz, p); err != nil {
		panic(module.StoreError{Err: err})
	}
	return p
}

// required is how many approvals a transaction moving quantity credits of
// class needs under p (1 without a policy or a rule for the class).
func required(p *accountsv1.ThresholdPolicy, class accountsv1.ActionClass, quantity uint64) uint32 {
	if p == nil || class == accountsv1.ActionClass_ACTION_CLASS_UNSPECIFIED {
		return 1
	}
	for _, r := range p.Rules {
		if r.Class != class {
			continue
		}
		if class == accountsv1.ActionClass_ACTION_CLASS_TRANSFER && quantity <= r.AboveQuantity {
			return 1
		}
		return r.Approvals
	}
	return 1
}

// maxRequired is the most approvals any rule of p asks (1 without one).
func maxRequired(p *accountsv1.ThresholdPolicy) uint32 {
	most := uint32(1)
	for _, r := range p.GetRules() {
		if r.Approvals > most {
			most = r.Approvals
		}
	}
	return most
}

// checkReachable refuses a policy and a member set under which some class
// would need more approvals than there are keys able to give them.
func checkReachable(p *accountsv1.ThresholdPolicy, members []*accountsv1.Member) error {
	able := len(approverIDs(members))
	for _, r := range p.GetRules() {
		if int(r.Approvals) > able {
			return ErrThresholdUnreachable.Wrapf("%s needs %d approvals and the account has %d keys able to approve (the primary key, representatives, approvers); add members first, or lower the threshold",
				className(r.Class), r.Approvals, able)
		}
	}
	return nil
}

// classify returns the class of msg: this module's own messages first.
func (k *Keeper) classify(msg proto.Message) (accountsv1.ActionClass, uint64) {
	switch msg.(type) {
	case *accountsv1.MsgUpdateMembers, *accountsv1.MsgSetThresholdPolicy, *accountsv1.MsgRotateKey,
		*accountsv1.MsgGrantDelegation, *accountsv1.MsgUpdateTrustedRecipients:
		return accountsv1.ActionClass_ACTION_CLASS_KEYS_AND_MEMBERS, 0
	}
	for _, c := range k.classifiers {
		if class, q := c.ActionClass(msg); class != accountsv1.ActionClass_ACTION_CLASS_UNSPECIFIED {
			return class, q
		}
	}
	return accountsv1.ActionClass_ACTION_CLASS_UNSPECIFIED, 0
}

// requiredFor is how many approvals msgs need together under p, and the
// class that asks the most: each class's quantity is the transactions'
// total, so that splitting a transfer into several messages of one
// transaction does not pass under the limit.
func (k *Keeper) requiredFor(p *accountsv1.ThresholdPolicy, msgs []proto.Message) (uint32, accountsv1.ActionClass) {
	if p == nil {
		return 1, accountsv1.ActionClass_ACTION_CLASS_UNSPECIFIED
	}
	var totals [5]uint64
	var seen [5]bool
	for _, m := range msgs {
		c, q := k.classify(m)
		if int(c) < len(totals) {
			seen[c] = true
			if totals[c]+q < totals[c] {
				totals[c] = ^uint64(0) // saturate: still "above"
			} else {
				totals[c] += q
			}
		}
	}
	most, which := uint32(1), accountsv1.ActionClass_ACTION_CLASS_UNSPECIFIED
	for c := range totals {
		if !seen[c] {
			continue
		}
		if r := required(p, accountsv1.ActionClass(c), totals[c]); r > most {
			most, which = r, accountsv1.ActionClass(c)
		}
	}
	return most, which
}

// className is how people write a class: "transfer", "keys-and-members".
func className(c accountsv1.ActionClass) string { return enumWord(c.String(), "ACTION_CLASS_") }

// ParseActionClass accepts "transfer", "TRANSFER", "keys-and-members" or
// "ACTION_CLASS_TRANSFER".
func ParseActionClass(s string) (accountsv1.ActionClass, error) {
	for v := range accountsv1.ActionClass_name {
		c := accountsv1.ActionClass(v)
		if c != 0 && (s == className(c) || s == c.String() || s == c.String()[len("ACTION_CLASS_"):]) {
			return c, nil
		}
	}
	return 0, ErrInvalidPolicy.Wrapf("unknown action class %q; classes are transfer, retire, cancel, keys-and-members", s)
}

func memberRoleName(r accountsv1.MemberRole) string { return enumWord(r.String(), "MEMBER_ROLE_") }

// enumWord is an enum value's name as people write it: without its
// prefix, lower case, words joined by '-'.
func enumWord(name, prefix string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(name, prefix)), "_", "-")
}

// ParseMemberRole accepts "representative", "APPROVER" or
// "MEMBER_ROLE_VIEWER".
func ParseMemberRole(s string) (accountsv1.MemberRole, error) {
	for v := range accountsv1.MemberRole_name {
		r := accountsv1.MemberRole(v)
		if r != 0 && (s == memberRoleName(r) || s == r.String() || s == r.String()[len("MEMBER_ROLE_"):]) {
			return r, nil
		}
	}
	return 0, ErrInvalidMembers.Wrapf("unknown member role %q; roles are representative, approver, viewer", s)
}

// signerMember returns the member record of the transaction's signer, or
// nil when it signs with the primary key (ref kind PRIMARY).
func (k *Keeper) signerMember(s module.KVStore, account uint64, signer common.Address) *accountsv1.Member {
	ref := k.KeyRef(s, signer)
	if ref == nil || ref.Kind != accountsv1.KeyKind_KEY_KIND_MEMBER {
		return nil
	}
	return k.Member(s, account, signer)
}
