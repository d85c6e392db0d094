package projects

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

func validateSubmitReport(m *projectsv1.MsgSubmitReport) error {
	if _, err := types.ParseProjectID(m.ProjectId); err != nil {
		return err
	}
	if _, err := parsePeriod("monitoring period", m.PeriodStart, m.PeriodEnd); err != nil {
		return err
	}
	if m.ClaimedTCo2 == 0 {
		return ErrInvalidReport.Wrapf("claimed reductions must be at least 1 t-CO2")
	}
	_, err := normalizeHash("document hash", m.DocumentHash)
	return err
}

// SubmitReport records the operator's monitoring report for a registered
// project. The period must lie inside the crediting period, must have ended
// (its last day is before the block's UTC date), and must not overlap any
// earlier report of the project that was not rejected — a rejected report's
// period may be reported again.
func (k *Keeper) SubmitReport(ctx module.Context, m *projectsv1.MsgSubmitReport) error {
	// Under a delegation the agent files for the project's operator.
	ctx, agent, err := k.accounts.ActFor(ctx, m.OnBehalfOf, accountsv1.DelegatedAction_DELEGATED_ACTION_SUBMIT_REPORT)
	if err != nil {
		return err
	}
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_CREATOR, "submitting a monitoring report"); err != nil {
		return err
	}
	pseq, p, err := k.mustProject(ctx.Store, m.ProjectId)
	if err != nil {
		return err
	}
	if p.OperatorAccount != ctx.Account {
		return ErrNotOperator.Wrapf("project %s is operated by %s, not %s", p.Id, k.accounts.Describe(ctx.Store, p.OperatorAccount), ctx.Signer.Hex())
	}
	if p.Status != projectsv1.ProjectStatus_PROJECT_STATUS_REGISTERED {
		return ErrWrongProjectStatus.Wrapf("project %s is %s; reports are accepted only for registered projects", p.Id, statusName(p.Status))
	}
	mp, _ := parsePeriod("monitoring period", m.PeriodStart, m.PeriodEnd)
	cp, err := parsePeriod("crediting period", p.CreditingStart, p.CreditingEnd)
	if err != nil {
		return module.ErrInternal.Wrapf("stored project %s: %v", p.Id, err)
	}
	if !cp.contains(mp) {
		return ErrPeriodOutsideCrediting.Wrapf("%s to %s is not within the crediting period %s to %s of project %s",
			m.PeriodStart, m.PeriodEnd, p.CreditingStart, p.CreditingEnd, p.Id)
	}
	today := time.Date(ctx.Time.UTC().Year(), ctx.Time.UTC().Month(), ctx.Time.UTC().Day(), 0, 0, 0, 0, time.UTC)
	if !mp.end.Before(today) {
		return ErrPeriodNotEnded.Wrapf("the period ends %s; report it from %s on", m.PeriodEnd, mp.end.AddDate(0, 0, 1).Format(DateLayout))
	}
	earlier, err := k.Reports(ctx.Store, pseq)
	if err != nil {
		return err
	}
	for _, r := range earlier {
		if r.Status == projectsv1.ReportStatus_REPORT_STATUS_REJECTED {
			continue
		}
		rp, _ := parsePeriod("monitoring period", r.PeriodStart, r.PeriodEnd)
		if rp.overlaps(mp) {
			return ErrPeriodOverlap.Wrapf("%s to %s overlaps report %s (%s to %s); start after %s",
				m.PeriodStart, m.PeriodEnd, r.Id, r.PeriodStart, r.PeriodEnd, r.PeriodEnd)
		}
	}
	docHash, _ := normalizeHash("document hash", m.DocumentHash)
	p.ReportCount++
	if err := k.setProject(ctx.Store, pseq, p); err != nil {
		return err
	}
	rseq := p.ReportCount
	r := &projectsv1.MonitoringReport{
		Id: types.ReportID(pseq, rseq), ProjectId: p.Id,
		PeriodStart: m.PeriodStart, PeriodEnd: m.PeriodEnd,
		ClaimedTCo2: m.ClaimedTCo2, DocumentHash: docHash,
		Status: projectsv1.ReportStatus_REPORT_STATUS_SUBMITTED,
		History: []*projectsv1.ReportStatusChange{{
			Status: projectsv1.ReportStatus_REPORT_STATUS_SUBMITTED, Actor: ctx.Signer.Hex(),
			Height: ctx.Height, Time: timestamppb.New(ctx.Time), AgentAccount: agent,
		}},
	}
	k.setReport(ctx.Store, pseq, rseq, r)
	ctx.Emit(EventReportStatus,
		module.Indexed("report", r.Id),
		module.Indexed("project", p.Id),
		module.Indexed("status", reportStatusName(r.Status)),
		module.Indexed("actor", ctx.Signer.Hex()),
		module.Plain("claimed_t_co2", u64s(m.ClaimedTCo2)),
		module.Plain("document_hash", docHash),
		module.Indexed("agent_account", u64s(agent)))
	return nil
}
