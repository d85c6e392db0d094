package projects

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/proto"

	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
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
//
// The project's prefecture (ISO 3166-2:JP, "JP-26", the only form v0.2.0
// accepted) becomes its location: the JIS X 0401 code ("26"), with no
// municipality (v0.2.0 recorded none). Text that names no prefecture
// would leave the location's prefecture empty — unknown — and its batches'
// credits then cannot serve a carbon offset, which must show it offsets
// elsewhere; the fixture of v0.2.0 has none. The params gain the crediting
// years by category (forest 16) unless they list some. Last, the number of
// projects in each status (st/<status>), new in state version 2, is
// counted.

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
		if p.Location == nil {
			p.Location = &creditsv1.Location{PrefectureCode: creditstypes.PrefectureCodeOf(p.Prefecture)}
		}
		p.Prefecture = ""
		st.Set(key, marshal(p))
		return nil
	})
	if err != nil {
		return err
	}
	params, err := k.Params(ctx.Store)
	if err != nil {
		return err
	}
	if len(params.CreditingYearsByCategory) == 0 {
		params.CreditingYearsByCategory = DefaultCreditingYearsByCategory()
		st.Set(types.ParamsKey, marshal(params))
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
	// Projects by status (stats.go), which v0.2.0 did not keep.
	return k.rebuildStats(ctx.Store)
}

// IssuedFrom tells x/credits' v2 migration what it needs about the report a
// state-version-1 batch was issued for: the project's name and location
// (run after this module's migration) and the address that certified it,
// from the report's history.
func (k *Keeper) IssuedFrom(s module.KVStore, reportID string) (creditstypes.IssuanceOrigin, error) {
	_, _, r, err := k.mustReport(s, reportID)
	if err != nil {
		return creditstypes.IssuanceOrigin{}, err
	}
	pseq, _, _ := types.ParseReportID(reportID)
	p, err := k.Project(s, pseq)
	if err != nil || p == nil {
		return creditstypes.IssuanceOrigin{}, fmt.Errorf("report %s has no project: %v", reportID, err)
	}
	out := creditstypes.IssuanceOrigin{ProjectName: p.Name, Location: p.Location}
	for _, h := range r.History {
		if h.Status == projectsv1.ReportStatus_REPORT_STATUS_CERTIFIED {
			out.Certifier = h.Actor
		}
	}
	if out.Certifier == "" {
		return creditstypes.IssuanceOrigin{}, fmt.Errorf("report %s has a batch but no certification in its history", reportID)
	}
	return out, nil
}
