package projects

import (
	"encoding/binary"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

// Keeper is the projects module. It holds no state of its own: every
// method works on the store in the context it is given.
type Keeper struct {
	accounts AccountKeeper
	credits  CreditIssuer
}

// NewKeeper wires projects to the accounts and credits modules.
func NewKeeper(accounts AccountKeeper, credits CreditIssuer) *Keeper {
	return &Keeper{accounts: accounts, credits: credits}
}

func (k *Keeper) store(s module.KVStore) module.KVStore { return module.Prefix(s, StorePrefix) }

// marshal encodes state deterministically.
func marshal(m proto.Message) []byte {
	bz, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		panic(err) // only on a malformed message built by our own code
	}
	return bz
}

func get[M proto.Message](s module.KVStore, key []byte, m M, what string) (M, bool, error) {
	bz := s.Get(key)
	if bz == nil {
		return m, false, nil
	}
	if err := proto.Unmarshal(bz, m); err != nil {
		return m, false, module.ErrInternal.Wrapf("%s: %v", what, err)
	}
	return m, true, nil
}

// Params returns the stored params (the defaults if genesis set none).
func (k *Keeper) Params(s module.KVStore) (*projectsv1.Params, error) {
	p, ok, err := get(k.store(s), types.ParamsKey, &projectsv1.Params{}, "params")
	if err != nil {
		return nil, err
	}
	if !ok {
		return DefaultParams(), nil
	}
	return p, nil
}

// Methodology returns the methodology with code, or nil.
func (k *Keeper) Methodology(s module.KVStore, code string) (*projectsv1.Methodology, error) {
	m, ok, err := get(k.store(s), types.MethodologyKey(code), &projectsv1.Methodology{}, "methodology "+code)
	if !ok || err != nil {
		return nil, err
	}
	return m, nil
}

func (k *Keeper) setMethodology(s module.KVStore, m *projectsv1.Methodology) {
	k.store(s).Set(types.MethodologyKey(m.Code), marshal(m))
}

// Project returns project number seq, or nil.
func (k *Keeper) Project(s module.KVStore, seq uint64) (*projectsv1.Project, error) {
	p, ok, err := get(k.store(s), types.ProjectKey(seq), &projectsv1.Project{}, "project "+types.ProjectID(seq))
	if !ok || err != nil {
		return nil, err
	}
	return p, nil
}

// mustProject loads a project by id for a handler: unknown ids are an
// actionable error.
func (k *Keeper) mustProject(s module.KVStore, id string) (uint64, *projectsv1.Project, error) {
	seq, err := types.ParseProjectID(id)
	if err != nil {
		return 0, nil, err
	}
	p, err := k.Project(s, seq)
	if err != nil {
		return 0, nil, err
	}
	if p == nil {
		return 0, nil, ErrUnknownProject.Wrapf("no project %s (check the id with `jcreditd q projects project`)", id)
	}
	return seq, p, nil
}

// setProject writes a project and keeps its index entries in step with it:
// entries of the stored version that no longer hold are deleted.
func (k *Keeper) setProject(s module.KVStore, seq uint64, p *projectsv1.Project) error {
	st := k.store(s)
	old, err := k.Project(s, seq)
	if err != nil {
		return err
	}
	if old != nil {
		for _, key := range types.IndexKeys(seq, old) {
			st.Delete(key)
		}
	}
	for _, key := range types.IndexKeys(seq, p) {
		st.Set(key, module.IndexValue)
	}
	st.Set(types.ProjectKey(seq), marshal(p))
	countStatus(st, old.GetStatus(), p.Status) // stats.go
	return nil
}

// nextProjectSeq allocates the next project number (from 1).
func (k *Keeper) nextProjectSeq(s module.KVStore) uint64 {
	st := k.store(s)
	var n uint64
	if bz := st.Get(types.ProjectSeqKey); len(bz) == 8 {
		n = binary.BigEndian.Uint64(bz)
	}
	n++
	st.Set(types.ProjectSeqKey, module.Uint64(n))
	return n
}

// Report returns report rseq of project pseq, or nil.
func (k *Keeper) Report(s module.KVStore, pseq uint64, rseq uint32) (*projectsv1.MonitoringReport, error) {
	r, ok, err := get(k.store(s), types.ReportKey(pseq, rseq), &projectsv1.MonitoringReport{}, "report "+types.ReportID(pseq, rseq))
	if !ok || err != nil {
		return nil, err
	}
	return r, nil
}

func (k *Keeper) mustReport(s module.KVStore, id string) (uint64, uint32, *projectsv1.MonitoringReport, error) {
	pseq, rseq, err := types.ParseReportID(id)
	if err != nil {
		return 0, 0, nil, err
	}
	r, err := k.Report(s, pseq, rseq)
	if err != nil {
		return 0, 0, nil, err
	}
	if r == nil {
		return 0, 0, nil, ErrUnknownReport.Wrapf("no monitoring report %s", id)
	}
	return pseq, rseq, r, nil
}

func (k *Keeper) setReport(s module.KVStore, pseq uint64, rseq uint32, r *projectsv1.MonitoringReport) {
	k.store(s).Set(types.ReportKey(pseq, rseq), marshal(r))
}

// Reports returns the reports of project pseq in submission order.
func (k *Keeper) Reports(s module.KVStore, pseq uint64) ([]*projectsv1.MonitoringReport, error) {
	st := k.store(s)
	p := types.ReportsOfProjectPrefix(pseq)
	it := st.Iterator(p, module.PrefixEnd(p))
	defer it.Close()
	var out []*projectsv1.MonitoringReport
	for ; it.Valid(); it.Next() {
		r := &projectsv1.MonitoringReport{}
		if err := proto.Unmarshal(it.Value(), r); err != nil {
			return nil, module.ErrInternal.Wrapf("report under %x: %v", it.Key(), err)
		}
		out = append(out, r)
	}
	return out, nil
}

// requireRole returns ErrUnauthorized unless the signer holds role.
func (k *Keeper) requireRole(ctx module.Context, role accountsv1.Role, action string) error {
	if !k.accounts.HasRole(ctx.Store, ctx.Account, role) {
		return ErrUnauthorized.Wrapf("%s requires the %s role; %s does not hold it", action, role, ctx.Signer.Hex())
	}
	return nil
}

// requireIndependent refuses a review body that operates the project or is
// one of its members: it would be reviewing its own claim.
func requireIndependent(ctx module.Context, p *projectsv1.Project, action string) error {
	if p.OperatorAccount == ctx.Account {
		return ErrNotIndependent.Wrapf("%s operates project %s and so cannot %s it; ask another review body", ctx.Signer.Hex(), p.Id, action)
	}
	for _, m := range p.Members {
		if m.Account == ctx.Account {
			return ErrNotIndependent.Wrapf("%s is member %q of project %s and so cannot %s it; ask another review body", ctx.Signer.Hex(), m.Name, p.Id, action)
		}
	}
	return nil
}

func (k *Keeper) moveProject(ctx module.Context, seq uint64, p *projectsv1.Project, to projectsv1.ProjectStatus, reason string) error {
	p.Status = to
	p.History = append(p.History, &projectsv1.ProjectStatusChange{
		Status: to, Actor: ctx.Signer.Hex(), Height: ctx.Height, Time: timestamppb.New(ctx.Time), Reason: reason,
	})
	if err := k.setProject(ctx.Store, seq, p); err != nil {
		return err
	}
	attrs := []module.Attr{
		module.Indexed("project", p.Id),
		module.Indexed("status", statusName(to)),
		module.Indexed("actor", ctx.Signer.Hex()),
	}
	if reason != "" {
		attrs = append(attrs, module.Plain("reason", reason))
	}
	ctx.Emit(EventProjectStatus, attrs...)
	return nil
}

func (k *Keeper) moveReport(ctx module.Context, pseq uint64, rseq uint32, r *projectsv1.MonitoringReport, to projectsv1.ReportStatus, reason string) {
	r.Status = to
	r.History = append(r.History, &projectsv1.ReportStatusChange{
		Status: to, Actor: ctx.Signer.Hex(), Height: ctx.Height, Time: timestamppb.New(ctx.Time), Reason: reason,
	})
	k.setReport(ctx.Store, pseq, rseq, r)
	attrs := []module.Attr{
		module.Indexed("report", r.Id),
		module.Indexed("project", r.ProjectId),
		module.Indexed("status", reportStatusName(to)),
		module.Indexed("actor", ctx.Signer.Hex()),
	}
	if reason != "" {
		attrs = append(attrs, module.Plain("reason", reason))
	}
	ctx.Emit(EventReportStatus, attrs...)
}
