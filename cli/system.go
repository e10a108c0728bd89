package cli

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/signal"
	"reflect"
	"runtime/debug"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/zconn/zconn/internal/termecho"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/tui"
)

// System is what the commands take from the world outside: the standard
// streams, the environment, the clock, the keychain, the terminal and the
// terminal interface. A nil field means the real thing (os.Stdin,
// os.Getenv, the OS keychain, ...); tests set every one.
type System struct {
	// Args are the arguments after the program's name; nil means
	// os.Args[1:].
	Args []string

	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	Getenv  func(string) string
	Environ func() []string
	// Now is the clock.
	Now func() time.Time
	// Getwd returns the working folder, where import looks for
	// ./zscaler.yaml and ./.envrc.
	Getwd func() (string, error)

	// HTTPClient makes every request to ZIdentity; nil means
	// zidentity.NewHTTPClient(), built by the first command that needs it.
	HTTPClient *http.Client
	// Secrets opens the OS keychain; nil means the real one, with
	// ZCONN_KEYCHAIN_TIMEOUT bounding each call. Only commands that read or
	// write a secret call it, and only when the keychain is the chosen
	// secrets backend (see zconn secrets).
	Secrets func(ctx context.Context) (store.Secrets, error)
	// VaultWorkFactor is the scrypt work factor of the encrypted vault's
	// writes; zero means store.DefaultVaultWorkFactor. Tests lower it.
	VaultWorkFactor int

	// IsTerminal reports whether a file descriptor of Stdin or Stdout is a
	// terminal; only readers and writers with an Fd method are asked.
	IsTerminal func(fd uintptr) bool
	// TerminalSize returns the width and height of the terminal behind a
	// file descriptor, which tables on Stdout fit.
	TerminalSize func(fd uintptr) (width, height int, err error)
	// EchoOff turns off the echo of the terminal fd until restore is
	// called. It runs before a prompt for a secret, a passphrase or a
	// private key is written, so that nothing typed once the prompt shows
	// is echoed, however soon it is typed.
	EchoOff func(fd uintptr) (restore func(), err error)
	// ReadPassword reads a line typed at the terminal fd, whose echo
	// EchoOff has turned off.
	ReadPassword func(fd uintptr) ([]byte, error)
	// ReadKey reads a private key pasted at the terminal, whose echo
	// EchoOff has turned off, over several lines, without showing it,
	// until Ctrl-D.
	ReadKey func(fd uintptr) ([]byte, error)

	// RunTUI runs the terminal interface; nil means tui.Run.
	RunTUI func(ctx context.Context, o tui.Options) error
	// Signals delivers the signals sig to c, as signal.Notify does, until
	// the returned stop is called. exec relays them to its child.
	Signals func(c chan<- os.Signal, sig ...os.Signal) (stop func())
	// BuildInfo describes the build, for --version; nil means
	// debug.ReadBuildInfo.
	BuildInfo func() (*debug.BuildInfo, bool)
}

// withDefaults fills the nil fields with the real things.
func (o System) withDefaults() System {
	orReal(&o.Args, os.Args[1:])
	orReal[io.Reader](&o.Stdin, os.Stdin)
	orReal[io.Writer](&o.Stdout, os.Stdout)
	orReal[io.Writer](&o.Stderr, os.Stderr)
	orReal(&o.Getenv, os.Getenv)
	orReal(&o.Environ, os.Environ)
	orReal(&o.Now, time.Now)
	orReal(&o.Getwd, os.Getwd)
	getenv := o.Getenv
	orReal(&o.Secrets, func(context.Context) (store.Secrets, error) { return openKeychain(getenv) })
	orReal(&o.IsTerminal, term.IsTerminal)
	orReal(&o.TerminalSize, term.GetSize)
	orReal(&o.EchoOff, termecho.Off)
	orReal(&o.ReadPassword, readTerminalLine)
	orReal(&o.ReadKey, readHiddenText)
	orReal(&o.RunTUI, tui.Run)
	orReal(&o.Signals, func(c chan<- os.Signal, sig ...os.Signal) func() {
		signal.Notify(c, sig...)
		return func() { signal.Stop(c) }
	})
	orReal(&o.BuildInfo, debug.ReadBuildInfo)
	return o
}

// orReal sets a field of System that was left nil (a func, interface or
// slice) to the real thing.
func orReal[T any](field *T, real T) {
	if reflect.ValueOf(field).Elem().IsNil() {
		*field = real
	}
}

// fdOf returns the file descriptor behind a reader or writer, if it has
// one.
func fdOf(v any) (uintptr, bool) {
	f, ok := v.(interface{ Fd() uintptr })
	if !ok {
		return 0, false
	}
	return f.Fd(), true
}

// stdinIsTerminal reports whether standard input is a terminal.
func (o System) stdinIsTerminal() bool {
	fd, ok := fdOf(o.Stdin)
	return ok && o.IsTerminal(fd)
}

// stdoutIsTerminal reports whether standard output is a terminal.
func (o System) stdoutIsTerminal() bool {
	fd, ok := fdOf(o.Stdout)
	return ok && o.IsTerminal(fd)
}

// defaultWidth is the width assumed for a terminal whose size cannot be
// read.
const defaultWidth = 80

// stdoutWidth returns the width of the terminal that standard output is,
// or 0 when it is not one. It asks the terminal, as gh does, rather than
// COLUMNS, which shells seldom export and which goes stale when the window
// is resized.
func (o System) stdoutWidth() int {
	fd, ok := fdOf(o.Stdout)
	if !ok || !o.IsTerminal(fd) {
		return 0
	}
	if w, _, err := o.TerminalSize(fd); err == nil && w > 0 {
		return w
	}
	return defaultWidth
}
