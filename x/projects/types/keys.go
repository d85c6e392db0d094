package types

import (
	"encoding/binary"

	projectsv1 "github.com/jcredit/jcredit/proto/jcredit/projects/v1"
	module "github.com/jcredit/jcredit/x/module/base" // module.Key etc. without ABCI (base doc)
)

// ModuleName is the codespace, store prefix, genesis key and query route.
const ModuleName = "projects"

// StorePrefix is where the module's keys live in the app's tree.
const StorePrefix = ModuleName + "/"

// Key layout under StorePrefix (state version 2). Sequence numbers are
// 8-byte big-endian so that keys sort in submission order. Accounts are
// named by their stable number (x/accounts), never by address, so a key
// rotation touches nothing here. No value is empty: index entries hold
// module.IndexValue, so that ICS23 can prove any key absent.
//
//	c/params                            -> Params
//	c/next_project                      -> last project number (8 bytes)
//	t/<code>                            -> Methodology
//	p/<project seq>                     -> Project
//	r/<project seq><report seq, 4 B>    -> MonitoringReport
//	s/<status byte><project seq>        -> 0x01 (projects by status)
//	o/<8B operator account#><project seq> -> 0x01 (projects by operator)
//	b/<8B member account#><project seq> -> 0x01 (projects by program member)
//	m/<code>0x00<project seq>           -> 0x01 (projects by methodology)
//	st/<status byte>                    -> projects in that status (8 bytes)
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
	StatsPrefix       = []byte("st/")
)

// StatusCountKey is the key of the number of projects in status s
// (8 bytes; absent: none).
func StatusCountKey(s projectsv1.ProjectStatus) []byte {
	return module.Key(StatsPrefix, []byte{byte(s)})
}

// U32 encodes v big-endian in 4 bytes.
func U32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// MethodologyKey is the key of a methodology.
func MethodologyKey(code string) []byte { return module.Key(MethodologyPrefix, []byte(code)) }

// ProjectKey is the key of project number seq.
func ProjectKey(seq uint64) []byte { return module.Key(ProjectPrefix, module.Uint64(seq)) }

// ParseProjectKey returns the project number of a ProjectKey.
func ParseProjectKey(key []byte) uint64 { return binary.BigEndian.Uint64(key[len(key)-8:]) }

// ReportKey is the key of report rseq of project pseq.
func ReportKey(pseq uint64, rseq uint32) []byte {
	return module.Key(ReportPrefix, module.Uint64(pseq), U32(rseq))
}

// ReportsOfProjectPrefix is the prefix of every report of project pseq.
func ReportsOfProjectPrefix(pseq uint64) []byte { return module.Key(ReportPrefix, module.Uint64(pseq)) }

// StatusIndexPrefix is the prefix of the projects in status s.
func StatusIndexPrefix(s projectsv1.ProjectStatus) []byte {
	return module.Key(ByStatusPrefix, []byte{byte(s)})
}

// OperatorIndexPrefix is the prefix of the projects account n operates.
func OperatorIndexPrefix(n uint64) []byte { return module.Key(ByOperatorPrefix, module.Uint64(n)) }

// MemberIndexPrefix is the prefix of the projects account n is a member of.
func MemberIndexPrefix(n uint64) []byte { return module.Key(ByMemberPrefix, module.Uint64(n)) }

// MethodIndexPrefix is the prefix of the projects under methodology code.
func MethodIndexPrefix(code string) []byte {
	return module.Key(ByMethodPrefix, []byte(code), []byte{0})
}

// IndexKeys are the secondary index entries of project seq: by status,
// operator, methodology and each program member.
func IndexKeys(seq uint64, p *projectsv1.Project) [][]byte {
	s := module.Uint64(seq)
	keys := [][]byte{
		module.Key(StatusIndexPrefix(p.Status), s),
		module.Key(OperatorIndexPrefix(p.OperatorAccount), s),
		module.Key(MethodIndexPrefix(p.Methodology), s),
	}
	for _, m := range p.Members {
		keys = append(keys, module.Key(MemberIndexPrefix(m.Account), s))
	}
	return keys
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
