package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

func newRenameCmd(d *deps) *cobra.Command {
	return &cobra.Command{
		Use:   "rename OLD NEW",
		Short: "Rename a connection",
		Long: `Rename a connection. Its secret stays where it is: keychain items are
keyed by the connection's ID, which a rename does not change.`,
		Example:           `  zconn rename prod acme-prod`,
		Args:              args(2, 2),
		ValidArgsFunction: d.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			newName := strings.TrimSpace(a[1])
			if err := store.ValidateName(newName); err != nil {
				return usage(err)
			}
			conn, err := d.resolve(a[0])
			if err != nil {
				return err
			}
			m, err := d.manager(zidentity.DefaultTimeout)
			if err != nil {
				return err
			}
			saved, _, err := m.Edit(c.Context(), conn, manager.Changes{Name: &newName})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(d.o.Stdout, "Renamed %s to %s.\n", safetext.Clean(conn.Name, 0), safetext.Clean(saved.Name, 0))
			return err
		},
	}
}
