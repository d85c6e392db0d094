package nodetest_test

import (
	"fmt"
	"net"
	"net/url"
	"testing"

	"github.com/jcredit/jcredit/app/apptest"
	"github.com/jcredit/jcredit/node"
	"github.com/jcredit/jcredit/node/nodetest"
)

// TestStartRetriesOnTakenPort occupies the RPC or the p2p port a home is
// configured with (another process taking it between FreePort and the
// node's bind) and checks that Start moves the node to fresh ports, which
// it writes to config.toml, and the node commits blocks there.
func TestStartRetriesOnTakenPort(t *testing.T) {
	for _, which := range []string{"rpc", "p2p"} {
		t.Run(which, func(t *testing.T) {
			home := nodetest.NewHome(t, apptest.DefaultAccounts())
			c, err := node.LoadConfig(home)
			if err != nil {
				t.Fatal(err)
			}
			taken, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer taken.Close()
			addr := "tcp://" + taken.Addr().String()
			if which == "rpc" {
				c.RPC.ListenAddress = addr
			} else {
				c.P2P.ListenAddress = addr
			}
			if err := node.WriteConfig(c); err != nil {
				t.Fatal(err)
			}

			n := nodetest.Start(t, home) // reaches height 2, so it runs

			after, err := node.LoadConfig(home)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range []string{after.RPC.ListenAddress, after.P2P.ListenAddress, n.Config.RPC.ListenAddress, n.Config.P2P.ListenAddress} {
				if a == addr {
					t.Fatalf("the node is configured on the taken address %s", addr)
				}
			}
			if n.RPCAddress() != node.RPCURL(after.RPC.ListenAddress) {
				t.Fatalf("node RPC %s, config.toml %s", n.RPCAddress(), after.RPC.ListenAddress)
			}
			// The taken port is still the other listener's.
			u, err := url.Parse(addr)
			if err != nil {
				t.Fatal(err)
			}
			if l, err := net.Listen("tcp", u.Host); err == nil {
				l.Close()
				t.Fatalf("%s was free again during the test", u.Host)
			} else if !nodetest.AddrInUse(err) {
				t.Fatalf("listen on the taken port: %v", err)
			}
		})
	}
}

func TestAddrInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = net.Listen("tcp", l.Addr().String())
	for _, e := range []error{err, fmt.Errorf("start cometbft: %w", err), fmt.Errorf("failed to listen on %v: %v", l.Addr(), err)} {
		if !nodetest.AddrInUse(e) {
			t.Errorf("AddrInUse(%v) = false", e)
		}
	}
	for _, e := range []error{nil, fmt.Errorf("genesis: bad")} {
		if nodetest.AddrInUse(e) {
			t.Errorf("AddrInUse(%v) = true", e)
		}
	}
}
