package cli

import (
	"context"
	"errors"
	"io"
	"strconv"

	"charm.land/fang/v2"
	"github.com/spf13/cobra"

	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/tui"
	"github.com/zconn/zconn/zidentity"
)

// Execute runs zconn with o.Args and returns the exit code: 0 on success,
// 1 when the operation failed, 2 when the command was used wrongly (and,
// for exec, the child's code). Errors go to o.Stderr as one line.
func Execute(ctx context.Context, o Options) int {
	o = o.withDefaults()
	root := NewRoot(o)
	var f failure
	f.capture(root)
	err := fang.Execute(ctx, root,
		fang.WithVersion(Version(o.BuildInfo)),
		fang.WithErrorHandler(func(w io.Writer, _ fang.Styles, err error) { printError(w, err) }),
	)
	if err == nil && f.err != nil {
		err = f.err
		printError(o.Stderr, err)
	}
	return exitCode(err)
}

// NewRoot builds the zconn command and its subcommands over o. Running it
// returns the commands' errors, usage errors marked as such; Execute prints
// them and turns them into exit codes.
func NewRoot(o Options) *cobra.Command {
	o = o.withDefaults()
	d := newDeps(o)
	root := &cobra.Command{
		Use:   "zconn",
		Short: "Create, verify and manage ZIdentity API connections",
		Long: `zconn creates, verifies and manages ZIdentity API connections: named sets of
API client credentials proven by fetching a token. Secrets live in the OS
keychain. Run zconn alone for the interactive app, or use the commands below
in scripts.`,
		Example: `  zconn                       # the Connections page
  zconn new                   # the New Connection wizard
  zconn list
  printf %s "$SECRET" | zconn add --name prod --tenant acme --client-id ID
  zconn exec prod -- terraform plan`,
		Args: args(0, 0),
		RunE: func(c *cobra.Command, _ []string) error { return d.runTUI(c.Context(), false) },
	}
	root.SetArgs(o.Args)
	root.SetIn(o.Stdin)
	root.SetOut(o.Stdout)
	root.SetErr(o.Stderr)
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(
		&cobra.Command{
			Use:   "new",
			Short: "Open the New Connection wizard",
			Args:  args(0, 0),
			RunE:  func(c *cobra.Command, _ []string) error { return d.runTUI(c.Context(), true) },
		},
		newListCmd(d),
		newAddCmd(d),
		newTestCmd(d),
		newTokenCmd(d),
		newEnvCmd(d),
		newExecCmd(d),
		newRmCmd(d),
		newUseCmd(d),
		newRenameCmd(d),
		newEditCmd(d),
		newDoctorCmd(d),
		newSecretsCmd(d),
	)
	root.PersistentFlags().StringVar(&d.secretsFlag, "secrets", "", "where secrets are kept: keychain or file (an encrypted vault); remembered")
	return root
}

// runTUI opens the terminal interface, with the wizard first when asked.
func (d *deps) runTUI(ctx context.Context, wizard bool) error {
	d.ownNotices = true
	_, err := d.store()
	if err != nil {
		return err
	}
	base, err := d.baseURL()
	if err != nil {
		return err
	}
	m, err := d.verifying(zidentity.DefaultTimeout)
	if err != nil {
		return err
	}
	var problem error
	if _, err := d.secrets.get(ctx); err != nil {
		if exitCode(err) == exitUsage {
			return err
		}
		problem = err
	}
	o := tui.Options{
		Manager:        m,
		Wizard:         wizard,
		Accessible:     accessible(d.o.Getenv),
		Input:          d.o.Stdin,
		Output:         d.o.Stdout,
		Environ:        d.o.Environ(),
		Notices:        d.notices,
		BaseURL:        base,
		SecretsProblem: problem,
		Now:            d.o.Now,
	}
	if err := d.vaultOptions(&o); err != nil {
		return err
	}
	return d.o.RunTUI(ctx, o)
}

// vaultOptions tells the TUI about the encrypted vault: to unlock it first
// when it is the chosen backend and ZCONN_PASSPHRASE is not set, or, when
// zconn chose the keychain itself, to check the keychain and offer the
// vault if it does not answer.
func (d *deps) vaultOptions(o *tui.Options) error {
	choice, err := d.chooseBackend()
	if err != nil {
		return err
	}
	st, err := d.store()
	if err != nil {
		return err
	}
	// While the TUI owns the terminal, the vault cannot prompt: the TUI
	// asks for the passphrase and hands it over.
	v := store.NewVault(st, func(context.Context, bool) (string, error) {
		if p := d.o.Getenv("ZCONN_PASSPHRASE"); p != "" {
			return p, nil
		}
		return "", errors.New("the encrypted vault is locked: restart zconn and type its passphrase")
	})
	v.WorkFactor = d.o.VaultWorkFactor
	o.VaultPath, o.VaultExists = v.Path(), v.Exists()
	o.UseVault = func(ctx context.Context, passphrase string) error {
		v.SetPassphrase(passphrase)
		if err := v.Open(ctx); err != nil {
			return err
		}
		d.secrets.replace(v)
		return d.remember(ctx, backendFile)
	}
	switch {
	case choice.name == backendFile:
		d.secrets.replace(v)
		o.UnlockVault = d.o.Getenv("ZCONN_PASSPHRASE") == ""
	case choice.from == "":
		o.CheckKeychain = func(ctx context.Context) error {
			sec, err := d.o.Secrets(ctx)
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
