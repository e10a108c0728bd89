// Package tui is zconn's terminal interface: the New Connection wizard and
// the Connections page.
package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

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
	// CheckKeychain, when set, is run at start (never before the first
	// frame): if it fails, the TUI shows why and offers the vault.
	CheckKeychain func(ctx context.Context) error
	// UseVault switches to the encrypted vault, or unlocks it, with the
	// passphrase; nil when no vault can be offered.
	UseVault func(ctx context.Context, passphrase string) error
	// UnlockVault asks for the vault's passphrase before anything else.
	UnlockVault bool
	// VaultPath is where the vault is; VaultExists whether it exists yet
	// (a new one asks for its passphrase twice).
	VaultPath   string
	VaultExists bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Getenv, Home and WorkDir are where the wizard looks for credentials
	// kept in plain text, to offer their import: the ZSCALER_* variables
	// read through Getenv, Home/.zscaler/zscaler.yaml and
	// WorkDir/zscaler.yaml (sdkconfig.Discover). A nil Getenv skips the
	// environment, an empty Home or WorkDir its file. Paths under Home,
	// such as VaultPath, are shown with ~.
	Getenv  func(string) string
	Home    string
	WorkDir string
}

// Run runs the TUI until the user quits. Loading the Connections page
// reads the metadata file only; the keychain is touched when an action
// needs a secret.
func Run(ctx context.Context, o Options) error {
	if o.Manager == nil {
		return errors.New("no connections store: this is a bug in zconn's wiring")
	}
	conns, err := o.Manager.Store.List()
	if err != nil {
		return err
	}
	c := newCommon(ctx, o)
	if o.Accessible {
		return runAccessible(ctx, c, conns, o)
	}
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if o.Input != nil {
		opts = append(opts, tea.WithInput(o.Input))
	}
	if o.Output != nil {
		opts = append(opts, tea.WithOutput(o.Output))
	}
	if o.Environ != nil {
		opts = append(opts, tea.WithEnvironment(o.Environ))
	}
	_, err = tea.NewProgram(newApp(c, conns, o), opts...).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("running the terminal interface: %w: run zconn in a terminal, or use its commands (zconn --help)", err)
	}
	return nil
}

func newCommon(ctx context.Context, o Options) *common {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	styles := NewStyles()
	getenv := o.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	return &common{ctx: ctx, mgr: o.Manager, styles: &styles, now: now, baseURL: o.BaseURL,
		places: places{getenv: getenv, home: o.Home, dir: o.WorkDir, look: o.Getenv != nil || o.Home != "" || o.WorkDir != ""}}
}

// stdout is where the accessible prompts write when no Output is given.
func stdout(o Options) io.Writer {
	if o.Output != nil {
		return o.Output
	}
	return os.Stdout
}
