package upgrade

import (
	"encoding/binary"
	"encoding/json"
	"regexp"
	"strconv"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	upgradev1 "github.com/jcredit/jcredit/proto/jcredit/upgrade/v1"
	"github.com/jcredit/jcredit/x/module"
)

// Keeper reads and writes upgrade plans and the state version. It holds no
// state of its own.
type Keeper struct{}

// NewKeeper returns the upgrade keeper.
func NewKeeper() *Keeper { return &Keeper{} }

func store(s module.KVStore) module.KVStore { return module.Prefix(s, StorePrefix) }

func marshal(m proto.Message) []byte {
	bz, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		panic(err) // only on a malformed message built by our own code
	}
	return bz
}

// FirstVersion is the state version of a chain that has never upgraded
// (the first release's layout).
const FirstVersion uint64 = 1

// MaxInfoBytes bounds a plan's info.
const MaxInfoBytes = 1024

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.\-]{0,31}$`)

// ValidatePlan checks a plan without state.
func ValidatePlan(p *upgradev1.Plan) error {
	if p == nil {
		return ErrInvalidPlan.Wrapf("the proposal carries no plan")
	}
	if !nameRE.MatchString(p.Name) {
		return ErrInvalidPlan.Wrapf("name %q must be 1 to 32 characters of a-z, 0-9, '.' and '-', starting with a letter or digit (e.g. v2)", p.Name)
	}
	if p.Height <= 0 {
		return ErrInvalidPlan.Wrapf("height must be a future block height, got %d", p.Height)
	}
	if problem := module.TextProblem(p.Info, MaxInfoBytes, false); problem != "" {
		return ErrInvalidPlan.Wrapf("info %s", problem)
	}
	return nil
}

// Version is the state version (FirstVersion if never upgraded).
func (k *Keeper) Version(s module.KVStore) uint64 {
	bz := store(s).Get(versionKey)
	if len(bz) != 8 {
		return FirstVersion
	}
	return binary.BigEndian.Uint64(bz)
}

// InitVersion records, at genesis, the state version of the binary that
// loaded the genesis (the app calls it after every module's InitGenesis):
// the state is in that binary's layout. A genesis whose applied upgrades
// reach a later version is refused.
func (k *Keeper) InitVersion(ctx module.Context, v uint64) error {
	if have := k.Version(ctx.Store); have > v {
		return ErrInvalidGenesis.Wrapf("the genesis lists upgrades up to state version %d; this binary runs version %d", have, v)
	}
	store(ctx.Store).Set(versionKey, module.Uint64(v))
	return nil
}

// Plan returns the scheduled upgrade, or nil.
func (k *Keeper) Plan(s module.KVStore) *upgradev1.Plan {
	bz := store(s).Get(planKey)
	if bz == nil {
		return nil
	}
	var p upgradev1.Plan
	if err := proto.Unmarshal(bz, &p); err != nil {
		panic(module.StoreError{Err: err}) // corrupt state: stop rather than diverge
	}
	return &p
}

// AppliedUpgrade returns the record of the applied upgrade name, or nil.
func (k *Keeper) AppliedUpgrade(s module.KVStore, name string) *upgradev1.Applied {
	bz := store(s).Get(appliedKey(name))
	if bz == nil {
		return nil
	}
	var a upgradev1.Applied
	if err := proto.Unmarshal(bz, &a); err != nil {
		panic(module.StoreError{Err: err})
	}
	return &a
}

// CheckSchedule checks that p can be scheduled at the context's height: a
// later block (at least two ahead, so that the plan is committed before its
// block runs) and a name never applied.
func (k *Keeper) CheckSchedule(ctx module.Context, p *upgradev1.Plan) error {
	if err := ValidatePlan(p); err != nil {
		return err
	}
	if p.Height < ctx.Height+2 {
		return ErrInvalidPlan.Wrapf("height %d is too soon: the chain is at %d; choose %d or later (and leave operators time to install the new binary)",
			p.Height, ctx.Height, ctx.Height+2)
	}
	if a := k.AppliedUpgrade(ctx.Store, p.Name); a != nil {
		return ErrAlreadyApplied.Wrapf("%q was applied at height %d; name the new upgrade differently", p.Name, a.Height)
	}
	return nil
}

// Schedule stores p as the scheduled upgrade, replacing any earlier plan.
// It is called when a ministry quorum approves an upgrade proposal.
func (k *Keeper) Schedule(ctx module.Context, p *upgradev1.Plan) error {
	if err := k.CheckSchedule(ctx, p); err != nil {
		return err
	}
	store(ctx.Store).Set(planKey, marshal(p))
	ctx.Emit(EventScheduled,
		module.Indexed("upgrade", p.Name),
		module.Plain("height", strconv.FormatInt(p.Height, 10)),
		module.Plain("info", p.Info))
	return nil
}

// Cancel removes the scheduled upgrade.
func (k *Keeper) Cancel(ctx module.Context) error {
	p := k.Plan(ctx.Store)
	if p == nil {
		return ErrNoPlan.Wrapf("there is nothing to cancel")
	}
	store(ctx.Store).Delete(planKey)
	ctx.Emit(EventCancelled, module.Indexed("upgrade", p.Name))
	return nil
}

// MarkApplied records that the scheduled plan p was applied at the
// context's height, moving the state from version from to version to, and
// clears the plan. The app calls it after the migration ran.
func (k *Keeper) MarkApplied(ctx module.Context, p *upgradev1.Plan, from, to uint64) {
	st := store(ctx.Store)
	st.Delete(planKey)
	st.Set(versionKey, module.Uint64(to))
	st.Set(appliedKey(p.Name), marshal(&upgradev1.Applied{
		Name: p.Name, Height: ctx.Height, FromVersion: from, ToVersion: to, Info: p.Info,
	}))
	ctx.Emit(EventApplied,
		module.Indexed("upgrade", p.Name),
		module.Plain("from_version", strconv.FormatUint(from, 10)),
		module.Plain("to_version", strconv.FormatUint(to, 10)))
}

// Name implements module.Module.
func (k *Keeper) Name() string { return ModuleName }

// RegisterMsgs implements module.Module: upgrades are proposed through
// x/accounts' ministry-quorum proposals; this module has no messages.
func (k *Keeper) RegisterMsgs(*module.Router) {}

// InitGenesis implements module.Module.
func (k *Keeper) InitGenesis(ctx module.Context, raw json.RawMessage) error {
	if len(raw) == 0 {
		return nil
	}
	var g upgradev1.GenesisState
	if err := protojson.Unmarshal(raw, &g); err != nil {
		return ErrInvalidGenesis.Wrapf("%v", err)
	}
	st := store(ctx.Store)
	version := FirstVersion
	for _, a := range g.Applied {
		if !nameRE.MatchString(a.Name) || a.ToVersion <= a.FromVersion {
			return ErrInvalidGenesis.Wrapf("applied upgrade %q: bad name or versions %d -> %d", a.Name, a.FromVersion, a.ToVersion)
		}
		if st.Has(appliedKey(a.Name)) {
			return ErrInvalidGenesis.Wrapf("applied upgrade %q listed twice", a.Name)
		}
		st.Set(appliedKey(a.Name), marshal(a))
		version = max(version, a.ToVersion)
	}
	if version != FirstVersion {
		st.Set(versionKey, module.Uint64(version))
	}
	if g.Plan != nil {
		if err := ValidatePlan(g.Plan); err != nil {
			return ErrInvalidGenesis.Wrapf("plan: %v", err)
		}
		st.Set(planKey, marshal(g.Plan))
	}
	return nil
}

var _ module.Module = (*Keeper)(nil)
