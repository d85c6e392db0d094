package types

import (
	"encoding/binary"

	"github.com/ethereum/go-ethereum/common"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	"github.com/jcredit/jcredit/x/module"
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
	ParamsKey         = []byte("c/params")
	ProjectSeqKey     = []byte("c/next_project")
	MethodologyPrefix = []byte("t/")
	ProjectPrefix     = []byte("p/")
	ReportPrefix      = []byte("r/")
	ByStatusPrefix    = []byte("s/")
	ByOperatorPrefix  = []byte("o/")
	ByMemberPrefix    = []byte("b/")
	ByMethodPrefix    = []byte("m/")
)

// U32 encodes v big-endian in 4 bytes.
func U32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func MethodologyKey(code string) []byte { return module.Key(MethodologyPrefix, []byte(code)) }
func ProjectKey(seq uint64) []byte      { return module.Key(ProjectPrefix, module.Uint64(seq)) }
func ReportKey(pseq uint64, rseq uint32) []byte {
	return module.Key(ReportPrefix, module.Uint64(pseq), U32(rseq))
}
func ReportsOfProjectPrefix(pseq uint64) []byte { return module.Key(ReportPrefix, module.Uint64(pseq)) }

func StatusIndexPrefix(s projectsv1.ProjectStatus) []byte {
	return module.Key(ByStatusPrefix, []byte{byte(s)})
}
func OperatorIndexPrefix(a common.Address) []byte { return module.Key(ByOperatorPrefix, a.Bytes()) }
func MemberIndexPrefix(a common.Address) []byte   { return module.Key(ByMemberPrefix, a.Bytes()) }
func MethodIndexPrefix(code string) []byte {
	return module.Key(ByMethodPrefix, []byte(code), []byte{0})
}

// MethodologyStoreKey, ProjectStoreKey and ReportStoreKey are full state
// keys, for proofs.
func MethodologyStoreKey(code string) []byte {
	return module.Key([]byte(StorePrefix), MethodologyKey(code))
}

// ProjectStoreKey is the full state key of project number seq.
func ProjectStoreKey(seq uint64) []byte { return module.Key([]byte(StorePrefix), ProjectKey(seq)) }

// ReportStoreKey is the full state key of report rseq of project pseq.
func ReportStoreKey(pseq uint64, rseq uint32) []byte {
	return module.Key([]byte(StorePrefix), ReportKey(pseq, rseq))
}
