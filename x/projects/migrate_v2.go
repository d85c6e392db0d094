package projects

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

// The v2 migration of this module (upgrade "v2", state version 1 -> 2; the
// app runs it after x/accounts', which numbered the accounts).
//
// State version 1 (release v0.2.0) named accounts by address:
//
//	p/<seq>                          -> Project{operator, members[].address}
//	o/<20B operator address><seq>    -> empty
//	b/<20B member address><seq>      -> empty
//	s/<status><seq>, m/<code>0x00<seq> -> empty
//
// For every project, in number order: operator_account and each member's
// account from their addresses (resolve maps an address — a live key or one
// rotated away — to its account), the v1 fields cleared; the v1 operator and
// member index entries deleted and the v2 ones (o/<8B account#><seq>,
// b/<8B account#><seq>) written; the status and methodology entries get a
// non-empty value. Status histories and methodologies keep the addresses
// that signed, as history. Reports do not name accounts.

// migrateChunk bounds how many entries a migration walk reads at a time.
const migrateChunk = 1024

// MigrateV2 rewrites this module's state from state version 1 to 2.
func (k *Keeper) MigrateV2(ctx module.Context, resolve func(module.KVStore, common.Address) (uint64, bool)) error {
	st := k.store(ctx.Store)
	number := func(address, what string) (uint64, common.Address, error) {
		addr := common.HexToAddress(address)
		n, ok := resolve(ctx.Store, addr)
		if !ok || !common.IsHexAddress(address) {
			return 0, addr, fmt.Errorf("projects: %s: %q is no account's key", what, address)
		}
		return n, addr, nil
	}
	err := module.Walk(st, types.ProjectPrefix, module.PrefixEnd(types.ProjectPrefix), migrateChunk, func(key, value []byte) error {
		if len(key) != len(types.ProjectPrefix)+8 {
			return fmt.Errorf("projects: malformed project key %x", key)
		}
		seq := types.ParseProjectKey(key)
		p := &projectsv1.Project{}
		if err := proto.Unmarshal(value, p); err != nil {
			return fmt.Errorf("projects: project %d: %w", seq, err)
		}
		s := module.Uint64(seq)
		op, opAddr, err := number(p.Operator, "operator of "+p.Id)
		if err != nil {
			return err
		}
		st.Delete(module.Key(types.ByOperatorPrefix, opAddr.Bytes(), s))
		p.OperatorAccount, p.Operator = op, ""
		for i, m := range p.Members {
			n, addr, err := number(m.Address, fmt.Sprintf("member %d of %s", i, p.Id))
			if err != nil {
				return err
			}
			st.Delete(module.Key(types.ByMemberPrefix, addr.Bytes(), s))
			m.Account, m.Address = n, ""
		}
		for _, ik := range types.IndexKeys(seq, p) {
			st.Set(ik, module.IndexValue)
		}
		st.Set(key, marshal(p))
		return nil
	})
	if err != nil {
		return err
	}
	// v1 operator and member entries no project named any more (none in a
	// consistent state) must not survive as unreadable keys.
	v1IndexKeyLen := 2 + common.AddressLength + 8
	for _, prefix := range [][]byte{types.ByOperatorPrefix, types.ByMemberPrefix} {
		err := module.Walk(st, prefix, module.PrefixEnd(prefix), migrateChunk, func(key, _ []byte) error {
			if len(key) == v1IndexKeyLen {
				st.Delete(key)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
