package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/internal/safetext"
	"github.com/zconn/zconn/zidentity"
)

// tokenOptions are what zconn token takes, its flags resolved.
type tokenOptions struct {
	f       *factory
	name    string
	timeout time.Duration
}

func newCmdToken(f *factory, runF func(context.Context, *tokenOptions) error) *cobra.Command {
	opts := &tokenOptions{f: f}
	c := &cobra.Command{
		Use:   "token [NAME]",
		Short: "Print a fresh access token, and nothing else",
		Long: `Fetch a fresh access token with a saved connection (the default one without
NAME) and print it on standard output, for curl and other tools. Nothing is
recorded.`,
		Example:           `  curl -H "Authorization: Bearer $(zconn token prod)" https://api.zsapi.net/...`,
		Args:              args(0, 1),
		ValidArgsFunction: f.completeName,
		RunE: func(c *cobra.Command, a []string) error {
			if err := checkTimeout(opts.timeout); err != nil {
				return err
			}
			opts.name = nameArg(a)
			return run(c.Context(), opts, runF, tokenRun)
		},
	}
	c.Flags().DurationVar(&opts.timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity")
	return c
}

// tokenRun prints a fresh token of the connection.
func tokenRun(ctx context.Context, opts *tokenOptions) error {
	f := opts.f
	m, err := f.verifying(opts.timeout)
	if err != nil {
		return err
	}
	conn, err := f.resolve(opts.name)
	if err != nil {
		return err
	}
	if _, err := f.openSecrets(ctx); err != nil {
		return err
	}
	tok, err := m.Token(ctx, conn)
	if err != nil {
		return fmt.Errorf("fetching a token for %s: %w", shellArg(conn.Name), err)
	}
	// The token is printed as it came, for other tools: one with a
	// control character or a space is no access token (RFC 6750), and is
	// not printed where a terminal would obey it.
	if !safetext.Printable(tok.AccessToken) || strings.ContainsAny(tok.AccessToken, " \u00a0") {
		return fmt.Errorf("fetching a token for %s: the server sent an access token with spaces or control characters, which no access token holds, so it is not printed: check ZCONN_ZIDENTITY_URL and HTTPS_PROXY", shellArg(conn.Name))
	}
	_, err = fmt.Fprintln(f.sys.Stdout, tok.AccessToken)
	return err
}
