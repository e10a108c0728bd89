package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/store"
	"github.com/zconn/zconn/zidentity"
)

// renameOptions are what zconn rename takes.
type renameOptions struct {
	f                *factory
	oldName, newName string
}

func newCmdRename(f *factory, runF func(context.Context, *renameOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:               "rename OLD NEW",
		Short:             "Rename a connection",
		Long:              `Rename a connection. Its secret stays where it is: keychain items are keyed by the connection's ID, which a rename does not change.`,
		Example:           `  zconn rename prod acme-prod`,
		Args:              args(2, 2),
		ValidArgsFunction: f.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			newName := strings.TrimSpace(a[1])
			if err := store.ValidateName(newName); err != nil {
				return usage(err)
			}
			return run(c.Context(), &renameOptions{f: f, oldName: a[0], newName: newName}, runF, renameRun)
		},
	}
}

// renameRun renames the connection.
func renameRun(ctx context.Context, opts *renameOptions) error {
	f := opts.f
	conn, err := f.resolve(opts.oldName)
	if err != nil {
		return err
	}
	m, err := f.manager(zidentity.DefaultTimeout)
	if err != nil {
		return err
	}
	saved, _, err := m.Edit(ctx, conn, manager.Changes{Name: &opts.newName})
	if err != nil {
		return err
	}
	say(f.sys.Stdout, "Renamed %s to %s.", conn.Name, saved.Name)
	return nil
}
