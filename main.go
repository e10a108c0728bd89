// Command zconn creates, verifies and manages ZIdentity API connections.
package main

import (
	"context"
	"os"

	"github.com/zconn/zconn/cli"
)

func main() {
	// Every field of cli.System left zero is the real thing: the process's
	// arguments, streams and environment, the clock, the OS keychain, the
	// terminal and the terminal interface.
	os.Exit(cli.Execute(context.Background(), cli.System{}))
}
