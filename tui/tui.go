// Package tui is zconn's terminal interface: the New Connection wizard and
// the Connections page.
package tui

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/zconn/zconn/manager"
)

// Options are what the TUI needs from its caller.
type Options struct {
	Manager *manager.Manager
	// Wizard opens the New Connection wizard first (zconn new).
	Wizard bool
	// Accessible runs the wizard as plain prompts (ZCONN_ACCESSIBLE=1 or
	// TERM=dumb).
	Accessible bool
	// Input and Output default to the terminal.
	Input  io.Reader
	Output io.Writer
	// Environ is the environment, for colour detection (NO_COLOR).
	Environ []string
	// Notices are shown once on start, such as tightened permissions.
	Notices []string
	// BaseURL is ZCONN_ZIDENTITY_URL when set; the TUI says so visibly.
	BaseURL string
	// SecretsProblem is why the OS keychain cannot be used, when it cannot;
	// the TUI shows it and offers the encrypted vault.
	SecretsProblem error
	// UseVault switches to the encrypted vault with the passphrase; nil
	// when no vault can be offered.
	UseVault func(ctx context.Context, passphrase string) error
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Run runs the TUI until the user quits.
func Run(ctx context.Context, o Options) error {
	return errors.New("the terminal interface is not available in this build")
}
