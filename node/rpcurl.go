package node

import "strings"

// RPCURL turns a CometBFT listen address into a URL a local client can
// dial: the scheme becomes http and an unspecified host becomes loopback.
func RPCURL(laddr string) string {
	addr := laddr
	if i := strings.Index(addr, "://"); i >= 0 {
		addr = addr[i+3:]
	}
	host, port := addr, ""
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		host, port = addr[:i], addr[i:]
	}
	if host == "" || host == "0.0.0.0" || host == "[::]" {
		host = "127.0.0.1"
	}
	return "http://" + host + port
}
