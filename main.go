// Command zconn creates, verifies and manages ZIdentity API connections.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/zconn/zconn/cli"
	"github.com/zconn/zconn/tui"
)

func main() {
	os.Exit(cli.Execute(context.Background(), cli.Options{
		Args:         os.Args[1:],
		Stdin:        os.Stdin,
		Stdout:       os.Stdout,
		Stderr:       os.Stderr,
		Getenv:       os.Getenv,
		Environ:      os.Environ,
		Now:          time.Now,
		IsTerminal:   term.IsTerminal,
		ReadPassword: term.ReadPassword,
		RunTUI:       tui.Run,
		Signals: func(c chan<- os.Signal, sig ...os.Signal) func() {
			signal.Notify(c, sig...)
			return func() { signal.Stop(c) }
		},
		BuildInfo: debug.ReadBuildInfo,
		// HTTPClient and Secrets stay nil: zconn's own HTTP client and the OS
		// keychain, each built only by the commands that need them.
	}))
}
