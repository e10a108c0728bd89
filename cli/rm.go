package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/zidentity"
)

func newRmCmd(d *deps) *cobra.Command {
	var yes bool
	c := &cobra.Command{
		Use:   "rm NAME",
		Short: "Remove a connection and its secret",
		Long: `Remove a connection: its secret from the keychain, then its metadata. On a
terminal zconn asks first; elsewhere --yes is required. The API client itself
stays in ZIdentity: deactivate it in Integration > API Clients if it is no
longer needed.`,
		Example:           `  zconn rm old-lab --yes`,
		Args:              args(1, 1),
		ValidArgsFunction: d.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			conn, err := d.resolve(a[0])
			if err != nil {
				return err
			}
			if !yes {
				if !d.o.stdinIsTerminal() {
					return usagef("standard input is not a terminal, so zconn cannot ask: add --yes to remove %s", manager.ShellArg(conn.Name))
				}
				ok, err := d.confirm(fmt.Sprintf("Remove %s (%s, client ID %s) and its secret? [y/N] ",
					safetext.Clean(conn.Name, 0), manager.Tenant(conn).Host(), safetext.Clean(conn.ClientID, 0)))
				if err != nil {
					return err
				}
				if !ok {
					return errors.New("nothing was removed")
				}
			}
			m, err := d.manager(zidentity.DefaultTimeout)
			if err != nil {
				return err
			}
			sec, err := d.openSecrets(c.Context())
			if err != nil {
				return err
			}
			if err := m.Delete(c.Context(), conn); err != nil {
				return fmt.Errorf("removing %s: %w", manager.ShellArg(conn.Name), err)
			}
			fmt.Fprintf(d.o.Stdout, "Removed %s and its secret from the %s.\n", safetext.Clean(conn.Name, 0), sec.Backend())
			if conn.Default {
				if rest, err := m.Store.List(); err == nil && len(rest) > 1 {
					fmt.Fprintln(d.o.Stdout, "There is no default connection now: choose one with zconn use NAME.")
				}
			}
			return nil
		},
	}
	c.Flags().BoolVarP(&yes, "yes", "y", false, "remove without asking")
	return c
}

// confirm asks a yes/no question on the terminal; only y or yes agree.
func (d *deps) confirm(question string) (bool, error) {
	fmt.Fprint(d.o.Stderr, question)
	line, err := bufio.NewReader(d.o.Stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(d.o.Stderr)
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}
