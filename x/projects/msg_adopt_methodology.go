package projects

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	accountsv1 "github.com/jcredit/jcredit/proto/jcredit/accounts/v1"
	creditsv1 "github.com/jcredit/jcredit/proto/jcredit/credits/v1"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
)

func validateMethodologyFields(code, title string, cat creditsv1.Category) error {
	if !validMethodologyCode(code) {
		return ErrInvalidMethodology.Wrapf("code %q must look like EN-S-001, EN-R-002 or FO-001 (capitals, digits, dashes)", code)
	}
	if p := module.TextProblem(title, 256, true); p != "" {
		return ErrInvalidMethodology.Wrapf("title %s", p)
	}
	if !validCategory(cat) {
		return ErrInvalidMethodology.Wrapf("category must be one of energy saving, renewable electricity, renewable heat, industrial process, agriculture, waste, forest")
	}
	return nil
}

func validateAdoptMethodology(m *projectsv1.MsgAdoptMethodology) error {
	return validateMethodologyFields(m.Code, m.Title, m.Category)
}

// AdoptMethodology lets a ministry add a methodology under which projects
// may then be submitted.
func (k *Keeper) AdoptMethodology(ctx module.Context, m *projectsv1.MsgAdoptMethodology) error {
	if err := k.requireRole(ctx, accountsv1.Role_ROLE_MINISTRY, "adopting a methodology"); err != nil {
		return err
	}
	existing, err := k.Methodology(ctx.Store, m.Code)
	if err != nil {
		return err
	}
	if existing != nil {
		return ErrMethodologyExists.Wrapf("%s is already adopted as %q", m.Code, existing.Title)
	}
	k.setMethodology(ctx.Store, &projectsv1.Methodology{
		Code: m.Code, Title: m.Title, Category: m.Category,
		Status:    projectsv1.MethodologyStatus_METHODOLOGY_STATUS_ACTIVE,
		AdoptedBy: ctx.Signer.Hex(), AdoptedHeight: ctx.Height, AdoptedTime: timestamppb.New(ctx.Time),
	})
	ctx.Emit(EventMethodologyAdopted,
		module.Indexed("methodology", m.Code),
		module.Indexed("by", ctx.Signer.Hex()),
		module.Plain("category", m.Category.String()))
	return nil
}
