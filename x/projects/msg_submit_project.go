package projects

import (
	"github.com/ethereum/go-ethereum/common"
	"google.golang.org/protobuf/types/known/timestamppb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

// MaxMembers bounds a program-type project's member list (one record holds
// them all).
const MaxMembers = 1000

// TotalShareBps is what program members' shares must sum to.
const TotalShareBps = 10000

func validateSubmitProject(m *projectsv1.MsgSubmitProject) error {
	if p := module.TextProblem(m.Name, 256, true); p != "" {
		return ErrInvalidProject.Wrapf("name %s", p)
	}
	switch m.Kind {
	case projectsv1.ProjectKind_PROJECT_KIND_STANDARD:
		if len(m.Members) > 0 {
			return ErrInvalidMembers.Wrapf("a standard project has no members; submit it as program-type to list %d members", len(m.Members))
		}
	case projectsv1.ProjectKind_PROJECT_KIND_PROGRAM:
		if err := validateMembers(m.Members); err != nil {
			return err
		}
	default:
		return ErrInvalidProject.Wrapf("kind must be standard or program")
	}
	if !validMethodologyCode(m.Methodology) {
		return ErrInvalidProject.Wrapf("methodology %q is not a code like EN-S-001", m.Methodology)
	}
	if _, err := submittedLocation(m); err != nil {
		return err
	}
	if _, err := parsePeriod("crediting period", m.CreditingStart, m.CreditingEnd); err != nil {
		return err
	}
	if m.ExpectedReductions == 0 {
		return ErrInvalidProject.Wrapf("expected reductions (t-CO2 over the crediting period) must be at least 1")
	}
	if _, err := normalizeHash("plan hash", m.PlanHash); err != nil {
		return err
	}
	return nil
}

// validateMembers checks a program's member list: names and sites given,
// distinct valid addresses, positive shares summing to 10000 basis points.
func validateMembers(ms []*projectsv1.MemberSpec) error {
	if len(ms) == 0 || len(ms) > MaxMembers {
		return ErrInvalidMembers.Wrapf("a program-type project lists 1 to %d members, not %d", MaxMembers, len(ms))
	}
	seen := map[common.Address]int{}
	var sum uint64
	for i, mem := range ms {
		if p := module.TextProblem(mem.Name, 256, true); p != "" {
			return ErrInvalidMembers.Wrapf("member %d: name %s", i, p)
		}
		if p := module.TextProblem(mem.Site, 256, true); p != "" {
			return ErrInvalidMembers.Wrapf("member %d (%s): site %s", i, mem.Name, p)
		}
		addr, ok := parseAddress(mem.Address)
		if !ok {
			return ErrInvalidMembers.Wrapf("member %d (%s): %q is not a 0x-prefixed account address (EIP-55 if mixed case)", i, mem.Name, mem.Address)
		}
		if j, dup := seen[addr]; dup {
			return ErrInvalidMembers.Wrapf("members %d and %d share the account %s", j, i, addr.Hex())
		}
		seen[addr] = i
		if mem.ShareBps == 0 {
			return ErrInvalidMembers.Wrapf("member %d (%s) has a zero share; leave it out or give it a share", i, mem.Name)
		}
		sum += uint64(mem.ShareBps)
	}
	if sum != TotalShareBps {
		return ErrInvalidMembers.Wrapf("member shares sum to %d basis points; they must sum to %d", sum, TotalShareBps)
	}
	return nil
}

// submittedLocation is where a submitted project creates its credits: its
// location, or the prefecture its ISO 3166-2:JP code names ("JP-26", as
// release v0.2.0 took it), with no municipality.
func submittedLocation(m *projectsv1.MsgSubmitProject) (*creditsv1.Location, error) {
	switch {
	case m.Location != nil && m.Prefecture != "":
		return nil, ErrInvalidProject.Wrapf("give the location or the prefecture, not both")
	case m.Location != nil:
		if err := creditstypes.CheckLocation(m.Location); err != nil {
			return nil, ErrInvalidProject.Wrapf("location: %v", err)
		}
		if p := module.TextProblem(m.Location.Municipality, 256, false); p != "" {
			return nil, ErrInvalidProject.Wrapf("location: the municipality (at most 256 bytes of plain text) %s", p)
		}
		return m.Location, nil
	case validPrefecture(m.Prefecture):
		return &creditsv1.Location{PrefectureCode: creditstypes.PrefectureCodeOf(m.Prefecture)}, nil
	}
	return nil, ErrInvalidProject.Wrapf("give the project's location: a JIS X 0401 prefecture code, 01 (Hokkaido) to 47 (Okinawa), and its municipality (or a prefecture as ISO 3166-2:JP, JP-01 to JP-47; %q is neither)", m.Prefecture)
}

// SubmitProject records a creator's project plan. The signer becomes the
// operator; the project starts as submitted, waiting for a review body.
func (k *Keeper) SubmitProject(ctx module.Context, m *projectsv1.MsgSubmitProject) error {
	// Under a delegation (an application agent, 申請代理人) the grantor is
	// the operator and must hold the creator role; the history names the
	// agent.
	ctx, agent, err := k.accounts.ActFor(ctx, m.OnBehalfOf, accountsv1.DelegatedAction_DELEGATED_ACTION_SUBMIT_PROJECT)
	if err != nil {
		return err
	}
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_CREATOR, "submitting a project"); err != nil {
		return err
	}
	meth, err := k.Methodology(ctx.Store, m.Methodology)
	if err != nil {
		return err
	}
	if meth == nil {
		return ErrUnknownMethodology.Wrapf("%s has not been adopted (list them with `jcreditd q projects methodologies`)", m.Methodology)
	}
	if meth.Status != projectsv1.MethodologyStatus_METHODOLOGY_STATUS_ACTIVE {
		return ErrMethodologyInactive.Wrapf("%s is %s", meth.Code, meth.Status)
	}
	params, err := k.Params(ctx.Store)
	if err != nil {
		return err
	}
	cp, _ := parsePeriod("crediting period", m.CreditingStart, m.CreditingEnd)
	if err := checkCreditingPeriod(params, meth.Category, cp); err != nil {
		return err
	}
	loc, _ := submittedLocation(m)
	members := make([]*projectsv1.Member, len(m.Members))
	seen := map[uint64]int{}
	for i, mem := range m.Members {
		addr, _ := parseAddress(mem.Address)
		n, ok := k.accounts.AccountNumber(ctx.Store, addr)
		if !ok || !k.accounts.IsActive(ctx.Store, n) {
			return ErrInactiveRecipient.Wrapf("member %d (%s): %s is not an active account; ask the secretariat to open it", i, mem.Name, addr.Hex())
		}
		if j, dup := seen[n]; dup {
			return ErrInvalidMembers.Wrapf("members %d and %d are the same account (%s)", j, i, k.accounts.Describe(ctx.Store, n))
		}
		seen[n] = i
		members[i] = &projectsv1.Member{Name: mem.Name, Site: mem.Site, Account: n, ShareBps: mem.ShareBps}
	}
	planHash, _ := normalizeHash("plan hash", m.PlanHash)
	seq := k.nextProjectSeq(ctx.Store)
	p := &projectsv1.Project{
		Id: types.ProjectID(seq), Name: m.Name, OperatorAccount: ctx.Account, Kind: m.Kind, Members: members,
		Methodology: m.Methodology, Location: loc,
		CreditingStart: m.CreditingStart, CreditingEnd: m.CreditingEnd,
		ExpectedReductions: m.ExpectedReductions, PlanHash: planHash,
		Status: projectsv1.ProjectStatus_PROJECT_STATUS_SUBMITTED,
		History: []*projectsv1.ProjectStatusChange{{
			Status: projectsv1.ProjectStatus_PROJECT_STATUS_SUBMITTED, Actor: ctx.Signer.Hex(),
			Height: ctx.Height, Time: timestamppb.New(ctx.Time), AgentAccount: agent,
		}},
	}
	if err := k.setProject(ctx.Store, seq, p); err != nil {
		return err
	}
	ctx.Emit(EventProjectStatus,
		module.Indexed("project", p.Id),
		module.Indexed("status", statusName(p.Status)),
		module.Indexed("actor", ctx.Signer.Hex()),
		module.Indexed("operator", k.operatorAddress(ctx, agent)),
		module.Indexed("operator_account", u64s(ctx.Account)),
		module.Indexed("methodology", p.Methodology),
		module.Plain("plan_hash", planHash),
		module.Indexed("agent_account", u64s(agent)))
	return nil
}

// operatorAddress is the address events name the acting account by: the
// signer's, or under a delegation (agent != 0) the grantor's current one.
func (k *Keeper) operatorAddress(ctx module.Context, agent uint64) string {
	if agent == 0 {
		return ctx.Signer.Hex()
	}
	if acc, err := k.accounts.Account(ctx.Store, ctx.Account); err == nil && acc != nil {
		return acc.Address
	}
	return ""
}
