package projects

import (
	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	creditstypes "github.com/jcredit/jcredit/x/credits/types"
	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects/types"
)

func validateCertifyReport(m *projectsv1.MsgCertifyReport) error {
	_, _, err := types.ParseReportID(m.ReportId)
	return err // identifiers, energy and labels: x/credits checks them with the batch
}

// CertifyReport is a ministry's certification of a verified report, after
// the expert committee: verified -> certified. It is the event that issues
// credits: in the same transaction it asks x/credits for a batch of the
// verified amount, with the methodology's category, the report's period as
// vintage, the project's name and location as the credits' origin, and
// what the ministry decides here: the official identifiers (制度記号,
// クレジット種別, クレジット認証番号), the energy quantities of the verified
// report, and the labels the batch starts with (CORSIA eligibility depends
// on the vintage and on international rules, which is the administrator's
// call, not the operator's; labels can change later, with history). The credits go to the operator of a standard
// project, or to a program's members by share (see Allocate). If issuance
// fails, nothing of the certification remains.
//
// The project may be registered or already terminated: a report submitted
// while it ran covers real reductions.
func (k *Keeper) CertifyReport(ctx module.Context, m *projectsv1.MsgCertifyReport) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_MINISTRY, "certifying a monitoring report"); err != nil {
		return err
	}
	pseq, rseq, r, err := k.mustReport(ctx.Store, m.ReportId)
	if err != nil {
		return err
	}
	if r.Status != projectsv1.ReportStatus_REPORT_STATUS_VERIFIED {
		return ErrWrongReportStatus.Wrapf("report %s is %s; only a verified report can be certified", r.Id, reportStatusName(r.Status))
	}
	p, err := k.Project(ctx.Store, pseq)
	if err != nil || p == nil {
		return module.ErrInternal.Wrapf("report %s has no project: %v", r.Id, err)
	}
	meth, err := k.Methodology(ctx.Store, p.Methodology)
	if err != nil || meth == nil {
		return module.ErrInternal.Wrapf("project %s names methodology %s, which is missing: %v", p.Id, p.Methodology, err)
	}
	var allocs []*creditsv1.Allocation
	if p.Kind == projectsv1.ProjectKind_PROJECT_KIND_PROGRAM {
		allocs = Allocate(r.VerifiedTCo2, p.Members)
	} else {
		allocs = []*creditsv1.Allocation{{Account: p.OperatorAccount, Quantity: r.VerifiedTCo2}}
	}
	for _, a := range allocs {
		if !k.accounts.IsActive(ctx.Store, a.Account) {
			return ErrInactiveRecipient.Wrapf("%s would receive %d credits of report %s but is not an active account; reopen it first", k.accounts.Describe(ctx.Store, a.Account), a.Quantity, r.Id)
		}
	}
	req := &creditsv1.IssuanceRequest{
		ProjectId:           p.Id,
		ReportId:            r.Id,
		Methodology:         meth.Code,
		Category:            meth.Category,
		VintageStart:        r.PeriodStart,
		VintageEnd:          r.PeriodEnd,
		CorsiaEligible:      m.CorsiaEligible,
		Allocations:         allocs,
		SchemeSymbol:        m.SchemeSymbol,
		CreditType:          m.CreditType,
		CertificationNumber: m.CertificationNumber,
		ElectricityKwh:      m.ElectricityKwh,
		HeatMj:              m.HeatMj,
		ProjectName:         p.Name,
		Origin:              p.Location,
		Labels:              m.Labels,
	}
	batchID, err := k.credits.IssueBatch(ctx, req)
	if err != nil {
		return err
	}
	for _, l := range creditstypes.IssuanceLabels(req) {
		r.CorsiaEligible = r.CorsiaEligible || l.Kind == creditsv1.LabelKind_LABEL_KIND_CORSIA_ELIGIBLE
	}
	r.BatchId = batchID
	k.moveReport(ctx, pseq, rseq, r, projectsv1.ReportStatus_REPORT_STATUS_CERTIFIED, "")
	ctx.Emit(EventCertified,
		module.Indexed("report", r.Id),
		module.Indexed("project", p.Id),
		module.Indexed("batch", batchID),
		module.Plain("quantity", u64s(r.VerifiedTCo2)))
	return nil
}
