package harness

import (
	"fmt"
	"math/rand"
	"os/exec"
	"strings"
	"time"
)

// netns is a private network: one Linux network namespace per node, each
// with a veth pair whose host end is enslaved to a bridge. The harness
// (in the root namespace) reaches every node through the bridge's address.
// Cutting a node's veth is a true partition: its packets go nowhere, in
// both directions, while the process keeps running.
type netns struct {
	id     int // picks the subnet 10.213.<id>.0/24 and the interface names
	n      int
	bridge string
}

func run(args ...string) error {
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func newNetNS(n int) (*netns, error) {
	if _, err := exec.LookPath("ip"); err != nil {
		return nil, fmt.Errorf("iproute2's `ip` is needed for network namespaces (apt-get install iproute2): %w", err)
	}
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	ns := &netns{id: 1 + r.Intn(250), n: n}
	ns.bridge = fmt.Sprintf("jcbr%d", ns.id)
	steps := [][]string{
		{"ip", "link", "add", ns.bridge, "type", "bridge"},
		{"ip", "addr", "add", fmt.Sprintf("10.213.%d.1/24", ns.id), "dev", ns.bridge},
		{"ip", "link", "set", ns.bridge, "up"},
	}
	for i := 0; i < n; i++ {
		name, veth := ns.name(i), ns.veth(i)
		steps = append(steps,
			[]string{"ip", "netns", "add", name},
			[]string{"ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", name},
			[]string{"ip", "link", "set", veth, "master", ns.bridge},
			[]string{"ip", "link", "set", veth, "up"},
			[]string{"ip", "-n", name, "addr", "add", ns.nodeIP(i) + "/24", "dev", "eth0"},
			[]string{"ip", "-n", name, "link", "set", "eth0", "up"},
			[]string{"ip", "-n", name, "link", "set", "lo", "up"},
		)
	}
	for _, s := range steps {
		if err := run(s...); err != nil {
			ns.teardown()
			return nil, err
		}
	}
	// Where Docker is installed, bridged frames pass through iptables'
	// FORWARD chain (br_netfilter) whose policy is DROP: let ours through.
	if _, err := exec.LookPath("iptables"); err == nil {
		_ = run("iptables", "-I", "FORWARD", "-i", ns.bridge, "-o", ns.bridge, "-j", "ACCEPT")
	}
	return ns, nil
}

func (ns *netns) name(i int) string   { return fmt.Sprintf("jc%d-n%d", ns.id, i) }
func (ns *netns) veth(i int) string   { return fmt.Sprintf("jc%dv%d", ns.id, i) }
func (ns *netns) nodeIP(i int) string { return fmt.Sprintf("10.213.%d.%d", ns.id, i+2) }

// cut takes node i off the network (up=false) or puts it back.
func (ns *netns) cut(i int, off bool) error {
	state := "up"
	if off {
		state = "down"
	}
	return run("ip", "link", "set", ns.veth(i), state)
}

func (ns *netns) teardown() {
	for i := 0; i < ns.n; i++ {
		_ = run("ip", "netns", "del", ns.name(i))
	}
	_ = run("ip", "link", "del", ns.bridge)
	if _, err := exec.LookPath("iptables"); err == nil {
		_ = run("iptables", "-D", "FORWARD", "-i", ns.bridge, "-o", ns.bridge, "-j", "ACCEPT")
	}
}

// Partition cuts the node off the network (it keeps running); Heal
// reconnects it. Only for networks started with Options.NetNS.
func (nd *Node) Partition() error {
	if nd.net.ns == nil {
		return fmt.Errorf("partition %s: the network was not started with NetNS", nd.Name)
	}
	if err := nd.net.ns.cut(nd.index, true); err != nil {
		return err
	}
	nd.mu.Lock()
	nd.partitioned = true
	nd.mu.Unlock()
	return nil
}

// Heal reconnects a partitioned node.
func (nd *Node) Heal() error {
	if nd.net.ns == nil {
		return fmt.Errorf("heal %s: the network was not started with NetNS", nd.Name)
	}
	if err := nd.net.ns.cut(nd.index, false); err != nil {
		return err
	}
	nd.mu.Lock()
	nd.partitioned = false
	nd.mu.Unlock()
	return nil
}
