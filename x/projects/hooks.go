package projects

import (
	"encoding/binary"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

// The Keeper implements accounts.AccountHook (asserted in the tests, so
// that this package does not import x/accounts).

// seqsUnder lists the project numbers of an index prefix whose keys end in
// an 8-byte project number, in key order.
func (k *Keeper) seqsUnder(s module.KVStore, prefix []byte) []uint64 {
	it := k.store(s).Iterator(prefix, module.PrefixEnd(prefix))
	defer it.Close()
	var out []uint64
	for ; it.Valid(); it.Next() {
		key := it.Key()
		out = append(out, binary.BigEndian.Uint64(key[len(key)-8:]))
	}
	return out
}

// projectsOf lists, once each and in number order, the projects addr
// operates or is a member of.
func (k *Keeper) projectsOf(s module.KVStore, addr common.Address) []uint64 {
	seqs := append(k.seqsUnder(s, types.OperatorIndexPrefix(addr)), k.seqsUnder(s, types.MemberIndexPrefix(addr))...)
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	out := seqs[:0]
	for i, v := range seqs {
		if i == 0 || v != seqs[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// MoveAccount re-homes a rotated key: wherever from is a project's operator
// or a program member, to takes its place, so that to submits the reports
// and receives the credits from now on (and, as before, may not review
// those projects). Status histories are not rewritten: they record the key
// that actually signed each step.
func (k *Keeper) MoveAccount(ctx module.Context, from, to common.Address) error {
	for _, seq := range k.projectsOf(ctx.Store, from) {
		p, err := k.Project(ctx.Store, seq)
		if err != nil {
			return err
		}
		if p == nil {
			return module.ErrInternal.Wrapf("index names missing project %s", types.ProjectID(seq))
		}
		if common.HexToAddress(p.Operator) == from {
			p.Operator = to.Hex()
		}
		for _, m := range p.Members {
			if common.HexToAddress(m.Address) == to {
				return ErrInvalidMembers.Wrapf("%s is already a member of project %s; rotate %s to a fresh key", to.Hex(), p.Id, from.Hex())
			}
		}
		for _, m := range p.Members {
			if common.HexToAddress(m.Address) == from {
				m.Address = to.Hex()
			}
		}
		if err := k.setProject(ctx.Store, seq, p); err != nil {
			return err
		}
		ctx.Emit(EventAccountMoved,
			module.Indexed("project", p.Id),
			module.Indexed("from", from.Hex()),
			module.Indexed("to", to.Hex()))
	}
	return nil
}

// CanClose refuses to close an account that operates, or is a program
// member of, a project still in progress (submitted, validated or
// registered): its reports could not be submitted, or its credits could not
// be issued.
func (k *Keeper) CanClose(ctx module.Context, addr common.Address) error {
	var open []string
	for _, seq := range k.projectsOf(ctx.Store, addr) {
		p, err := k.Project(ctx.Store, seq)
		if err != nil {
			return err
		}
		switch p.GetStatus() {
		case projectsv1.ProjectStatus_PROJECT_STATUS_SUBMITTED, projectsv1.ProjectStatus_PROJECT_STATUS_VALIDATED,
			projectsv1.ProjectStatus_PROJECT_STATUS_REGISTERED:
			open = append(open, p.Id+" ("+statusName(p.Status)+")")
		}
	}
	if len(open) > 0 {
		return ErrAccountInUse.Wrapf("%s operates or is a member of %s; terminate or hand them over first", addr.Hex(), strings.Join(open, ", "))
	}
	return nil
}
