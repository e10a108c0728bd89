package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// envConnection names the connection that commands whose NAME is optional
// use; zconn exec sets it for its command, and people may set it too (in
// a shell, or per folder with direnv).
const envConnection = "ZCONN_CONNECTION"

// envExec marks a command that zconn exec runs, with the connection's
// name: zconn exec refuses to run where it is set. It is apart from
// envConnection, which people set themselves.
const envExec = "ZCONN_EXEC"

// execOptions are what zconn exec takes, its flags resolved.
type execOptions struct {
	f    *factory
	name string
	// argv is the command to run and its arguments.
	argv  []string
	force bool
}

func newCmdExec(f *factory, runF func(context.Context, *execOptions) error) *cobra.Command {
	var force bool
	c := &cobra.Command{
		Use:   "exec [NAME] -- CMD [ARGS...]",
		Short: "Run a command with a connection's ZSCALER_* variables",
		Long:  `Run CMD with ZSCALER_CLIENT_ID, ZSCALER_CLIENT_SECRET (or, for a private-key client, ZSCALER_PRIVATE_KEY as PEM), ZSCALER_VANITY_DOMAIN and ZSCALER_CLOUD (unset for production) set for a saved connection, with the ZPA and partner IDs it has (ZPA_CUSTOMER_ID and ZSCALER_CUSTOMER_ID, ZPA_MICROTENANT_ID and ZSCALER_MICROTENANT_ID, ZSCALER_PARTNER_ID), ZCONN_SECRET_EXPIRES (the secret's expiry date, YYYY-MM-DD, when it is known), and ZCONN_CONNECTION and ZCONN_EXEC set to its name: zconn run by CMD uses the connection, and zconn exec refuses to run inside another unless --force is given. Any ZSCALER_* and ZPA_* variables zconn inherited are removed first, and so is ZCONN_PASSPHRASE: a zconn run by CMD that needs the vault asks for the passphrase again, or is given it explicitly. Signals are passed on to CMD, and zconn exits with CMD's exit code. The secret or key is in CMD's environment only, never on a command line.`,
		Example: `  zconn exec prod -- terraform plan
  zconn exec -- python sync_users.py`,
		Args:              execArgs,
		ValidArgsFunction: f.completeExec,
		RunE: func(c *cobra.Command, a []string) error {
			dash := c.ArgsLenAtDash()
			opts := &execOptions{f: f, name: nameArg(a[:dash]), argv: a[dash:], force: force}
			return run(c.Context(), opts, runF, execRun)
		},
	}
	c.Flags().BoolVar(&force, "force", false, "run even inside another zconn exec, replacing its variables")
	return c
}

// execArgs checks the shape [NAME] -- CMD [ARGS...].
func execArgs(c *cobra.Command, a []string) error {
	dash := c.ArgsLenAtDash()
	switch {
	case dash < 0:
		return usagef("put -- before the command: usage is %s", useLine(c))
	case dash > 1:
		return usagef("give at most one connection name before --: usage is %s", useLine(c))
	case len(a) == dash:
		return usagef("give the command to run after --: usage is %s", useLine(c))
	}
	return nil
}

// completeExec completes the connection name that may come first, and
// leaves the command after -- to the shell, which also takes over when no
// name matches. (Cobra does not tell a completion function where -- was.)
func (f *factory) completeExec(_ *cobra.Command, a []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(a) > 0 {
		return nil, cobra.ShellCompDirectiveDefault
	}
	return f.names(toComplete), cobra.ShellCompDirectiveDefault
}

// execRun runs the command with the connection's variables.
func execRun(ctx context.Context, opts *execOptions) error {
	f := opts.f
	if outer := f.sys.Getenv(envExec); outer != "" && !opts.force {
		return usagef("already inside zconn exec for %s (%s is set): run the command directly, or add --force to replace its variables", shellArg(outer), envExec)
	}
	conn, cr, err := f.credentialsOf(ctx, opts.name)
	if err != nil {
		return err
	}
	f.noteAudience(conn, true)
	cmd := exec.Command(opts.argv[0], opts.argv[1:]...) //nolint:gosec // G204: running the user's command is what exec is for.
	if cmd.Err != nil {
		return startError(opts.argv[0], cmd.Err)
	}
	cmd.Env = childEnv(f.sys.Environ(), conn, cr)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = f.sys.Stdin, f.sys.Stdout, f.sys.Stderr
	return f.runChild(cmd)
}

// childEnv returns env without any ZSCALER_* or ZPA_* variable, nor any
// other of sdkVars, nor an outer ZCONN_CONNECTION or ZCONN_EXEC, plus the
// connection's variables, ZCONN_CONNECTION (so that zconn run by the
// command uses the connection) and ZCONN_EXEC.
func childEnv(env []string, c store.Connection, cr zidentity.Credentials) []string {
	out := make([]string, 0, len(env)+len(sdkVars)+2)
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		upper := strings.ToUpper(name)
		// The vault's passphrase opens every secret, not just this
		// connection's: it never reaches the child.
		if strings.HasPrefix(upper, "ZSCALER_") || strings.HasPrefix(upper, "ZPA_") || managed(upper) ||
			upper == envConnection || upper == envExec || upper == "ZCONN_PASSPHRASE" {
			continue
		}
		out = append(out, kv)
	}
	for _, v := range connectionEnv(c, cr) {
		if !v.unset {
			out = append(out, v.name+"="+v.value)
		}
	}
	return append(out, envConnection+"="+c.Name, envExec+"="+c.Name)
}

// managed reports whether a variable, by its upper-case name, is one of
// sdkVars.
func managed(upper string) bool {
	for _, v := range sdkVars {
		if v.name == upper {
			return true
		}
	}
	return false
}

// runChild starts cmd, relays signals to it until it ends, and returns its exit
// code as an *exitError (nil for 0).
func (f *factory) runChild(cmd *exec.Cmd) error {
	sigc := make(chan os.Signal, 16)
	stop := f.sys.Signals(sigc, relayedSignals()...)
	defer stop()
	if err := cmd.Start(); err != nil {
		return startError(cmd.Args[0], err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case sig := <-sigc:
			if relay(sig) {
				_ = cmd.Process.Signal(sig)
			}
		case err := <-done:
			var exitErr *exec.ExitError
			if err != nil && !errors.As(err, &exitErr) {
				return fmt.Errorf("waiting for %s: %w: run it again, or without zconn exec to see what it does", safetext.Clean(cmd.Args[0], 0), err)
			}
			if code := exitStatus(cmd.ProcessState); code != 0 {
				return &exitError{code: code}
			}
			return nil
		}
	}
}

// startError explains a command that could not start, with the exit code a
// shell would give: 127 when it is not found, 126 when it cannot run.
func startError(name string, err error) error {
	name = safetext.Clean(name, 0)
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return &exitError{code: exitNoFound, err: fmt.Errorf("cannot run %s: no such command in PATH: check its name, or give its full path", name)}
	case errors.Is(err, exec.ErrDot):
		return &exitError{code: exitNoFound, err: fmt.Errorf("cannot run %s: it was found only in the current folder: give it as ./%s", name, name)}
	case errors.Is(err, os.ErrNotExist):
		return &exitError{code: exitNoFound, err: fmt.Errorf("cannot run %s: no such file: check the path", name)}
	case errors.Is(err, os.ErrPermission):
		return &exitError{code: exitNoExec, err: fmt.Errorf("cannot run %s: permission denied: check that it is an executable file", name)}
	}
	return &exitError{code: exitNoExec, err: fmt.Errorf("cannot run %s: %s", name, safetext.Clean(err.Error(), 200))}
}
