package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/zidentity"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitNoExec  = 126
	exitNoFound = 127
)

// usageError is a command used wrongly: a wrong argument, an unknown flag,
// a bad flag value, a missing flag. It exits with 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usage marks err as a usage error.
func usage(err error) error {
	if err == nil {
		return nil
	}
	var u *usageError
	if errors.As(err, &u) {
		return err
	}
	return &usageError{err}
}

// usagef is a usage error with a formatted message.
func usagef(format string, args ...any) error { return usage(fmt.Errorf(format, args...)) }

// exitError ends zconn with a given code, as exec does with its child's; a
// nil err prints nothing.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitCode maps an error to zconn's exit code.
func exitCode(err error) int {
	var (
		u *usageError
		x *exitError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &x):
		return x.code
	case errors.As(err, &u), isCobraUsage(err):
		return exitUsage
	case zidentity.CategoryOf(err) == zidentity.UnknownCloud:
		// Nothing was sent: the command needs --allow-unknown-cloud, or
		// the connection a confirmation.
		return exitUsage
	}
	return exitFailed
}

// isCobraUsage recognises the usage errors that cobra makes itself (those
// of its own help and completion commands).
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, prefix := range []string{"flag needs an argument", "unknown flag", "unknown shorthand flag", "unknown command", "invalid argument", "accepts ", "requires at least", "required flag"} {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// printError writes err as one plain line, "zconn: message", or nothing
// for a silent exit.
func printError(w io.Writer, err error) {
	var x *exitError
	if err == nil || (errors.As(err, &x) && x.err == nil) {
		return
	}
	fmt.Fprintln(w, "zconn: "+safetext.Clean(hint(err), 0))
}

// failure keeps the one error of a run, so that it reaches the exit code
// and stderr without passing through fang's error path, which restyles
// messages and, on a terminal, queries its background colour first (seconds
// on a terminal that never answers).
type failure struct{ err error }

func (f *failure) set(err error) {
	if f.err == nil {
		f.err = err
	}
}

// capture makes every command of the tree hand its errors to f instead of
// returning them: argument validators, flag parsing and RunE.
func (f *failure) capture(root *cobra.Command) {
	onFlagError := root.FlagErrorFunc()
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		f.set(onFlagError(c, err))
		return nil
	})
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if args := c.Args; args != nil {
			c.Args = func(c *cobra.Command, a []string) error {
				f.set(args(c, a))
				return nil
			}
		}
		if run := c.RunE; run != nil {
			c.RunE = func(c *cobra.Command, a []string) error {
				if f.err != nil {
					return nil
				}
				f.set(run(c, a))
				return nil
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
