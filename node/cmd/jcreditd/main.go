// Command jcreditd runs a jcredit node and is its command-line client.
// Everything lives in package node/cli; see `jcreditd --help`.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/jcredit/jcredit/node/cli"
)

func main() {
	if err := cli.NewRootCmd().ExecuteContext(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}
