package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/zconn/zconn/manager"
	"github.com/zconn/zconn/zidentity"
)

// tokenOptions are what zconn token takes, its flags resolved.
type tokenOptions struct {
	f       *factory
	name    string
	timeout time.Duration
	// fresh fetches a new token whatever the cache holds.
	fresh  bool
	asJSON bool
}

func newCmdToken(f *factory, runF func(context.Context, *tokenOptions) error) *cobra.Command {
	opts := &tokenOptions{f: f}
	c := &cobra.Command{
		Use:   "token [NAME]",
		Short: "Print an access token, and nothing else",
		Long: `Print an access token of a saved connection (without NAME, the one ZCONN_CONNECTION names, else the default one) on standard output, for curl and other tools. Unlike test, it records no verification result; it only remembers, when a request learns it, that the tenant refuses the audience parameter.

The token is kept beside the secret in the OS keychain and handed out again until a minute before it expires (or, for a token that lives less than ten minutes, until a tenth of its lifetime is left), so calling token over and over makes one request per token lifetime. With the encrypted vault no token is kept, and each call fetches a new one.

zconn cannot tell when a tool's request with a kept token is refused (the API client was disabled, or its role changed): fetch a new one with --fresh, which also replaces the kept one.`,
		Example: `  curl -H "Authorization: Bearer $(zconn token prod)" https://api.zsapi.net/...
  zconn token prod --fresh     # after a 401 with the kept token
  zconn token --json           # {"access_token": ..., "expires_at": ..., "cached": ...}`,
		Args:              args(0, 1),
		ValidArgsFunction: f.completeName,
		RunE:              runNamed(opts, &opts.name, &opts.timeout, runF, tokenRun),
	}
	c.Flags().DurationVar(&opts.timeout, "timeout", zidentity.DefaultTimeout, "how long to wait for ZIdentity")
	c.Flags().BoolVar(&opts.fresh, "fresh", false, "fetch a new token, whatever is kept, and keep it instead")
	c.Flags().BoolVar(&opts.fresh, "no-cache", false, "the same as --fresh")
	c.Flags().BoolVar(&opts.asJSON, "json", false, `print JSON: {"access_token", "expires_at" (RFC 3339), "cached"}`)
	return c
}

// tokenRun prints a token of the connection: the kept one while it lasts,
// else a new one.
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
	tok, err := m.AccessToken(ctx, conn, opts.fresh)
	if err != nil {
		return fmt.Errorf("fetching a token for %s: %w", shellArg(conn.Name), err)
	}
	if tok.AudienceLearned {
		conn.OmitAudience = true
		f.noteAudience(conn, true)
	}
	if tok.CacheErr != nil {
		say(f.sys.Stderr, "zconn: note: the token could not be kept for the next call: %v", tok.CacheErr)
	}
	if opts.asJSON {
		return writeTokenJSON(f, tok)
	}
	_, err = fmt.Fprintln(f.sys.Stdout, tok.Token)
	return err
}

// tokenItem is token --json's object. Its fields are a contract with
// scripts: add, never rename.
type tokenItem struct {
	AccessToken string `json:"access_token"`
	// ExpiresAt is RFC 3339, or null when the server gave no lifetime.
	ExpiresAt *string `json:"expires_at"`
	// Cached is true when the token was kept from an earlier call.
	Cached bool `json:"cached"`
}

// writeTokenJSON prints the token as one JSON object on one line.
func writeTokenJSON(f *factory, tok manager.AccessToken) error {
	it := tokenItem{AccessToken: tok.Token, Cached: tok.Cached}
	if !tok.ExpiresAt.IsZero() {
		it.ExpiresAt = optional(tok.ExpiresAt.UTC().Format(time.RFC3339))
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(it); err != nil { //nolint:gosec // G117: printing the token is what token --json is for.
		return err
	}
	_, err := f.sys.Stdout.Write(escapeC1(b.Bytes()))
	return err
}
