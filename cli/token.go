package cli

import (
	"fmt"
	"github.com/zconn/zconn/manager"
	"time"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/zidentity"
)

func newTokenCmd(d *deps) *cobra.Command {
	var timeout time.Duration
	c := &cobra.Command{
		Use:   "token [NAME]",
		Short: "Print a fresh access token, and nothing else",
		Long: `Fetch a fresh access token with a saved connection (the default one without
NAME) and print it on standard output, for curl and other tools. Nothing is
recorded.`,
		Example:           `  curl -H "Authorization: Bearer $(zconn token prod)" https://api.zsapi.net/...`,
		Args:              args(0, 1),
		ValidArgsFunction: d.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			if err := checkTimeout(timeout); err != nil {
				return err
			}
			m, err := d.verifying(timeout)
			if err != nil {
				return err
			}
			conn, err := d.resolve(nameArg(a))
			if err != nil {
				return err
			}
			if _, err := d.openSecrets(c.Context()); err != nil {
				return err
			}
			tok, err := m.Token(c.Context(), conn)
			if err != nil {
				return fmt.Errorf("fetching a token for %s: %w", manager.ShellArg(conn.Name), err)
			}
			_, err = fmt.Fprintln(d.o.Stdout, tok.AccessToken)
			return err
		},
	}
	c.Flags().DurationVar(&timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity")
	return c
}
