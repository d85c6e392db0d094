package projects_test

import (
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/projects"
)

func TestSubmitProject(t *testing.T) {
	c := newChain(t)
	// Ids are sequential; upper-case hashes are stored in lower case.
	m := standardProject()
	m.PlanHash = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
	if id := submit(t, c, "kyoto", m); id != "JCP-000001" {
		t.Fatalf("id %s", id)
	}
	id := submit(t, c, "osaka", programProject())
	if id != "JCP-000002" {
		t.Fatalf("id %s", id)
	}
	p := getProject(t, c, "JCP-000001")
	if p.PlanHash != planHash || p.Kind != projectsv1.ProjectKind_PROJECT_KIND_STANDARD || p.Prefecture != "" || p.Location.GetPrefectureCode() != "26" ||
		p.CreditingStart != "2023-04-01" || p.CreditingEnd != "2031-03-31" || p.ExpectedReductions != 12000 ||
		len(p.History) != 1 || p.History[0].Actor != apptest.Addr("kyoto").Hex() {
		t.Fatalf("stored project = %v", p)
	}
	if prog := getProject(t, c, id); len(prog.Members) != 3 || prog.Members[2].ShareBps != 1667 {
		t.Fatalf("program members = %v", prog.Members)
	}

	mod := func(f func(m *projectsv1.MsgSubmitProject)) *projectsv1.MsgSubmitProject {
		m := standardProject()
		f(m)
		return m
	}
	modProg := func(f func(m *projectsv1.MsgSubmitProject)) *projectsv1.MsgSubmitProject {
		m := programProject()
		f(m)
		return m
	}
	for _, r := range []rule{
		{"not a creator", "buyer", standardProject(), projects.ErrUnauthorized},
		{"methodology never adopted", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.Methodology = "EN-S-999" }), projects.ErrUnknownMethodology},
		{"methodology abolished", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.Methodology = "AG-001" }), projects.ErrMethodologyInactive},
		{"malformed methodology", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.Methodology = "boiler" }), projects.ErrInvalidProject},
		{"crediting period of 8 years and a day", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.CreditingEnd = "2031-04-01" }), projects.ErrCreditingTooLong},
		{"crediting period past 2031-03-31", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) {
			m.CreditingStart, m.CreditingEnd = "2025-04-01", "2031-06-30"
		}), projects.ErrCreditingEndTooLate},
		{"crediting period ends before it starts", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.CreditingEnd = "2023-03-31" }), projects.ErrInvalidDate},
		{"date not written YYYY-MM-DD", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.CreditingStart = "2023-4-1" }), projects.ErrInvalidDate},
		{"no such day", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.CreditingStart = "2023-02-30" }), projects.ErrInvalidDate},
		{"plan hash too short", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.PlanHash = "abcd" }), projects.ErrInvalidHash},
		{"unknown prefecture", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.Prefecture = "JP-48" }), projects.ErrInvalidProject},
		{"no name", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.Name = "" }), projects.ErrInvalidProject},
		{"no expected reductions", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.ExpectedReductions = 0 }), projects.ErrInvalidProject},
		{"no kind", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.Kind = 0 }), projects.ErrInvalidProject},
		{"standard project with members", "kyoto", mod(func(m *projectsv1.MsgSubmitProject) { m.Members = programProject().Members }), projects.ErrInvalidMembers},
		{"program without members", "kyoto", modProg(func(m *projectsv1.MsgSubmitProject) { m.Members = nil }), projects.ErrInvalidMembers},
		{"shares short of 10000", "kyoto", modProg(func(m *projectsv1.MsgSubmitProject) { m.Members[2].ShareBps = 1666 }), projects.ErrInvalidMembers},
		{"member listed twice", "kyoto", modProg(func(m *projectsv1.MsgSubmitProject) { m.Members[1].Address = m.Members[0].Address }), projects.ErrInvalidMembers},
		{"member address mistyped", "kyoto", modProg(func(m *projectsv1.MsgSubmitProject) { m.Members[0].Address = "0x12" }), projects.ErrInvalidMembers},
		{"member without account", "kyoto", modProg(func(m *projectsv1.MsgSubmitProject) {
			m.Members[0].Address = apptest.Addr("nobody").Hex()
		}), projects.ErrInactiveRecipient},
	} {
		t.Run(r.name, func(t *testing.T) { rejected(t, c, r.signer, r.want, r.msg) })
	}
}
