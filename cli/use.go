package cli

import (
	"context"

	"github.com/spf13/cobra"
)

// useOptions are what zconn use takes.
type useOptions struct {
	f    *factory
	name string
}

func newCmdUse(f *factory, runF func(context.Context, *useOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:               "use NAME",
		Short:             "Make a connection the default",
		Long:              `Make NAME the default connection: the one that test, token, env and exec use when no name is given and ZCONN_CONNECTION is not set.`,
		Example:           `  zconn use prod`,
		Args:              args(1, 1),
		ValidArgsFunction: f.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			return run(c.Context(), &useOptions{f: f, name: a[0]}, runF, useRun)
		},
	}
}

// useRun makes the connection the default.
func useRun(ctx context.Context, opts *useOptions) error {
	f := opts.f
	conn, err := f.resolve(opts.name)
	if err != nil {
		return err
	}
	st, err := f.store()
	if err != nil {
		return err
	}
	if _, err := st.SetDefault(ctx, conn.ID); err != nil {
		return err
	}
	say(f.sys.Stdout, "%s is now the default connection.", conn.Name)
	return nil
}
