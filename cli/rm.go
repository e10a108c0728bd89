package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// rmOptions are what zconn rm takes, its flags resolved.
type rmOptions struct {
	f    *factory
	name string
	// yes removes without asking.
	yes bool
}

func newCmdRm(f *factory, runF func(context.Context, *rmOptions) error) *cobra.Command {
	opts := &rmOptions{f: f}
	c := &cobra.Command{
		Use:               "rm NAME",
		Short:             "Remove a connection and its secret",
		Long:              `Remove a connection: its secret from the keychain, then its metadata. On a terminal zconn asks first; elsewhere --yes is required. The API client itself stays in ZIdentity: deactivate it in Integration > API Clients if it is no longer needed.`,
		Example:           `  zconn rm old-lab --yes`,
		Args:              args(1, 1),
		ValidArgsFunction: f.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			opts.name = a[0]
			return run(c.Context(), opts, runF, rmRun)
		},
	}
	c.Flags().BoolVarP(&opts.yes, "yes", "y", false, "remove without asking")
	return c
}

// rmRun asks, unless told not to, then removes the connection.
func rmRun(ctx context.Context, opts *rmOptions) error {
	f := opts.f
	st, err := f.store()
	if err != nil {
		return err
	}
	before, err := st.List()
	if err != nil {
		return err
	}
	conn, err := f.resolve(opts.name)
	if err != nil {
		return err
	}
	if !opts.yes {
		if !f.sys.stdinIsTerminal() {
			return usagef("standard input is not a terminal, so zconn cannot ask: add --yes to remove %s", shellArg(conn.Name))
		}
		if !f.confirm(fmt.Sprintf("Remove %s (%s, client ID %s) and its secret? [y/N] ",
			safetext.Clean(conn.Name, 0), safetext.Clean(manager.Tenant(conn).Host(), 0), safetext.Clean(conn.ClientID, 0))) {
			return errors.New("nothing was removed")
		}
	}
	m, err := f.manager(zidentity.DefaultTimeout)
	if err != nil {
		return err
	}
	sec, err := f.openSecrets(ctx)
	if err != nil {
		return err
	}
	if err := m.Delete(ctx, conn); err != nil {
		return fmt.Errorf("removing %s: %w", shellArg(conn.Name), err)
	}
	say(f.sys.Stdout, "Removed %s and its secret from the %s.", conn.Name, sec.Backend())
	if i := store.DefaultIndex(before); i >= 0 && before[i].ID == conn.ID {
		if rest, err := st.List(); err == nil && store.DefaultIndex(rest) < 0 && len(rest) > 0 {
			fmt.Fprintln(f.sys.Stdout, "There is no default connection now: choose one with zconn use NAME.")
		}
	}
	return nil
}

// confirm asks a yes/no question on the terminal; only y or yes agree.
func (f *factory) confirm(question string) bool {
	fmt.Fprint(f.sys.Stderr, question)
	line, err := f.stdinLines().ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(f.sys.Stderr)
		return false
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}

// stdinLines returns the one reader of the answers typed at the terminal,
// so that a second question reads what was typed after the first.
func (f *factory) stdinLines() *bufio.Reader {
	if f.answers == nil {
		f.answers = bufio.NewReader(f.sys.Stdin)
	}
	return f.answers
}
