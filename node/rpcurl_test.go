package node

import "testing"

func TestRPCURL(t *testing.T) {
	for in, want := range map[string]string{
		"tcp://127.0.0.1:26657": "http://127.0.0.1:26657",
		"tcp://0.0.0.0:26657":   "http://127.0.0.1:26657",
		"tcp://[::]:26657":      "http://127.0.0.1:26657",
		"tcp://10.0.0.5:1234":   "http://10.0.0.5:1234",
	} {
		if got := RPCURL(in); got != want {
			t.Errorf("RPCURL(%q) = %q, want %q", in, got, want)
		}
	}
}
