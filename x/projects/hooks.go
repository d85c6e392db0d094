package projects

import (
	"encoding/binary"
	"sort"
	"strings"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

// The Keeper implements accounts.AccountHook (asserted in the tests, so
// that this package does not import x/accounts). Key rotation needs nothing
// from it: projects name their operator and members by account number,
// which a rotation keeps; status histories keep the address that signed.

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

// projectsOf lists, once each and in number order, the projects account n
// operates or is a member of.
func (k *Keeper) projectsOf(s module.KVStore, n uint64) []uint64 {
	seqs := append(k.seqsUnder(s, types.OperatorIndexPrefix(n)), k.seqsUnder(s, types.MemberIndexPrefix(n))...)
	sort.Slice(seqs, func(i, j int) bool { return seqs[i] < seqs[j] })
	out := seqs[:0]
	for i, v := range seqs {
		if i == 0 || v != seqs[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// CanClose refuses to close an account that operates, or is a program
// member of, a project still in progress (submitted, validated or
// registered): its reports could not be submitted, or its credits could not
// be issued.
func (k *Keeper) CanClose(ctx module.Context, n uint64) error {
	var open []string
	for _, seq := range k.projectsOf(ctx.Store, n) {
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
		return ErrAccountInUse.Wrapf("%s operates or is a member of %s; terminate or hand them over first", k.accounts.Describe(ctx.Store, n), strings.Join(open, ", "))
	}
	return nil
}
