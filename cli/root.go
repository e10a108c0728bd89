package cli

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/tui"
	"github.com/zconn/zconn/zidentity"
)

// Execute runs zconn with sys.Args and returns the exit code: 0 on
// success, 1 when the operation failed, 2 when the command was used
// wrongly (and, for exec, the child's code). Errors go to sys.Stderr as
// one line. The nil fields of sys are filled with the real things here,
// once.
func Execute(ctx context.Context, sys System) int {
	sys = sys.withDefaults()
	root := newRoot(newFactory(sys))
	var fl failure
	fl.capture(root)
	err := fang.Execute(ctx, root,
		fang.WithVersion(Version(sys.BuildInfo)),
		fang.WithErrorHandler(func(w io.Writer, _ fang.Styles, err error) { printError(w, err) }),
	)
	if err == nil && fl.err != nil {
		err = fl.err
		printError(sys.Stderr, err)
	}
	if err != nil {
		failEnv(root, sys)
	}
	return exitCode(err)
}

// failEnv, when the command that failed is env, prints env's failure
// statements (see envFailure): its output is meant for eval, which must
// fail too. Usage errors count, such as a wrong flag, which stop env
// before it runs.
func failEnv(root *cobra.Command, sys System) {
	c, _, err := root.Find(sys.Args)
	if err != nil || c.Parent() != root || c.Name() != "env" {
		return
	}
	// The flags may not have been parsed (a wrong flag before --shell),
	// so --shell is read from the arguments, the last one winning.
	shell := defaultShell
	for i, a := range sys.Args {
		switch {
		case a == "--shell" && i+1 < len(sys.Args):
			shell = sys.Args[i+1]
		case strings.HasPrefix(a, "--shell="):
			shell = strings.TrimPrefix(a, "--shell=")
		}
	}
	_, _ = io.WriteString(sys.Stdout, envFailure(shell))
}

// newRoot builds the zconn command and its subcommands over f. Running it
// returns the commands' errors, usage errors marked as such; Execute prints
// them and turns them into exit codes.
func newRoot(f *factory) *cobra.Command {
	root := newCmdTUI(f, nil)
	root.SetArgs(f.sys.Args)
	root.SetIn(f.sys.Stdin)
	root.SetOut(f.sys.Stdout)
	root.SetErr(f.sys.Stderr)
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(
		newCmdNew(f, nil),
		newCmdList(f, nil),
		newCmdAdd(f, nil),
		newCmdImport(f, nil),
		newCmdTest(f, nil),
		newCmdToken(f, nil),
		newCmdEnv(f, nil),
		newCmdExec(f, nil),
		newCmdRm(f, nil),
		newCmdUse(f, nil),
		newCmdRename(f, nil),
		newCmdEdit(f, nil),
		newCmdDoctor(f, nil),
		newCmdSecrets(f, nil),
	)
	root.PersistentFlags().StringVar(&f.secretsFlag, "secrets", "", "where secrets are kept: keychain or file (an encrypted vault); remembered")
	return root
}

// tuiOptions are what opening the terminal interface takes.
type tuiOptions struct {
	f *factory
	// wizard opens the New Connection wizard first.
	wizard bool
}

// newCmdTUI is zconn itself: the terminal interface on the Connections
// page.
func newCmdTUI(f *factory, runF func(context.Context, *tuiOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "zconn",
		Short: "Create, verify and manage ZIdentity API connections",
		Long:  `zconn creates, verifies and manages ZIdentity API connections: named sets of API client credentials proven by fetching a token. Secrets live in the OS keychain. Run zconn alone for the interactive app, or use the commands below in scripts.`,
		Example: `  zconn                       # the Connections page
  zconn new                   # the New Connection wizard
  zconn list
  printf %s "$SECRET" | zconn add --name prod --tenant acme --client-id ID
  zconn exec prod -- terraform plan`,
		Args: args(0, 0),
		RunE: func(c *cobra.Command, _ []string) error {
			return run(c.Context(), &tuiOptions{f: f}, runF, tuiRun)
		},
	}
}

// newCmdNew is zconn new: the terminal interface on the wizard.
func newCmdNew(f *factory, runF func(context.Context, *tuiOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "new",
		Short: "Open the New Connection wizard",
		Args:  args(0, 0),
		RunE: func(c *cobra.Command, _ []string) error {
			return run(c.Context(), &tuiOptions{f: f, wizard: true}, runF, tuiRun)
		},
	}
}

// run calls runF when a test gave one, else the command's own run.
func run[O any](ctx context.Context, opts *O, runF, own func(context.Context, *O) error) error {
	if runF != nil {
		return runF(ctx, opts)
	}
	return own(ctx, opts)
}

// runNamed returns the RunE of a command that takes an optional NAME and
// --timeout: it refuses a timeout that is not positive, puts the NAME
// given, if any, into *name, and runs the command.
func runNamed[O any](opts *O, name *string, timeout *time.Duration, runF, own func(context.Context, *O) error) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, a []string) error {
		if err := checkTimeout(*timeout); err != nil {
			return err
		}
		*name = nameArg(a)
		return run(c.Context(), opts, runF, own)
	}
}

// tuiRun opens the terminal interface, with the wizard first when asked.
func tuiRun(ctx context.Context, opts *tuiOptions) error {
	f := opts.f
	f.ownNotices = true
	if _, err := f.store(); err != nil {
		return err
	}
	base, err := f.baseURL()
	if err != nil {
		return err
	}
	m, err := f.verifying(zidentity.DefaultTimeout)
	if err != nil {
		return err
	}
	var problem error
	if _, err := f.secrets.get(ctx); err != nil {
		if exitCode(err) == exitUsage {
			return err
		}
		problem = err
	}
	// Where the wizard looks for credentials kept in plain text to offer
	// their import, as zconn import does.
	cwd, _ := f.sys.Getwd()
	o := tui.Options{
		Manager:        m,
		Wizard:         opts.wizard,
		Accessible:     accessible(f.sys.Getenv),
		Input:          f.sys.Stdin,
		Output:         f.sys.Stdout,
		Environ:        f.sys.Environ(),
		Notices:        f.notices,
		BaseURL:        base,
		SecretsProblem: problem,
		Now:            f.sys.Now,
		Getenv:         f.sys.Getenv,
		Home:           f.homeDir(),
		WorkDir:        cwd,
	}
	if err := f.vaultOptions(&o); err != nil {
		return err
	}
	return f.sys.RunTUI(ctx, o)
}

// vaultOptions tells the TUI about the encrypted vault: to unlock it first
// when it is the chosen backend and ZCONN_PASSPHRASE is not set, or, when
// zconn chose the keychain itself, to check the keychain and offer the
// vault if it does not answer.
func (f *factory) vaultOptions(o *tui.Options) error {
	choice, err := f.chooseBackend()
	if err != nil {
		return err
	}
	st, err := f.store()
	if err != nil {
		return err
	}
	// While the TUI owns the terminal, the vault cannot prompt: the TUI
	// asks for the passphrase and hands it over.
	v := f.newVault(st, func(context.Context, bool) (string, error) {
		return "", errors.New("the encrypted vault is locked: restart zconn and type its passphrase")
	})
	o.VaultPath, o.VaultExists = v.Path(), v.Exists()
	o.UseVault = func(ctx context.Context, passphrase string) error {
		v.SetPassphrase(passphrase)
		if err := v.Open(ctx); err != nil {
			return err
		}
		f.secrets.replace(v)
		return f.remember(ctx, backendFile)
	}
	switch {
	case choice.name == backendFile:
		f.secrets.replace(v)
		o.UnlockVault = f.sys.Getenv("ZCONN_PASSPHRASE") == ""
	case choice.from == "":
		o.CheckKeychain = func(ctx context.Context) error {
			sec, err := f.sys.Secrets(ctx)
			if err != nil {
				return err
			}
			return store.Probe(ctx, sec)
		}
	}
	return nil
}

// accessible reports whether the wizard should run as plain prompts.
func accessible(getenv func(string) string) bool {
	on, _ := strconv.ParseBool(getenv("ZCONN_ACCESSIBLE"))
	return on || getenv("TERM") == "dumb"
}
