package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
)

func newUseCmd(d *deps) *cobra.Command {
	return &cobra.Command{
		Use:   "use NAME",
		Short: "Make a connection the default",
		Long: `Make NAME the default connection: the one that test, token, env, exec and
doctor use when no name is given.`,
		Example:           `  zconn use prod`,
		Args:              args(1, 1),
		ValidArgsFunction: d.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			conn, err := d.resolve(a[0])
			if err != nil {
				return err
			}
			st, err := d.store()
			if err != nil {
				return err
			}
			if _, err := st.SetDefault(c.Context(), conn.ID); err != nil {
				return err
			}
			_, err = fmt.Fprintf(d.o.Stdout, "%s is now the default connection.\n", safetext.Clean(conn.Name, 0))
			return err
		},
	}
}
