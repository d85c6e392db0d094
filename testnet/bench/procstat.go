package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc's CPU times (100 on every Linux
// architecture Go supports).
const clockTicks = 100

// cpuSample is the machine's and the processes' CPU counters at one moment.
type cpuSample struct {
	at time.Time
	// machine: total and idle (idle + iowait) jiffies over all CPUs.
	total, idle uint64
	// nodes: CPU seconds (user + system) of each node process; self: of
	// the bench process (load generator, poller).
	nodes []float64
	self  float64
	// load1 is /proc/loadavg's one-minute load average.
	load1 float64
}

func takeSample(pids []int) cpuSample {
	s := cpuSample{at: time.Now()}
	s.total, s.idle = machineJiffies()
	for _, pid := range pids {
		s.nodes = append(s.nodes, processCPU(pid))
	}
	s.self = processCPU(os.Getpid())
	s.load1 = loadAvg1()
	return s
}

// cpuUse is what the CPU did between two samples.
type cpuUse struct {
	Seconds float64 // wall time between the samples
	// MachineBusy: share of all cores busy, in per cent of one core
	// (200 % is both cores of a 2-core machine).
	MachineBusy float64
	Nodes       float64   // the node processes together, % of one core
	PerNode     []float64 // each node, % of one core
	NodeCPU     float64   // CPU seconds of the node processes together
	Self        float64   // the bench process, % of one core
	Others      float64   // everything else on the machine, % of one core
	Load1       float64   // one-minute load average at the end
}

func use(a, b cpuSample) cpuUse {
	u := cpuUse{Seconds: b.at.Sub(a.at).Seconds(), Load1: b.load1}
	if u.Seconds <= 0 {
		return u
	}
	cores := float64(coreCount())
	if dt := float64(b.total - a.total); dt > 0 {
		u.MachineBusy = 100 * cores * (1 - float64(b.idle-a.idle)/dt)
	}
	for i := range a.nodes {
		if i < len(b.nodes) {
			d := b.nodes[i] - a.nodes[i]
			u.PerNode = append(u.PerNode, 100*d/u.Seconds)
			u.NodeCPU += d
		}
	}
	u.Nodes = 100 * u.NodeCPU / u.Seconds
	u.Self = 100 * (b.self - a.self) / u.Seconds
	u.Others = max(0, u.MachineBusy-u.Nodes-u.Self)
	return u
}

// machineJiffies reads the aggregate "cpu" line of /proc/stat.
func machineJiffies() (total, idle uint64) {
	bz, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(bz), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return 0, 0
	}
	for i, v := range f[1:] {
		n, _ := strconv.ParseUint(v, 10, 64)
		// guest and guest_nice are already in user and nice.
		if i >= 8 {
			break
		}
		total += n
		if i == 3 || i == 4 { // idle, iowait
			idle += n
		}
	}
	return total, idle
}

// processCPU is a process's user + system CPU seconds (0 if it is gone).
func processCPU(pid int) float64 {
	if pid <= 0 {
		return 0
	}
	bz, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; the fields after its
	// closing parenthesis are fixed: utime and stime are the 12th and
	// 13th after it.
	s := string(bz)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseUint(f[11], 10, 64)
	st, _ := strconv.ParseUint(f[12], 10, 64)
	return float64(ut+st) / clockTicks
}

func loadAvg1() float64 {
	bz, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(bz))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// coreCount is the number of CPUs the machine has online.
func coreCount() int {
	bz, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 1
	}
	n := 0
	for _, l := range strings.Split(string(bz), "\n") {
		if strings.HasPrefix(l, "cpu") && len(l) > 3 && l[3] >= '0' && l[3] <= '9' {
			n++
		}
	}
	return max(n, 1)
}

// cpuModel is /proc/cpuinfo's model name ("" if unknown).
func cpuModel() string {
	bz, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for _, l := range strings.Split(string(bz), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
