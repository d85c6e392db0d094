package projects

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/jcredit/jcredit/x/module"

	"github.com/ethereum/go-ethereum/common"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
)

// ModuleName is the codespace, store prefix, genesis key and query route.
const ModuleName = "projects"

// StorePrefix is where the module's keys live in the app's tree.
const StorePrefix = ModuleName + "/"

// Key layout under StorePrefix. Sequence numbers are 8-byte big-endian so
// that keys sort in submission order.
//
//	c/params                            -> Params
//	c/next_project                      -> last project number (8 bytes)
//	t/<code>                            -> Methodology
//	p/<project seq>                     -> Project
//	r/<project seq><report seq, 4 B>    -> MonitoringReport
//	s/<status byte><project seq>        -> empty (projects by status)
//	o/<20-byte operator><project seq>   -> empty (projects by operator)
//	b/<20-byte member><project seq>     -> empty (projects by program member)
//	m/<code>0x00<project seq>           -> empty (projects by methodology)
var (
	paramsKey         = []byte("c/params")
	projectSeqKey     = []byte("c/next_project")
	methodologyPrefix = []byte("t/")
	projectPrefix     = []byte("p/")
	reportPrefix      = []byte("r/")
	byStatusPrefix    = []byte("s/")
	byOperatorPrefix  = []byte("o/")
	byMemberPrefix    = []byte("b/")
	byMethodPrefix    = []byte("m/")
)

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func methodologyKey(code string) []byte { return module.Key(methodologyPrefix, []byte(code)) }
func projectKey(seq uint64) []byte      { return module.Key(projectPrefix, module.Uint64(seq)) }
func reportKey(pseq uint64, rseq uint32) []byte {
	return module.Key(reportPrefix, module.Uint64(pseq), u32(rseq))
}
func reportsOfProjectPrefix(pseq uint64) []byte { return module.Key(reportPrefix, module.Uint64(pseq)) }

func statusIndexPrefix(s projectsv1.ProjectStatus) []byte {
	return module.Key(byStatusPrefix, []byte{byte(s)})
}
func operatorIndexPrefix(a common.Address) []byte { return module.Key(byOperatorPrefix, a.Bytes()) }
func memberIndexPrefix(a common.Address) []byte   { return module.Key(byMemberPrefix, a.Bytes()) }
func methodIndexPrefix(code string) []byte {
	return module.Key(byMethodPrefix, []byte(code), []byte{0})
}

// MethodologyStoreKey, ProjectStoreKey and ReportStoreKey are full state
// keys, for proofs.
func MethodologyStoreKey(code string) []byte {
	return module.Key([]byte(StorePrefix), methodologyKey(code))
}

// ProjectStoreKey is the full state key of project number seq.
func ProjectStoreKey(seq uint64) []byte { return module.Key([]byte(StorePrefix), projectKey(seq)) }

// ReportStoreKey is the full state key of report rseq of project pseq.
func ReportStoreKey(pseq uint64, rseq uint32) []byte {
	return module.Key([]byte(StorePrefix), reportKey(pseq, rseq))
}

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
