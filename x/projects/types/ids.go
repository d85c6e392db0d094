package types

import (
	"fmt"
	"strconv"
	"strings"

	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// ErrInvalidID is x/projects' error for a malformed project or report id
// (code 13 of the projects codespace).
var ErrInvalidID = module.NewError(ModuleName, 13, "malformed id")

// Identifiers. A project id is "JCP-" and a zero-padded sequence number; a
// report id is its project's id, "-R" and the report's number within the
// project. Both are defined here only.
const projectIDPrefix = "JCP-"

// ProjectID formats project number seq.
func ProjectID(seq uint64) string { return fmt.Sprintf("%s%06d", projectIDPrefix, seq) }

// ReportID formats report rseq of project pseq.
func ReportID(pseq uint64, rseq uint32) string { return fmt.Sprintf("%s-R%03d", ProjectID(pseq), rseq) }

// ParseProjectID returns the number of a project id.
func ParseProjectID(id string) (uint64, error) {
	digits, ok := strings.CutPrefix(id, projectIDPrefix)
	if !ok || len(digits) < 6 || !allDigits(digits) {
		return 0, ErrInvalidID.Wrapf("%q is not a project id like JCP-000001", id)
	}
	seq, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || seq == 0 || ProjectID(seq) != id {
		return 0, ErrInvalidID.Wrapf("%q is not a project id like JCP-000001", id)
	}
	return seq, nil
}

// ParseReportID returns the project and report numbers of a report id.
func ParseReportID(id string) (pseq uint64, rseq uint32, err error) {
	i := strings.LastIndex(id, "-R")
	bad := ErrInvalidID.Wrapf("%q is not a report id like JCP-000001-R001", id)
	if i < 0 || !allDigits(id[i+2:]) || len(id[i+2:]) < 3 {
		return 0, 0, bad
	}
	pseq, err = ParseProjectID(id[:i])
	if err != nil {
		return 0, 0, bad
	}
	n, err := strconv.ParseUint(id[i+2:], 10, 32)
	if err != nil || n == 0 || ReportID(pseq, uint32(n)) != id {
		return 0, 0, bad
	}
	return pseq, uint32(n), nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
