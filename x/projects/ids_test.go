package projects_test

import (
	"testing"

	"github.com/jcredit/jcredit/x/module"
	"github.com/jcredit/jcredit/x/projects"
	projectstypes "github.com/jcredit/jcredit/x/projects/types"
)

func TestErrorCodesAreUnique(t *testing.T) {
	if err := module.CheckCodes(projects.AllErrors...); err != nil {
		t.Fatal(err)
	}
}

func TestIDsRoundTrip(t *testing.T) {
	for _, seq := range []uint64{1, 42, 999999, 1000000, 123456789} {
		id := projectstypes.ProjectID(seq)
		got, err := projectstypes.ParseProjectID(id)
		if err != nil || got != seq {
			t.Fatalf("ParseProjectID(%q) = %d, %v", id, got, err)
		}
		for _, rseq := range []uint32{1, 12, 999, 1000} {
			rid := projectstypes.ReportID(seq, rseq)
			p, r, err := projectstypes.ParseReportID(rid)
			if err != nil || p != seq || r != rseq {
				t.Fatalf("ParseReportID(%q) = %d %d %v", rid, p, r, err)
			}
		}
	}
	if projectstypes.ProjectID(7) != "JCP-000007" || projectstypes.ReportID(7, 2) != "JCP-000007-R002" {
		t.Fatalf("id format changed: %s %s", projectstypes.ProjectID(7), projectstypes.ReportID(7, 2))
	}
	for _, bad := range []string{"", "JCP-", "JCP-1", "JCP-0000001", "JCP-000000", "jcp-000001", "JCP-00000a", "JCP-000001 "} {
		if _, err := projectstypes.ParseProjectID(bad); err == nil {
			t.Errorf("ParseProjectID(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"JCP-000001", "JCP-000001-R", "JCP-000001-R1", "JCP-000001-R000", "JCP-000001-R0001", "JCP-1-R001", "JCP-000001-X001"} {
		if _, _, err := projectstypes.ParseReportID(bad); err == nil {
			t.Errorf("ParseReportID(%q) accepted", bad)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, ok := range []string{"2023-04-01", "2024-02-29", "2031-03-31"} {
		if _, err := projects.ParseDate(ok); err != nil {
			t.Errorf("ParseDate(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"2023-4-1", "2023-02-29", "2023/04/01", "20230401", "2023-04-01T00:00:00Z", ""} {
		if _, err := projects.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}
